package org.custodian.ledger.log;

import static java.util.Objects.requireNonNull;

/** An entry on its way into the log: its public envelope (the Merkle leaf data) and private content. */
public record PendingEntry(byte[] leafData, byte[] content) {

    /** C2SP entry bundles give each entry a two-byte length. */
    public static final int MAX_LEAF_BYTES = 0xFFFF;
    public static final int MAX_CONTENT_BYTES = 1 << 20;

    public PendingEntry {
        requireNonNull(leafData, "leafData is null");
        requireNonNull(content, "content is null");
        if (leafData.length > MAX_LEAF_BYTES) {
            throw new IllegalArgumentException("leaf data is " + leafData.length + " bytes, at most " + MAX_LEAF_BYTES);
        }
        if (content.length > MAX_CONTENT_BYTES) {
            throw new IllegalArgumentException("entry content is " + content.length + " bytes, at most " + MAX_CONTENT_BYTES);
        }
    }
}
