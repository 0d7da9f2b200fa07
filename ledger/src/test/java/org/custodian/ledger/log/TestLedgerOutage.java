package org.custodian.ledger.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.verify.LedgerVerifier;
import org.custodian.ledger.verify.VerificationReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database going away while entries are appended: appends fail with a clear error, nothing
 * unrecorded is ever acknowledged, and the log recovers by itself when the database returns.
 */
class TestLedgerOutage {
    private static final String ORIGIN = "outage.test/log";

    @TempDir
    Path dir;

    @Test
    void appendsFailClearlyDuringAnOutageAndTheLogRecoversByItself() throws Exception {
        PostgresForTests postgres = PostgresForTests.start(dir.resolve("pg"));
        try {
            DataSource ds = postgres.newDatabase();
            NoteSigner key = NoteSigner.generate(ORIGIN);
            Map<Long, byte[]> acknowledged = new ConcurrentHashMap<>();
            AtomicInteger failures = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            try (TransparencyLog log = TransparencyLog.open(new PostgresLogStore(ds), key,
                    new LogConfig(ORIGIN, Duration.ofMillis(100), 256, 100_000, true))) {
                Thread[] appenders = new Thread[8];
                for (int t = 0; t < appenders.length; t++) {
                    appenders[t] = new Thread(() -> {
                        long n = 0;
                        while (!stop.get()) {
                            LedgerEntry entry = LedgerEntry.create("test.entry", 1, Instant.now(), Map.of("n", n++));
                            try {
                                long index = log.append(entry).get(30, TimeUnit.SECONDS);
                                acknowledged.put(index, entry.envelope().leafData());
                            } catch (ExecutionException e) {
                                assertTrue(e.getCause() instanceof LedgerUnavailableException, "a clear ledger error: " + e.getCause());
                                failures.incrementAndGet();
                                sleep(20);
                            } catch (InterruptedException | TimeoutException e) {
                                throw new AssertionError("an append neither succeeded nor failed", e);
                            }
                        }
                    });
                    appenders[t].start();
                }
                awaitCount(acknowledged, 500);
                postgres.stopServer();
                long failuresBefore = failures.get();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (failures.get() < failuresBefore + 20 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(failures.get() >= failuresBefore + 20, "appends fail while the database is down");
                int acknowledgedDuringOutage = acknowledged.size();
                Thread.sleep(500);
                assertTrue(acknowledged.size() - acknowledgedDuringOutage <= 8,
                        "no appends are acknowledged while the database is down (beyond those in flight)");

                postgres.startServer();
                awaitCount(acknowledged, acknowledged.size() + 500);
                stop.set(true);
                for (Thread t : appenders) {
                    t.join();
                }
                long size = log.appendedSize();
                long waitUntil = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (log.treeHead().size() < size && System.nanoTime() < waitUntil) {
                    Thread.sleep(50);
                }
                assertEquals(size, log.treeHead().size(), "the sequencer recovered and integrated everything");
            }
            PostgresLogStore store = new PostgresLogStore(ds);
            List<byte[]> leaves = store.readLeaves(0, Integer.MAX_VALUE - 1);
            for (Map.Entry<Long, byte[]> e : acknowledged.entrySet()) {
                assertArrayEquals(e.getValue(), leaves.get(e.getKey().intValue()), "acknowledged entry " + e.getKey() + " is stored");
            }
            VerificationReport report = new LedgerVerifier(store, key.verifier(), n -> {}).verify();
            assertTrue(report.ok(), () -> report.problems().toString());
        } finally {
            postgres.close();
        }
    }

    private static void awaitCount(Map<Long, byte[]> acknowledged, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (acknowledged.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("appends did not resume: " + acknowledged.size() + " of " + count);
            }
            Thread.sleep(20);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
