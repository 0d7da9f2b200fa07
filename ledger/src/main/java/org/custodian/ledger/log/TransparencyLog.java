package org.custodian.ledger.log;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.merkle.NodeReader;
import org.custodian.ledger.merkle.ProofBuilder;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.tiles.TileNodeReader;

/**
 * The ledger's one entry point: append entries, read checkpoints and proofs.
 *
 * <p>Appends are durable when acknowledged (group commit, {@link GroupCommitAppender}); a sequencer
 * ({@link Sequencer}) integrates them into an RFC 9162 Merkle tree stored as C2SP tiles and signs a
 * C2SP checkpoint at least once a second while entries arrive. Proofs are computed from stored
 * tiles, never by recomputing the tree.
 */
public final class TransparencyLog implements AutoCloseable {
    private final LogStore store;
    private final NoteSigner signer;
    private final LogConfig config;
    private final GroupCommitAppender appender;
    private final Sequencer sequencer;
    private final NodeReader nodes;

    private TransparencyLog(LogStore store, NoteSigner signer, LogConfig config) {
        this.store = store;
        this.signer = signer;
        this.config = config;
        this.nodes = new TileNodeReader(store.tiles());
        this.sequencer = config.sequencer()
                ? new Sequencer(store, signer, config.origin(), config.integrationInterval())
                : null;
        this.appender = new GroupCommitAppender(store, config.writers(), config.maxBatch(), config.queueCapacity(), () -> {});
    }

    /**
     * Opens the log on {@code store}, binding the store to this origin and key on first use (a
     * different key or origin later is refused with {@link LedgerConfigurationException}).
     */
    public static TransparencyLog open(LogStore store, NoteSigner signer, LogConfig config) {
        requireNonNull(store, "store is null");
        requireNonNull(signer, "signer is null");
        requireNonNull(config, "config is null");
        if (!signer.name().equals(config.origin())) {
            throw new LedgerConfigurationException("the log key is named '" + signer.name()
                    + "' but the origin is '" + config.origin() + "'; C2SP checkpoints are signed by a key named as the origin");
        }
        store.bindIdentity(config.origin(), signer.verifierKeyText());
        TransparencyLog log = new TransparencyLog(store, signer, config);
        if (log.sequencer != null) {
            log.sequencer.start();
        }
        return log;
    }

    public String origin() {
        return config.origin();
    }

    /** The log's verifier key, C2SP signed-note text form {@code name+hexkeyid+base64}. */
    public String verifierKey() {
        return signer.verifierKeyText();
    }

    /**
     * Appends an entry. The future completes with its index once it is durable, or exceptionally with
     * {@link LedgerUnavailableException} if it was not recorded.
     */
    public CompletableFuture<Long> append(LedgerEntry entry) {
        requireNonNull(entry, "entry is null");
        return append(entry.encode());
    }

    /** As {@link #append(LedgerEntry)}, for a caller that already encoded the entry (to hash its leaf, say). */
    public CompletableFuture<Long> append(LedgerEntry.Encoded encoded) {
        requireNonNull(encoded, "encoded is null");
        return appender.append(new PendingEntry(encoded.leafData(), encoded.content()));
    }

    /** Appends and waits: the index once durable, or {@link LedgerUnavailableException}. */
    public long appendAndWait(LedgerEntry entry) {
        try {
            return append(entry).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerUnavailableException("interrupted while waiting for the ledger", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LedgerUnavailableException lue) {
                throw lue;
            }
            throw new LedgerUnavailableException("ledger append failed: " + e.getCause(), e.getCause());
        }
    }

    /** Called with each checkpoint this process publishes (only while it is the sequencer). */
    public void onCheckpoint(Consumer<PublishedCheckpoint> listener) {
        if (sequencer != null) {
            sequencer.onCheckpoint(listener);
        }
    }

    public boolean isSequencer() {
        return sequencer != null && sequencer.isLeader();
    }

    public Optional<PublishedCheckpoint> latestCheckpoint() {
        return store.latestCheckpoint();
    }

    public Optional<PublishedCheckpoint> checkpoint(long size) {
        return store.checkpoint(size);
    }

    /** See {@link LogStore#checkpointSamples}: the tree's growth in at most {@code points + 1} checkpoints. */
    public List<CheckpointSample> checkpointSamples(int points) {
        if (points < 1) {
            throw new IllegalArgumentException("points must be at least 1, got " + points);
        }
        return store.checkpointSamples(points);
    }

    /** The cosignature of the largest checkpoint this witness (by key name) has cosigned, if any. */
    public Optional<StoredCosignature> latestCosignature(String witness) {
        requireNonNull(witness, "witness is null");
        return store.latestCosignature(witness);
    }

    public TreeHead treeHead() {
        return store.treeHead();
    }

    public long appendedSize() {
        return store.appendedSize();
    }

    /** RFC 9162 2.1.3.1 inclusion proof of leaf {@code index} in the tree of {@code treeSize}, from tiles. */
    public List<byte[]> inclusionProof(long index, long treeSize) {
        checkIntegrated(treeSize);
        if (index < 0 || index >= treeSize) {
            throw new IllegalArgumentException("index " + index + " is not in a tree of size " + treeSize);
        }
        try {
            return ProofBuilder.inclusion(index, treeSize, nodes);
        } catch (IOException e) {
            throw new LedgerUnavailableException("cannot read tiles: " + e.getMessage(), e);
        }
    }

    /** RFC 9162 2.1.4.1 consistency proof between two tree sizes, from tiles. */
    public List<byte[]> consistencyProof(long oldSize, long newSize) {
        checkIntegrated(newSize);
        if (oldSize < 0 || oldSize > newSize) {
            throw new IllegalArgumentException("need 0 <= old size <= new size, got " + oldSize + " and " + newSize);
        }
        try {
            return ProofBuilder.consistency(oldSize, newSize, nodes);
        } catch (IOException e) {
            throw new LedgerUnavailableException("cannot read tiles: " + e.getMessage(), e);
        }
    }

    /** The leaf hash of entry {@code index}, once integrated. */
    public byte[] leafHash(long index) {
        checkIntegrated(index + 1);
        try {
            return nodes.node(0, index);
        } catch (IOException e) {
            throw new LedgerUnavailableException("cannot read tiles: " + e.getMessage(), e);
        }
    }

    private void checkIntegrated(long size) {
        long integrated = store.treeHead().size();
        if (size > integrated) {
            throw new IllegalArgumentException("tree size " + size + " is beyond the integrated tree (size " + integrated + ")");
        }
    }

    public LogStore store() {
        return store;
    }

    /** Writes what is queued, stops the sequencer and releases its lease. */
    @Override
    public void close() {
        appender.close();
        if (sequencer != null) {
            sequencer.close();
        }
    }
}
