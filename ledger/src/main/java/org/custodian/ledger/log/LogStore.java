package org.custodian.ledger.log;

import java.util.List;
import java.util.Optional;
import org.custodian.ledger.tiles.Integration;
import org.custodian.ledger.tiles.TileReader;

/**
 * Where a transparency log keeps its entries, tiles and checkpoints. The log's core (appender,
 * sequencer, proofs) knows only this interface, so an auditor's tool can verify a log without a
 * database and a new storage driver is one class.
 *
 * <p>Every method either completes or throws {@link LedgerUnavailableException}; none of them
 * leaves a partial write behind.
 */
public interface LogStore {

    /**
     * Records the log's identity on first use. MUST refuse (with {@link LedgerConfigurationException})
     * a store already bound to a different origin or key, so that one database never holds two logs'
     * checkpoints.
     */
    void bindIdentity(String origin, String verifierKey);

    /**
     * Appends the batch in one durable transaction and returns the index given to each entry, in
     * order. MUST NOT return before the entries are durable. MUST be all or nothing. Indexes are
     * unique across every process sharing the store; they need not be consecutive, and committed
     * entries may transiently leave gaps (indexes whose transaction has not committed yet, or failed).
     */
    long[] appendBatch(List<PendingEntry> batch);

    /** Number of indexes handed out so far (entries appended, in flight, or lost to failed appends). */
    long appendedSize();

    /** Leaf data (public envelopes) of entries [from, from + n), stopping early at the first gap. */
    List<byte[]> readLeaves(long from, int max);

    /** The smallest stored index at or after {@code from}, or -1 if there is none. */
    long nextStoredIndex(long from);

    /**
     * The largest stored index at or after {@code from} whose entry was appended longer than
     * {@code age} ago (by the store's clock, taken after the index was handed out), or -1.
     */
    long newestIndexOlderThan(long from, java.time.Duration age);

    /** The indexes in [from, to) with no stored entry, in increasing order, at most {@code max} of them. */
    List<Long> missingIndexes(long from, long to, int max);

    /**
     * Stores {@code entry} at {@code index} unless an entry with that index commits first (waiting
     * for an in-flight one). Used to fill a gap left by a failed append; returns whether it stored it.
     */
    boolean fillGap(long index, PendingEntry entry);

    /** The integrated tree: size and root of the latest checkpoint. */
    TreeHead treeHead();

    /**
     * Stores the tiles of {@code integration} and the signed checkpoint for its new size, and moves
     * the tree head, in one transaction, only if the tree head is still {@code integration.oldSize()}.
     * MUST throw {@link ConcurrentIntegrationException} otherwise (another sequencer moved it).
     */
    void integrate(Integration integration, String signedCheckpoint);

    /** The most recent checkpoint, with the cosignatures collected for it. */
    Optional<PublishedCheckpoint> latestCheckpoint();

    /** The checkpoint published for exactly this tree size, if there is one. */
    Optional<PublishedCheckpoint> checkpoint(long size);

    /** Records a witness's cosignature line for the checkpoint of this size (idempotent per witness). */
    void addCosignature(long size, String witness, String signatureLine);

    /**
     * The cosignature of the largest checkpoint the named witness has cosigned, if any. MUST cost the
     * same however many checkpoints the log has published (it is read for a public page).
     */
    Optional<StoredCosignature> latestCosignature(String witness);

    /**
     * A sample of the published checkpoints, in increasing size, for drawing the tree's growth: the
     * first checkpoint, the latest, and between them, for each {@code i} in 1..points-1, the first
     * checkpoint whose size is at least {@code ceil(latest * i / points)}, and the last non-empty checkpoint before
     * the latest (each checkpoint once; so a consistency proof can always be offered from it). So
     * every checkpoint left out is less than {@code latest / points + 1} entries larger than the
     * sample before it: a chart through the samples hides no growth larger than that. MUST cost
     * about {@code points} index look-ups, however many checkpoints there are; empty before the first.
     */
    List<CheckpointSample> checkpointSamples(int points);

    /** The stored tiles; reads never see a tile narrower than the latest checkpoint needs. */
    TileReader tiles();

    /**
     * Tries to become this log's one sequencer. The returned lease MUST be exclusive across every
     * process sharing the store, and MUST stop reporting {@link SequencerLease#held()} once lost.
     */
    Optional<SequencerLease> tryAcquireSequencerLease();
}
