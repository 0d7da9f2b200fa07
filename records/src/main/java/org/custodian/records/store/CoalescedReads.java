package org.custodian.records.store;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads of single resources' current versions ({@code GET /fhir/Type/id}), with concurrent reads answered by one
 * statement ({@link RecordStore#readCurrent}).
 *
 * <p>Callers queue what they want; each of a few reader threads takes whatever is waiting (up to {@link #MAX_BATCH}),
 * reads it in one statement and answers each caller. One read on its own is read at once, alone; under load the
 * batches grow by themselves. Why: with 64 clients reading, a statement's fixed cost in PostgreSQL (a backend woken,
 * its executor started, the answer sent, the backend asleep again) was most of a read's cost there. In pgbench on the
 * benchmark's database, the same look-up for eight resources in one statement did 2.2 to 3.5 times as many look-ups
 * per second as one statement each (docs/benchmarks.md).
 *
 * <p>Each answer is what {@link RecordStore#read} would have returned when the batch was read: every read is queued
 * after its request arrived, so a client sees at least every write that was acknowledged before it asked. Deciding
 * who may see a version remains the caller's business.
 */
public final class CoalescedReads implements AutoCloseable {
    /** The most resources one statement looks up. */
    static final int MAX_BATCH = 128;
    /** Reader threads, each with at most one statement (one pooled connection) in flight. */
    public static final int DEFAULT_READERS = 2;

    private record Waiting(String reference, CompletableFuture<Optional<StoredVersion>> answer) {}

    private final RecordStore store;
    private final BlockingQueue<Waiting> queue = new LinkedBlockingQueue<>();
    private final List<Thread> readers = new ArrayList<>();
    private final AtomicLong statements = new AtomicLong();
    private volatile boolean closed;

    private CoalescedReads(RecordStore store, int readerCount) {
        this.store = requireNonNull(store, "store is null");
        if (readerCount < 1) {
            throw new IllegalArgumentException("need at least one reader");
        }
        for (int i = 0; i < readerCount; i++) {
            Thread reader = new Thread(this::readLoop, "record-reader-" + i);
            reader.setDaemon(true);
            readers.add(reader);
        }
    }

    /** Starts {@code readerCount} reader threads. */
    public static CoalescedReads start(RecordStore store, int readerCount) {
        CoalescedReads reads = new CoalescedReads(store, readerCount);
        reads.readers.forEach(Thread::start);
        return reads;
    }

    /**
     * The current version of {@code type/id}, if the resource exists.
     *
     * @throws RecordsUnavailableException if the store cannot be read, or the reads are closed
     */
    public Optional<StoredVersion> read(String type, String id) {
        requireNonNull(type, "type is null");
        requireNonNull(id, "id is null");
        CompletableFuture<Optional<StoredVersion>> answer = new CompletableFuture<>();
        if (closed) {
            throw shuttingDown();
        }
        queue.add(new Waiting(type + "/" + id, answer));
        if (closed) {
            // close() may have drained the queue just before this read joined it.
            failQueued();
        }
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Statements run so far (each answers one or more reads). */
    public long statements() {
        return statements.get();
    }

    private void readLoop() {
        List<Waiting> batch = new ArrayList<>(MAX_BATCH);
        while (!closed) {
            try {
                Waiting first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                answer(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                // Whatever went wrong, no caller is left waiting for an answer that will not come.
                RecordsUnavailableException failure = new RecordsUnavailableException("the record store could not be read: " + e, e);
                batch.forEach(w -> w.answer().completeExceptionally(failure));
                if (e instanceof Error error) {
                    throw error;
                }
            } finally {
                batch.clear();
            }
        }
        failQueued();
    }

    private void answer(List<Waiting> batch) {
        Set<String> references = new LinkedHashSet<>();
        batch.forEach(w -> references.add(w.reference()));
        Map<String, StoredVersion> found;
        try {
            statements.incrementAndGet();
            found = store.readCurrent(references);
        } catch (RecordsUnavailableException e) {
            batch.forEach(w -> w.answer().completeExceptionally(e));
            return;
        }
        for (Waiting w : batch) {
            w.answer().complete(Optional.ofNullable(found.get(w.reference())));
        }
    }

    private void failQueued() {
        Waiting w;
        while ((w = queue.poll()) != null) {
            w.answer().completeExceptionally(shuttingDown());
        }
    }

    private static RecordsUnavailableException shuttingDown() {
        return new RecordsUnavailableException("the server is shutting down", null);
    }

    /** Answers what is being read, fails what is still queued, and stops the readers. */
    @Override
    public void close() {
        closed = true;
        try {
            for (Thread reader : readers) {
                reader.join(30_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failQueued();
    }
}
