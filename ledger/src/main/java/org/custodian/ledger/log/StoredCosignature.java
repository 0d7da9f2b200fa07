package org.custodian.ledger.log;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A witness's cosignature line (C2SP tlog-cosignature) as the log stored it: for the checkpoint of
 * {@code size}, received at {@code receivedAt} by the log's clock. The witness's own timestamp is
 * inside the line; {@link org.custodian.ledger.note.Cosignatures#verify} checks it and reads it.
 */
public record StoredCosignature(String witness, long size, String line, Instant receivedAt) {
    public StoredCosignature {
        requireNonNull(witness, "witness is null");
        requireNonNull(line, "line is null");
        requireNonNull(receivedAt, "receivedAt is null");
        if (size < 0) {
            throw new IllegalArgumentException("size is negative");
        }
    }
}
