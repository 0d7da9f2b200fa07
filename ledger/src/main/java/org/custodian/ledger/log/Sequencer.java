package org.custodian.ledger.log;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.custodian.ledger.entry.LedgerEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.note.Checkpoint;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.tiles.Integration;
import org.custodian.ledger.tiles.TileBuilder;

/**
 * Integrates appended entries into the tree and publishes signed checkpoints.
 *
 * <p>Exactly one process integrates at a time: it must hold the store's {@link SequencerLease}
 * (a database lock), and every integration is also a compare-and-set on the tree size, so a
 * sequencer that lost its lease without noticing can never overwrite a newer tree. The others wait
 * for the lease and take over if its holder dies.
 *
 * <p>Each round reads the entries after the tree head, hashes them, extends the right edge of the
 * tiles ({@link TileBuilder}), signs a C2SP checkpoint for the new size and stores tiles, tree head
 * and checkpoint in one transaction. Rounds run every {@code interval}, so a new entry is in a signed
 * checkpoint within about one interval; rounds are not triggered per append, because under load that
 * would sign hundreds of checkpoints a second and take the CPU the appenders need.
 */
final class Sequencer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Sequencer.class.getName());
    private static final int MAX_LEAVES_PER_ROUND = 65_536;
    /** How long a gap may stay before it is filled: far longer than any healthy append takes. */
    static final Duration GAP_GRACE = Duration.ofSeconds(5);
    private static final int MAX_GAP_FILL = 10_000;

    private final LogStore store;
    private final NoteSigner signer;
    private final String origin;
    private final Duration interval;
    private final List<Consumer<PublishedCheckpoint>> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Thread thread;
    private volatile boolean closed;
    private SequencerLease lease;
    private TileBuilder builder;
    private long gapAt = -1;
    private long gapSeenNanos;
    /** How many indexes had been handed out when the gap at {@code gapAt} was first seen. */
    private long gapHandedOut;

    Sequencer(LogStore store, NoteSigner signer, String origin, Duration interval) {
        this.store = requireNonNull(store, "store is null");
        this.signer = requireNonNull(signer, "signer is null");
        this.origin = requireNonNull(origin, "origin is null");
        this.interval = requireNonNull(interval, "interval is null");
        this.thread = new Thread(this::run, "ledger-sequencer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void onCheckpoint(Consumer<PublishedCheckpoint> listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    private void wakeUp() {
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isLeader() {
        SequencerLease l = lease;
        return l != null && l.held();
    }

    private void run() {
        long pause = interval.toMillis();
        while (!closed) {
            try {
                if (ensureLease()) {
                    integrateAvailable();
                    pause = interval.toMillis();
                } else {
                    // Not the sequencer: check now and then whether the holder has gone.
                    pause = Math.max(interval.toMillis(), 1000);
                }
            } catch (RuntimeException e) {
                // The database went away or another sequencer moved the head: drop cached state,
                // rebuild it from storage next round. Back off so a dead database is not hammered.
                LOG.log(Level.WARNING, "ledger sequencer: {0}", e.getMessage());
                builder = null;
                pause = Math.min(Math.max(pause * 2, interval.toMillis()), 5000);
            }
            sleep(pause);
        }
    }

    private boolean ensureLease() {
        if (lease != null && lease.held()) {
            return true;
        }
        if (lease != null) {
            LOG.warning("ledger sequencer: lost the sequencer lease");
            lease.close();
            lease = null;
            builder = null;
        }
        Optional<SequencerLease> acquired = store.tryAcquireSequencerLease();
        if (acquired.isEmpty()) {
            return false;
        }
        lease = acquired.get();
        builder = null;
        LOG.info("ledger sequencer: this process now integrates the log");
        return true;
    }

    /**
     * Integrates everything appended so far (in rounds of bounded size, one checkpoint per round),
     * filling gaps that have outlived the grace period and integrating what they held up.
     */
    private void integrateAvailable() {
        for (int pass = 0; pass < 1000; pass++) {
            integrateContiguous();
            if (closed || !lease.held() || !fillLastingGap(builder.size())) {
                return;
            }
        }
    }

    private void integrateContiguous() {
        if (builder == null) {
            builder = resume();
            if (store.latestCheckpoint().isEmpty()) {
                publish(new Integration(0, 0, Hashes.emptyRoot(), List.of()));
            }
        }
        while (!closed && lease.held()) {
            long size = builder.size();
            List<byte[]> leaves = store.readLeaves(size, MAX_LEAVES_PER_ROUND);
            if (leaves.isEmpty()) {
                break;
            }
            List<byte[]> hashes = new ArrayList<>(leaves.size());
            for (byte[] leaf : leaves) {
                hashes.add(Hashes.leafHash(leaf));
            }
            publish(builder.append(hashes));
            if (leaves.size() < MAX_LEAVES_PER_ROUND) {
                break;
            }
        }
    }

    /**
     * An index handed out to an append that never committed (its process died, or its database
     * connection broke mid-append) would stop integration forever, or leave a hole at the end. Once
     * such a gap has lasted {@link #GAP_GRACE}, it is filled with 'ledger.gap' entries. This
     * is safe against a slow append still in flight: the index is the primary key, so whichever insert
     * commits first wins and the other fails (and is not acknowledged).
     *
     * <p>Only indexes handed out before the gap was first seen are filled: they are all at least
     * {@code GAP_GRACE} old, so each one still missing belongs to an append that did not commit,
     * whereas an index handed out since may belong to a healthy append in flight, which filling would
     * make fail. And all of them are filled at once: a crash leaves one gap per append transaction it
     * cut off (and PostgreSQL's crash recovery skips up to 32 sequence values), and filling them one
     * grace period after another would stall integration for that many grace periods.
     */
    private boolean fillLastingGap(long size) {
        long next = store.nextStoredIndex(size);
        if (next > size) {
            // A gap before stored entries. Every index below a stored entry was handed out before
            // that entry's (the sequence only grows), and an entry's appended_at is taken after its
            // index was, so below the newest entry older than the grace period every missing index
            // is older too. Unlike the timer below, this survives restarts: a server that keeps
            // crashing within the grace period still fills its gaps.
            long old = store.newestIndexOlderThan(size, GAP_GRACE);
            if (old > size) {
                gapAt = -1;
                return fill(size, store.missingIndexes(size, old, MAX_GAP_FILL)) > 0;
            }
        }
        long handedOut = store.appendedSize();
        if (next < 0) {
            // Nothing stored after the tree head: indexes handed out but never stored form a gap
            // only once they are older than the grace period (until then they may be in flight).
            next = handedOut;
        }
        if (next <= size) {
            gapAt = -1;
            return false;
        }
        long now = System.nanoTime();
        if (gapAt != size) {
            gapAt = size;
            gapSeenNanos = now;
            gapHandedOut = handedOut;
            return false;
        }
        if (now - gapSeenNanos < GAP_GRACE.toNanos()) {
            return false;
        }
        gapAt = -1;
        return fill(size, store.missingIndexes(size, gapHandedOut, MAX_GAP_FILL)) > 0;
    }

    private long fill(long size, List<Long> missing) {
        long filled = 0;
        for (long index : missing) {
            LedgerEntry gap = LedgerEntry.create(GAP_TYPE, 1, Instant.now(), Map.of(
                    "index", index,
                    "reason", "the append that was given this index did not commit"));
            LedgerEntry.Encoded encoded = gap.encode();
            if (store.fillGap(index, new PendingEntry(encoded.leafData(), encoded.content()))) {
                filled++;
            }
        }
        long count = filled;
        if (count > 0) {
            LOG.warning(() -> "ledger sequencer: filled " + count + " unused index(es) from " + size + " with " + GAP_TYPE + " entries");
        }
        return filled;
    }

    /** The entry type that marks an index no append used. */
    public static final String GAP_TYPE = "ledger.gap";

    private TileBuilder resume() {
        TreeHead head = store.treeHead();
        try {
            return TileBuilder.resume(head.size(), store.tiles());
        } catch (IOException e) {
            throw new LedgerUnavailableException("cannot read the tiles of a tree of size " + head.size(), e);
        }
    }

    private void publish(Integration integration) {
        Checkpoint checkpoint = new Checkpoint(origin, integration.newSize(), integration.root(), List.of());
        String body = checkpoint.body();
        String note = body + "\n" + signer.sign(body);
        try {
            store.integrate(integration, note);
        } catch (RuntimeException e) {
            builder = null;
            throw e;
        }
        store.checkpoint(integration.newSize()).ifPresent(published -> {
            for (Consumer<PublishedCheckpoint> listener : listeners) {
                try {
                    listener.accept(published);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "checkpoint listener failed", e);
                }
            }
        });
    }

    private void sleep(long millis) {
        lock.lock();
        try {
            if (!closed) {
                wake.await(millis, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        wakeUp();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (lease != null) {
            lease.close();
        }
    }
}
