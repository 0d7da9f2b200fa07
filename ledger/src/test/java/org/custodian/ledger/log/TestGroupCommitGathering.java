package org.custodian.ledger.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A loaded group-commit writer gathers its batch before writing: appenders whose entries were just
 * committed come back one by one, and a writer that took whatever had arrived the moment it was free
 * split them into small batches, each paying a whole commit. These tests protect the three sides of
 * that: under load the appenders stay together in full batches; a lone appender never waits; when
 * the load falls, one append at most waits, for at most the gathering wait.
 *
 * <p>The store is a stand-in whose commit takes {@link #COMMIT} (a WAL flush's order of magnitude),
 * so that what is measured is the appender's batching, not a database.
 */
class TestGroupCommitGathering {
    private static final Duration COMMIT = Duration.ofMillis(2);

    @Test
    void underLoadTheAppendersStayTogetherInFullBatches() throws Exception {
        int appenders = 32;
        int rounds = 30;
        SlowStore store = new SlowStore();
        // A gathering wait far longer than any appender needs to come back, so the outcome does not
        // depend on how busy the machine is.
        try (GroupCommitAppender appender = new GroupCommitAppender(store.proxy(), 1, 4096, 10_000,
                Duration.ofSeconds(1), () -> {})) {
            List<Long> indexes = new CopyOnWriteArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int a = 0; a < appenders; a++) {
                int id = a;
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                        for (int n = 0; n < rounds; n++) {
                            indexes.add(appender.append(entry(id + "/" + n)).get(30, TimeUnit.SECONDS));
                        }
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                t.start();
                threads.add(t);
            }
            start.countDown();
            for (Thread t : threads) {
                t.join(120_000);
            }
            assertEquals(appenders * rounds, indexes.size(), "every append acknowledged");
            assertEquals(appenders * rounds, new HashSet<>(indexes).size(), "each with an index of its own");

            // The first batches are however the threads happened to start, and the last ones hold
            // whoever started late; in between, every batch should hold every appender. Without
            // gathering they split between early returners and the rest (a median of 26 of 32 when
            // this test was written, with gathering turned off).
            List<Integer> sorted = new ArrayList<>(store.batchSizes);
            sorted.sort(null);
            int median = sorted.get(sorted.size() / 2);
            assertTrue(median >= appenders - 1, "the median batch holds " + median + " entries for " + appenders
                    + " appenders: " + store.batchSizes);
        }
    }

    @Test
    void aLoneAppenderNeverWaitsToGather() throws Exception {
        SlowStore store = new SlowStore();
        // Were a lone appender to gather, each of its appends would wait a minute.
        try (GroupCommitAppender appender = new GroupCommitAppender(store.proxy(), 1, 4096, 10_000,
                Duration.ofMinutes(1), () -> {})) {
            long started = System.nanoTime();
            for (int n = 0; n < 20; n++) {
                appender.append(entry("alone/" + n)).get(30, TimeUnit.SECONDS);
            }
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(tookMillis < 30_000, "20 appends by one caller took " + tookMillis + " ms");
            assertTrue(store.batchSizes.stream().allMatch(size -> size == 1), "one entry per batch: " + store.batchSizes);
        }
    }

    @Test
    void whenTheLoadFallsOneAppendAtMostWaitsAndOnlyForTheGatheringWait() throws Exception {
        Duration gatherWait = Duration.ofMillis(400);
        SlowStore store = new SlowStore();
        try (GroupCommitAppender appender = new GroupCommitAppender(store.proxy(), 1, 4096, 10_000,
                gatherWait, () -> {})) {
            // Load: 16 appenders, so that the writer's previous batch is large.
            List<Thread> threads = new ArrayList<>();
            for (int a = 0; a < 16; a++) {
                int id = a;
                Thread t = new Thread(() -> {
                    try {
                        for (int n = 0; n < 5; n++) {
                            appender.append(entry("load/" + id + "/" + n)).get(30, TimeUnit.SECONDS);
                        }
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join(60_000);
            }
            int largest = store.batchSizes.stream().mapToInt(Integer::intValue).max().orElse(0);
            assertTrue(largest >= GroupCommitAppender.GATHER_FROM, "the load made a large batch: " + store.batchSizes);

            // Then one appender alone: its first append may wait out the gathering (the writer
            // expects the previous batch's crowd); after that the target is one entry.
            List<Long> millis = new ArrayList<>();
            for (int n = 0; n < 10; n++) {
                long started = System.nanoTime();
                appender.append(entry("after/" + n)).get(30, TimeUnit.SECONDS);
                millis.add((System.nanoTime() - started) / 1_000_000);
            }
            long waited = millis.stream().filter(m -> m >= gatherWait.toMillis() / 2).count();
            assertTrue(waited <= 1, "at most one append waits to gather once the load is gone: " + millis + " ms");
            assertTrue(millis.get(0) < gatherWait.toMillis() + 10_000, "the wait is bounded: " + millis + " ms");
        }
    }

    private static PendingEntry entry(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new PendingEntry(bytes, bytes);
    }

    /** A log store that only appends: each batch is one "commit" taking {@link #COMMIT}. */
    private static final class SlowStore {
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        private final AtomicLong next = new AtomicLong();

        LogStore proxy() {
            return (LogStore) Proxy.newProxyInstance(LogStore.class.getClassLoader(), new Class<?>[] {LogStore.class},
                    (self, method, args) -> {
                        if (!method.getName().equals("appendBatch")) {
                            throw new IllegalStateException("this stand-in store only appends, not " + method.getName());
                        }
                        List<?> batch = (List<?>) args[0];
                        Thread.sleep(COMMIT.toMillis());
                        batchSizes.add(batch.size());
                        long[] indexes = new long[batch.size()];
                        for (int i = 0; i < indexes.length; i++) {
                            indexes[i] = next.getAndIncrement();
                        }
                        return indexes;
                    });
        }
    }
}
