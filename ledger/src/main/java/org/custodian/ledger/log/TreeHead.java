package org.custodian.ledger.log;

import static java.util.Objects.requireNonNull;

/** Size and root hash of the integrated tree. */
public record TreeHead(long size, byte[] root) {
    public TreeHead {
        requireNonNull(root, "root is null");
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
