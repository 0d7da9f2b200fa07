package org.custodian.ledger.witness;

import java.io.IOException;
import java.util.Optional;

/** What a witness remembers per log: the latest checkpoint it cosigned. */
public interface WitnessState {

    /** The latest checkpoint cosigned for {@code origin}: its size, root and signed note text. */
    record Seen(long size, byte[] root, String note) {}

    Optional<Seen> latest(String origin) throws IOException;

    /** MUST be durable when it returns: a witness never cosigns before persisting what it cosigned. */
    void save(String origin, Seen seen) throws IOException;
}
