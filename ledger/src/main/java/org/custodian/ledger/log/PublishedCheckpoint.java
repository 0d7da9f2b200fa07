package org.custodian.ledger.log;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A checkpoint as published: the log-signed note ({@code note}, C2SP signed-note text) and the
 * cosignature lines witnesses added to it (C2SP tlog-cosignature).
 */
public record PublishedCheckpoint(long size, byte[] root, String note, List<String> cosignatures, Instant createdAt) {
    public PublishedCheckpoint {
        requireNonNull(root, "root is null");
        requireNonNull(note, "note is null");
        requireNonNull(createdAt, "createdAt is null");
        cosignatures = List.copyOf(cosignatures);
        root = root.clone();
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    /** The signed note with every cosignature line appended: what {@code /log/checkpoint} serves. */
    public String cosignedNote() {
        if (cosignatures.isEmpty()) {
            return note;
        }
        StringBuilder out = new StringBuilder(note);
        for (String line : cosignatures) {
            out.append(line);
            if (!line.endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }
}
