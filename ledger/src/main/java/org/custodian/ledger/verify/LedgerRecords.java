package org.custodian.ledger.verify;

import java.util.List;

/**
 * Everything a store holds about a log, read in order for an audit. Implemented by storage drivers;
 * the verifier ({@link LedgerVerifier}) recomputes and compares, trusting none of it.
 */
public interface LedgerRecords {

    /** One stored entry: its index as stored, public leaf data, and private content (null once erased). */
    record StoredEntry(long index, byte[] leafData, byte[] content) {}

    /** One stored tile, as stored. */
    record StoredTile(int level, long index, byte[] hashes) {}

    /** One stored checkpoint note (log-signed), with the tree size the store filed it under. */
    record StoredCheckpoint(long size, byte[] root, String note) {}

    interface Visitor<T> {
        void visit(T item);
    }

    /** Every entry in ascending stored index order. */
    void scanEntries(Visitor<StoredEntry> visitor);

    /** Every tile in ascending (level, index) order. */
    void scanTiles(Visitor<StoredTile> visitor);

    /** Every checkpoint in ascending size order. */
    List<StoredCheckpoint> checkpoints();

    /** The size of the integrated tree the store claims. */
    long treeSize();

    /** How many entries the store says were appended (the next index it will hand out). */
    long appendedSize();

    /** One stored tile as stored (any width), or null if there is none. */
    byte[] storedTile(int level, long index);
}
