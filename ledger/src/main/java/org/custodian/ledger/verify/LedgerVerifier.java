package org.custodian.ledger.verify;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.custodian.ledger.entry.Envelope;
import org.custodian.ledger.entry.EntryException;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.note.Checkpoint;
import org.custodian.ledger.note.Note;
import org.custodian.ledger.note.NoteException;
import org.custodian.ledger.note.NoteVerifier;
import org.custodian.ledger.tiles.Integration;
import org.custodian.ledger.tiles.Tile;
import org.custodian.ledger.tiles.TileBuilder;

/**
 * Recomputes a log from its stored entries and checks everything stored against it: each entry's
 * content against its envelope, every leaf hash against the stored tiles, every stored tile, and every
 * stored checkpoint's signature and root. Trusts nothing it reads; memory stays bounded (entries are
 * streamed, only the tree's right edge is kept).
 *
 * <p>What it catches: a changed entry (content or envelope), a deleted entry (a gap in the indexes),
 * an inserted entry (an index beyond the sequence, or everything after it shifted), reordered entries
 * (leaf hashes no longer where the tiles say), a changed tile hash, a changed or forged checkpoint.
 * Erased contents (after their retention period) are counted, not reported: the envelope still
 * commits to them.
 */
public final class LedgerVerifier {
    private static final int MAX_LISTED = 1000;
    private static final int CHUNK = 8192;

    private final LedgerRecords records;
    private final NoteVerifier logKey;
    private final LongConsumer progress;

    private final List<VerificationReport.Problem> problems = new ArrayList<>();
    private long notListed;

