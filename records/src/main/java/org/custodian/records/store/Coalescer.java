package org.custodian.records.store;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent look-ups answered together: callers queue keys; each of a few threads takes whatever is waiting (up to
 * {@code maxBatch}), answers all of it with one call of {@code lookUp} (one statement) and completes each caller. A
 * lone look-up is answered at once; under load the batches grow by themselves. See {@link CoalescedReads} for why.
 *
 * @param <K> what is looked up
 * @param <V> its answer; a key {@code lookUp} leaves out is answered with null (not found)
 */
final class Coalescer<K, V> implements AutoCloseable {
    /** Answers many keys at once; throws {@link RecordsUnavailableException} if the store cannot be read. */
    interface LookUp<K, V> {
        Map<K, V> all(Set<K> keys);
    }

    private record Waiting<K, V>(K key, CompletableFuture<V> answer) {}

    private final LookUp<K, V> lookUp;
    private final int maxBatch;
    private final BlockingQueue<Waiting<K, V>> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong batches = new AtomicLong();
    private volatile boolean closed;

    Coalescer(String name, int threadCount, int maxBatch, LookUp<K, V> lookUp) {
        this.lookUp = requireNonNull(lookUp, "lookUp is null");
        if (threadCount < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("need at least one thread and a batch of at least one");
        }
        this.maxBatch = maxBatch;
        for (int i = 0; i < threadCount; i++) {
            Thread t = new Thread(this::loop, name + "-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    /**
     * The answer for {@code key} (null: not found), from a look-up made after this call began.
     *
     * @throws RecordsUnavailableException if the store cannot be read, or this is closed
     */
    V get(K key) {
        return join(submit(key));
    }

    /** The answers for these keys (those not found left out), each from a look-up made after this call began. */
    Map<K, V> getAll(Collection<K> keys) {
        Map<K, CompletableFuture<V>> pending = new LinkedHashMap<>();
        for (K key : keys) {
            pending.computeIfAbsent(key, this::submit);
        }
        Map<K, V> out = new LinkedHashMap<>();
        for (Map.Entry<K, CompletableFuture<V>> e : pending.entrySet()) {
            V v = join(e.getValue());
            if (v != null) {
                out.put(e.getKey(), v);
            }
        }
        return out;
    }

    /** Look-ups made so far (each answers one or more callers). */
    long batches() {
        return batches.get();
    }

    private CompletableFuture<V> submit(K key) {
        requireNonNull(key, "key is null");
        CompletableFuture<V> answer = new CompletableFuture<>();
        if (closed) {
            answer.completeExceptionally(shuttingDown());
            return answer;
        }
        queue.add(new Waiting<>(key, answer));
        if (closed) {
            // close() may have drained the queue just before this joined it.
            failQueued();
        }
        return answer;
    }

    private static <V> V join(CompletableFuture<V> answer) {
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private void loop() {
        List<Waiting<K, V>> batch = new ArrayList<>(maxBatch);
        while (!closed) {
            try {
                Waiting<K, V> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                answer(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                // Whatever went wrong, no caller is left waiting for an answer that will not come.
                RecordsUnavailableException failure = e instanceof RecordsUnavailableException r ? r
                        : new RecordsUnavailableException("the record store could not be read: " + e, e);
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

    private void answer(List<Waiting<K, V>> batch) {
        Set<K> keys = new LinkedHashSet<>();
        batch.forEach(w -> keys.add(w.key()));
        batches.incrementAndGet();
        Map<K, V> found = lookUp.all(keys);
        for (Waiting<K, V> w : batch) {
            w.answer().complete(found.get(w.key()));
        }
    }

    private void failQueued() {
        Waiting<K, V> w;
        while ((w = queue.poll()) != null) {
            w.answer().completeExceptionally(shuttingDown());
        }
    }

    private static RecordsUnavailableException shuttingDown() {
        return new RecordsUnavailableException("the server is shutting down", null);
    }

    /** Answers what is being looked up, fails what is still queued, and stops the threads. */
    @Override
    public void close() {
        closed = true;
        try {
            for (Thread t : threads) {
                t.join(30_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failQueued();
    }
}
