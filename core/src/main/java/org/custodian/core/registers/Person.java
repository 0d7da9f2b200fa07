package org.custodian.core.registers;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A person known to Custodian: staff of an organisation, or a patient (role {@link Role#PATIENT},
 * linked to their NHS number). {@code nhsNumber} is null for people who are not patients.
 */
public record Person(String id, String name, Role role, String organisation, NhsNumber nhsNumber) {
    public Person {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(role, "role is null");
        requireNonNull(organisation, "organisation is null");
    }

    public Optional<NhsNumber> patientNumber() {
        return Optional.ofNullable(nhsNumber);
    }
}
