package org.custodian.ledger.log;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** One published checkpoint's tree size, root hash and time of publication: a point of the tree's growth. */
public record CheckpointSample(long size, byte[] root, Instant publishedAt) {
    public CheckpointSample {
        requireNonNull(root, "root is null");
        requireNonNull(publishedAt, "publishedAt is null");
        if (size < 0) {
            throw new IllegalArgumentException("size is negative");
        }
        if (root.length != 32) {
            throw new IllegalArgumentException("root is not 32 bytes");
        }
        root = root.clone();
    }

    @Override
    public byte[] root() {
        return root.clone();
    }
}
