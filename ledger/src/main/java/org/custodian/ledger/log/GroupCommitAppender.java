package org.custodian.ledger.log;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit: concurrent appenders share durable transactions.
 *
 * <p>Callers queue entries; each of a few writer threads drains whatever is waiting (up to
 * {@code maxBatch}), writes it as one transaction and only then completes each caller's future with
 * its index. Under load, batches grow by themselves, so the cost of a commit (an fsync) is shared by
 * everyone who arrived while the previous one was in flight; with several writers, the next batches
 * are written while one waits for its flush, and PostgreSQL flushes their commits together. With one
 * caller, latency is a single commit.
 *
 * <p>A loaded writer also gathers: when its previous batch held at least {@link #GATHER_FROM}
 * entries, it waits (at most {@code gatherWait}) until as many are waiting again before it writes.
 * A commit has a fixed cost (a round trip, the statement, the WAL flush: about 0.4 ms here) and a
 * small one per entry (about 7 us), and the callers whose entries were just committed come back one
 * by one: a writer that took whatever had arrived the moment it was free split 64 appenders into
 * batches of 36 on average, paying the fixed cost almost twice a round (docs/benchmarks.md). A lone
 * caller never waits (its batches hold one entry), and when the load falls the wait runs out once
 * and the next batch sets the smaller target, so the most any append is delayed is one
 * {@code gatherWait}, less than the commit it saves.
 */
final class GroupCommitAppender implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GroupCommitAppender.class.getName());

    /** How long a loaded writer waits at most for its batch to fill again (see the class comment). */
    static final Duration GATHER_WAIT = Duration.ofNanos(500_000);
    /** The smallest previous batch after which a writer gathers: below it the log is not loaded. */
    static final int GATHER_FROM = 8;

    private record Waiting(PendingEntry entry, CompletableFuture<Long> index) {}

    private final LogStore store;
    private final int maxBatch;
    private final BlockingQueue<Waiting> queue;
    private final Runnable afterCommit;
    private final long gatherWaitNanos;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean closed;

    GroupCommitAppender(LogStore store, int writerCount, int maxBatch, int queueCapacity, Runnable afterCommit) {
        this(store, writerCount, maxBatch, queueCapacity, GATHER_WAIT, afterCommit);
    }

    GroupCommitAppender(LogStore store, int writerCount, int maxBatch, int queueCapacity, Duration gatherWait,
            Runnable afterCommit) {
        this.gatherWaitNanos = requireNonNull(gatherWait, "gatherWait is null").toNanos();
        if (gatherWaitNanos < 0) {
            throw new IllegalArgumentException("gatherWait is negative");
        }
        this.store = requireNonNull(store, "store is null");
        this.afterCommit = requireNonNull(afterCommit, "afterCommit is null");
        if (maxBatch < 1 || queueCapacity < maxBatch) {
            throw new IllegalArgumentException("need 1 <= maxBatch <= queueCapacity");
        }
        this.maxBatch = maxBatch;
        if (writerCount < 1) {
            throw new IllegalArgumentException("need at least one writer");
        }
        this.queue = new LinkedBlockingQueue<>(queueCapacity);
        for (int i = 0; i < writerCount; i++) {
            Thread writer = new Thread(this::writeLoop, "ledger-appender-" + i);
            writer.setDaemon(true);
            writers.add(writer);
            writer.start();
        }
    }

    /**
     * Queues an entry. The future completes with the entry's index once it is durable, or
     * exceptionally with {@link LedgerUnavailableException} (never both, never a false index).
     */
    CompletableFuture<Long> append(PendingEntry entry) {
        requireNonNull(entry, "entry is null");
        CompletableFuture<Long> index = new CompletableFuture<>();
        if (closed) {
            index.completeExceptionally(new LedgerUnavailableException("the ledger is shutting down"));
            return index;
        }
        // Fail fast rather than block: a caller stuck behind a dead database would hold its
        // request thread; an explicit overload lets it answer 503 and retry.
        if (!queue.offer(new Waiting(entry, index))) {
            index.completeExceptionally(new LedgerOverloadedException(
                    "the ledger has " + queue.size() + " appends waiting; try again shortly"));
        }
        return index;
    }

    private void writeLoop() {
        List<Waiting> batch = new ArrayList<>(maxBatch);
        List<PendingEntry> entries = new ArrayList<>(maxBatch);
        int previousBatch = 0;
        while (!closed || !queue.isEmpty()) {
            try {
                Waiting first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                if (previousBatch >= GATHER_FROM && !closed) {
                    gather(batch, Math.min(previousBatch, maxBatch));
                }
                previousBatch = batch.size();
                for (Waiting w : batch) {
                    entries.add(w.entry());
                }
                commit(batch, entries);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
                entries.clear();
            }
        }
        failAll(new LedgerUnavailableException("the ledger is shutting down"));
    }

    /**
     * Adds entries as they arrive until the batch holds {@code target} or the gathering wait runs
     * out. An interrupt ends the gathering, not the batch: what was gathered is still written (and
     * its callers answered), and the writer stops at its next wait.
     */
    private void gather(List<Waiting> batch, int target) {
        long deadline = System.nanoTime() + gatherWaitNanos;
        try {
            while (batch.size() < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                Waiting next = queue.poll(left, TimeUnit.NANOSECONDS);
                if (next == null) {
                    return;
                }
                batch.add(next);
                queue.drainTo(batch, maxBatch - batch.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void commit(List<Waiting> batch, List<PendingEntry> entries) {
        long[] indexes;
        try {
            indexes = store.appendBatch(entries);
        } catch (RuntimeException e) {
            // Nothing is acknowledged: the store's transaction rolled back (or its outcome is
            // unknown), and each caller learns its entry was not recorded.
            LedgerUnavailableException failure = e instanceof LedgerUnavailableException lue
                    ? lue
                    : new LedgerUnavailableException("ledger append failed: " + e.getMessage(), e);
            LOG.log(Level.WARNING, "ledger append of {0} entries failed: {1}",
                    new Object[] {batch.size(), failure.getMessage()});
            for (Waiting w : batch) {
                w.index().completeExceptionally(failure);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).index().complete(indexes[i]);
        }
        afterCommit.run();
    }

    private void failAll(LedgerUnavailableException failure) {
        Waiting w;
        while ((w = queue.poll()) != null) {
            w.index().completeExceptionally(failure);
        }
    }

    /** Stops accepting entries, writes what is queued, then stops the writer. */
    @Override
    public void close() {
        closed = true;
        try {
            for (Thread writer : writers) {
                writer.join(30_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failAll(new LedgerUnavailableException("the ledger is shutting down"));
    }
}