    public LedgerVerifier(LedgerRecords records, NoteVerifier logKey, LongConsumer progress) {
        this.records = requireNonNull(records, "records is null");
        this.logKey = requireNonNull(logKey, "logKey is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    public VerificationReport verify() {
        long treeSize = records.treeSize();
        long appended = records.appendedSize();
        // Checkpoints first: entries appended while we scan are beyond them and do not disturb the audit.
        TreeMap<Long, byte[]> signedRoots = checkCheckpoints();
        if (!signedRoots.containsKey(treeSize)) {
            problem(-1, "the tree head (size " + treeSize + ") has no checkpoint");
        }

        EntryScan scan = new EntryScan(treeSize, appended, signedRoots);
        records.scanEntries(scan::visit);
        scan.finish();
        return new VerificationReport(scan.count, scan.erased, signedRoots.size(), treeSize, problems, notListed);
    }

    private TreeMap<Long, byte[]> checkCheckpoints() {
        TreeMap<Long, byte[]> roots = new TreeMap<>();
        for (LedgerRecords.StoredCheckpoint stored : records.checkpoints()) {
            Checkpoint checkpoint;
            try {
                Note.open(stored.note(), List.of(logKey));
                checkpoint = Checkpoint.parse(Note.parse(stored.note()).text());
            } catch (NoteException | IllegalArgumentException e) {
                problem(-1, "checkpoint stored for size " + stored.size() + " does not verify with the log's key: " + e.getMessage());
                continue;
            }
            if (!checkpoint.origin().equals(logKey.name())) {
                problem(-1, "checkpoint stored for size " + stored.size() + " has origin '" + checkpoint.origin() + "'");
                continue;
            }
            if (checkpoint.size() != stored.size() || !Arrays.equals(checkpoint.rootHash(), stored.root())) {
                problem(-1, "checkpoint stored for size " + stored.size() + " is signed for size " + checkpoint.size()
                        + " and root " + Hashes.hex(checkpoint.rootHash()) + ", not the stored root " + Hashes.hex(stored.root()));
                continue;
            }
            roots.put(checkpoint.size(), checkpoint.rootHash());
        }
        return roots;
    }

    /** Streams entries in index order, recomputing leaf hashes, tiles and roots as it goes. */
    private final class EntryScan {
        private final long treeSize;
        private final long appended;
        private final TreeMap<Long, byte[]> signedRoots;
        private final TileBuilder builder = TileBuilder.empty();
        private final List<byte[]> pending = new ArrayList<>(CHUNK);
        private final Map<Long, Tile> openTiles = new HashMap<>();
        private long expected;
        private long count;
        private long erased;
        private long brokenAt = -1;
        private long lastGoodCheckpoint;
        private final List<Long> beyondSequence = new ArrayList<>();

        EntryScan(long treeSize, long appended, TreeMap<Long, byte[]> signedRoots) {
            this.treeSize = treeSize;
            this.appended = appended;
            this.signedRoots = signedRoots;
            if (signedRoots.containsKey(0L) && !Arrays.equals(signedRoots.get(0L), Hashes.emptyRoot())) {
                problem(-1, "the checkpoint for size 0 does not have the empty-tree root");
            }
        }

        void visit(LedgerRecords.StoredEntry entry) {
            if (entry.index() != expected) {
                if (entry.index() > expected) {
                    problem(expected, (entry.index() - expected == 1 ? "is missing" : "to " + (entry.index() - 1) + " are missing")
                            + " (deleted, or never written)");
                }
                brokenAt = brokenAt < 0 ? expected : brokenAt;
                expected = entry.index();
            }
            if (entry.index() >= appended && beyondSequence.size() < MAX_LISTED) {
                beyondSequence.add(entry.index()); // re-checked at the end: the log may be live
            }
            checkContent(entry);
            count++;
            if (brokenAt < 0 && entry.index() < treeSize) {
                pending.add(Hashes.leafHash(entry.leafData()));
                Long nextCheckpoint = signedRoots.higherKey(builder.size() + pending.size() - 1);
                if (pending.size() == CHUNK || (nextCheckpoint != null && nextCheckpoint == builder.size() + pending.size())) {
                    flush();
                }
            }
            expected = entry.index() + 1;
            if (count % 100_000 == 0) {
                progress.accept(count);
            }
        }

        private void checkContent(LedgerRecords.StoredEntry entry) {
            Envelope envelope;
            try {
                envelope = Envelope.parse(entry.leafData());
            } catch (EntryException e) {
                problem(entry.index(), "its public envelope is not valid: " + e.getMessage());
                return;
            }
            if (entry.content() == null) {
                erased++;
                return;
            }
            try {
                envelope.checkContent(entry.content());
            } catch (EntryException e) {
                problem(entry.index(), "its content does not match its envelope (changed): " + e.getMessage());
            }
        }

        private void flush() {
            if (pending.isEmpty()) {
                return;
            }
            Integration integration = builder.append(List.copyOf(pending));
            pending.clear();
            for (Tile tile : integration.tiles()) {
                if (tile.id().isFull()) {
                    compareTile(tile);
                    openTiles.remove(key(tile));
                } else {
                    openTiles.put(key(tile), tile);
                }
            }
            byte[] signed = signedRoots.get(builder.size());
            if (signed != null) {
                if (Arrays.equals(signed, integration.root())) {
                    lastGoodCheckpoint = builder.size();
                } else {
                    problem(-1, "checkpoint for size " + builder.size() + " signs root " + Hashes.hex(signed)
                            + " but the stored entries give " + Hashes.hex(integration.root())
                            + ": an entry between " + lastGoodCheckpoint + " and " + (builder.size() - 1) + " was changed");
                }
            }
        }

        void finish() {
            flush();
            progress.accept(count);
            long handedOut = records.appendedSize();
            for (long index : beyondSequence) {
                if (index >= handedOut) {
                    problem(index, "is beyond the log's sequence (" + handedOut + " indexes handed out): inserted");
                }
            }
            // Indexes past the tree head may still be in flight; those inside it must all be stored.
            if (brokenAt < 0 && expected < treeSize) {
                problem(expected, (treeSize - expected == 1 ? "is missing" : "to " + (treeSize - 1) + " are missing")
                        + " (the tree head says " + treeSize + " entries are integrated)");
                brokenAt = expected;
            }
            for (Tile tile : openTiles.values()) {
                compareTile(tile);
            }
            if (brokenAt >= 0) {
                for (long size : signedRoots.tailMap(brokenAt, false).keySet()) {
                    problem(-1, "checkpoint for size " + size + " cannot be recomputed: entries from " + brokenAt + " are missing");
                }
            }
        }

        private void compareTile(Tile computed) {
            int level = computed.id().level();
            long index = computed.id().index();
            byte[] stored = records.storedTile(level, index);
            byte[] want = computed.hashes();
            if (stored == null) {
                problem(-1, "tile " + computed.id().path() + " is missing");
                return;
            }
            if (stored.length < want.length) {
                problem(-1, "tile " + computed.id().path() + " has " + stored.length / 32 + " hashes, " + want.length / 32 + " expected");
                return;
            }
            for (int i = 0; i < want.length / 32; i++) {
                if (!Arrays.equals(stored, i * 32, i * 32 + 32, want, i * 32, i * 32 + 32)) {
                    if (level == 0) {
                        problem(index * 256 + i, "its leaf hash differs from the stored tile (the entry, its position or the tile was changed)");
                    } else {
                        problem(-1, "tile " + computed.id().path() + " hash " + i + " differs from the hash recomputed from the entries");
                    }
                }
            }
        }

        private long key(Tile tile) {
            return ((long) tile.id().level() << 56) | tile.id().index();
        }
    }

    private void problem(long index, String message) {
        if (problems.size() < MAX_LISTED) {
            problems.add(new VerificationReport.Problem(index, message));
        } else {
            notListed++;
        }
    }
}
