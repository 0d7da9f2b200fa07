package org.custodian.core.registers;

import static java.util.Objects.requireNonNull;

/** An organisation (id such as an ODS code) and the sector it belongs to. */
public record Organisation(String id, String name, Sector sector) {
    public Organisation {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(sector, "sector is null");
    }
}
