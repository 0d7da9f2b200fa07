package org.custodian.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.database.Database;
import org.custodian.app.serve.Databases;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.LogConfig;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.merkle.ProofVerifier;
import org.custodian.ledger.note.Checkpoint;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.tiles.Integration;
import org.custodian.ledger.tiles.TileBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code custodian bench ledger}: durable append throughput and latency (group commit against a
 * one-entry-per-transaction baseline, in the same run), append-to-checkpoint latency, and proof
 * times from stored tiles at 10 million entries. Uses a real embedded PostgreSQL with fsync on.
 */
@Command(name = "ledger", mixinStandardHelpOptions = true,
        description = {"Benchmarks the ledger on a real embedded PostgreSQL (fsync on) in a temporary directory:",
            "durable appends (group commit vs. one transaction per entry), append to signed checkpoint,",
            "and inclusion/consistency proofs from stored tiles in a large tree."})
final class LedgerBench implements Callable<Integer> {
    private static final String ORIGIN = "bench.custodian/log";

    @Option(names = "--appenders", defaultValue = "64", description = "concurrent appenders (default: ${DEFAULT-VALUE})")
    int appenders;

    @Option(names = "--seconds", defaultValue = "15", description = "measured seconds per append run (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--appender-threads", defaultValue = "0",
            description = {"threads that drive the appenders (default: 0, one thread per appender, blocked on each append",
                "until it is durable, as a request thread is). With fewer, each thread keeps its share of the appenders'",
                "appends in flight and starts an appender's next append when its previous one is acknowledged, as a",
                "non-blocking server would; every appender still has one append at a time in flight."})
    int appenderThreads;

    /** Threads that drive the appenders in the non-blocking run printed beside the default's blocking one. */
    private static final int NON_BLOCKING_DRIVERS = 4;

    @Option(names = "--writers", description = "append transactions in flight at once (default: one per two cores)")
    int writers = LogConfig.DEFAULT_WRITERS;

    @Option(names = "--entry-bytes", defaultValue = "300", description = "approximate size of an entry's content (default: ${DEFAULT-VALUE})")
    int entryBytes;

    @Option(names = "--proof-tree-size", defaultValue = "10000000", description = "tree size for the proof benchmark (default: ${DEFAULT-VALUE}; 0 skips it)")
    long proofTreeSize;

    @Option(names = "--proofs", defaultValue = "20000", description = "proofs of each kind to time (default: ${DEFAULT-VALUE})")
    int proofs;

    @Option(names = "--phases", split = ",", defaultValue = "baseline,group,moderate,proofs",
            description = "which parts to run, comma-separated: baseline, group, moderate, proofs (default: all)")
    List<String> phases;

    @Option(names = "--data", paramLabel = "DIR", description = "where to put the benchmark's database (default: a temporary directory, deleted after)")
    Path data;

    @Override
    public Integer call() throws Exception {
        if (appenderThreads < 0 || appenderThreads > appenders) {
            throw new CommandFailure(CommandFailure.USAGE, "need 0 <= --appender-threads <= --appenders");
        }
        if (appenders < 1 || seconds < 1 || entryBytes < 50) {
            throw new CommandFailure(CommandFailure.USAGE, "need --appenders >= 1, --seconds >= 1, --entry-bytes >= 50");
        }
        for (String phase : phases) {
            if (!List.of("baseline", "group", "moderate", "proofs").contains(phase)) {
                throw new CommandFailure(CommandFailure.USAGE, "unknown phase '" + phase + "'; use baseline, group, moderate, proofs");
            }
        }
        Path dir = data != null ? data.toAbsolutePath() : Files.createTempDirectory("custodian-bench-");
        System.out.printf("Custodian ledger benchmark: %d cores, Java %s, %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), System.getProperty("os.name"));
        System.out.println("Database: embedded PostgreSQL in " + dir + " (fsync on, synchronous_commit on)");
        try (Database database = Databases.openForBenchmark(dir)) {
            System.out.println("Database: " + database.description());
            System.out.println();
            cpu = new CpuMeter(database.embedded() != null ? database.embedded().postmasterPid() : -1);
            if (phases.contains("baseline") || phases.contains("group")) {
                System.out.println("1. Durable appends, " + appenders + " concurrent appenders, ~" + entryBytes + "-byte entries, " + seconds + " s each");
            }
            Result baseline = phases.contains("baseline")
                    ? appendRun(database, "baseline: one entry per transaction", appenders, appenderThreads, 1, false) : null;
            Result grouped = phases.contains("group")
                    ? appendRun(database, "group commit (batches up to 4,096)", appenders, appenderThreads, 4096, true) : null;
            if (grouped != null && appenderThreads == 0 && appenders > NON_BLOCKING_DRIVERS) {
                // Both ways of holding 64 appends in flight: a blocked thread each (the kernel's
                // thread switches on 2 cores cost more than the ledger), and a few threads each
                // keeping its share in flight, as a non-blocking server does (docs/benchmarks.md).
                appendRun(database, "the same, appenders on " + NON_BLOCKING_DRIVERS + " threads", appenders,
                        NON_BLOCKING_DRIVERS, 4096, true);
            }
            if (baseline != null && grouped != null) {
                System.out.printf("   group commit / baseline throughput: %.1fx%n", grouped.perSecond / baseline.perSecond);
            }
            if (phases.contains("moderate")) {
                System.out.println();
                System.out.println("   The same at a moderate load (4 appenders), for the append-to-checkpoint latency of a log not at saturation:");
                appendRun(database, "group commit, 4 appenders", 4, appenderThreads, 4096, true);
            }
            System.out.println();
            if (proofTreeSize > 0 && phases.contains("proofs")) {
                proofRun(database);
            }
        } finally {
            if (data == null) {
                deleteTree(dir);
            }
        }
        return 0;
    }

    record Result(double perSecond) {}

    private Result appendRun(Database database, String name, int threads, int drivers, int maxBatch, boolean measureCheckpoints)
            throws Exception {
        DataSource ds = freshSchema(database);
        NoteSigner key = NoteSigner.generate(ORIGIN);
        // The baseline has the same writers, so the comparison is only about sharing commits.
        LogConfig config = new LogConfig(ORIGIN, LogConfig.server(ORIGIN).integrationInterval(), writers, maxBatch, 1 << 20, measureCheckpoints);
        ConcurrentSkipListMap<Long, Long> appendedAt = new ConcurrentSkipListMap<>();
        Latencies toCheckpoint = new Latencies();
        try (TransparencyLog log = TransparencyLog.open(new PostgresLogStore(ds), key, config)) {
            log.onCheckpoint((PublishedCheckpoint cp) -> {
                long now = System.nanoTime();
                synchronized (toCheckpoint) {
                    var covered = appendedAt.headMap(cp.size());
                    for (long t : covered.values()) {
                        toCheckpoint.add(now - t);
                    }
                    covered.clear();
                }
            });
            String padding = "x".repeat(Math.max(0, entryBytes - 160));
            // Warm up (JIT, connections), then measure.
            run(log, padding, threads, drivers, Math.min(3, seconds), null, null);
            AtomicLong count = new AtomicLong();
            List<Latencies> perThread = new ArrayList<>();
            currentSamples = measureCheckpoints ? appendedAt : null;
            CpuMeter.Sample cpuBefore = cpu.sample();
            long started = System.nanoTime();
            run(log, padding, threads, drivers, seconds, count, perThread);
            double elapsed = (System.nanoTime() - started) / 1e9;
            CpuMeter.Sample cpuAfter = cpu.sample();
            currentSamples = null;
            Latencies all = new Latencies();
            perThread.forEach(all::addAll);
            double perSecond = count.get() / elapsed;
            System.out.printf("   %-40s %,10.0f appends/s   latency p50 %6.2f ms  p99 %6.2f ms%n", name, perSecond,
                    all.percentileMillis(50), all.percentileMillis(99));
            System.out.printf("   %-40s %s%n", "", CpuMeter.perOperation(cpuBefore, cpuAfter, count.get()));
            if (measureCheckpoints) {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!appendedAt.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                synchronized (toCheckpoint) {
                    System.out.printf("   %-40s %,10d sampled   latency p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms%n",
                            "append to signed checkpoint", toCheckpoint.count(), toCheckpoint.percentileMillis(50),
                            toCheckpoint.percentileMillis(99), toCheckpoint.percentileMillis(100));
                }
            }
            return new Result(perSecond);
        }
    }

    private void run(TransparencyLog log, String padding, int appenderCount, int drivers, int runSeconds, AtomicLong count,
            List<Latencies> perThread) throws InterruptedException {
        if (drivers > 0 && drivers < appenderCount) {
            runInFlight(log, padding, appenderCount, drivers, runSeconds, count, perThread);
            return;
        }
        int appenderThreads = appenderCount;
        long end = System.nanoTime() + Duration.ofSeconds(runSeconds).toNanos();
        CountDownLatch done = new CountDownLatch(appenderThreads);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < appenderThreads; t++) {
            Latencies mine = new Latencies();
            if (perThread != null) {
                perThread.add(mine);
            }
            int thread = t;
            Thread th = new Thread(() -> {
                long n = 0;
                try {
                    while (System.nanoTime() < end) {
                        LedgerEntry entry = LedgerEntry.create("bench.entry", 1, Instant.now(),
                                Map.of("appender", (long) thread, "n", n++, "padding", padding));
                        long t0 = System.nanoTime();
                        long index = log.appendAndWait(entry);
                        long t1 = System.nanoTime();
                        mine.add(t1 - t0);
                        if (count != null) {
                            count.incrementAndGet();
                            ConcurrentSkipListMap<Long, Long> map = currentSamples;
                            if (map != null && (index & 15) == 0) {
                                map.put(index, t0);
                            }
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "bench-appender-" + t);
            threads.add(th);
            th.start();
        }
        done.await();
    }

    private CpuMeter cpu = new CpuMeter(-1);

    /**
     * The same closed loop as {@link #run} (each appender has one append in flight and starts the
     * next when it is acknowledged), driven by {@code appenderThreads} threads instead of one thread
     * per appender: acknowledgements come back on a queue per driving thread, which starts the next
     * appends of every appender acknowledged since it last looked. No thread blocks per append.
     */
    private void runInFlight(TransparencyLog log, String padding, int appenderCount, int appenderThreads, int runSeconds,
            AtomicLong count, List<Latencies> perThread) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(runSeconds).toNanos();
        CountDownLatch done = new CountDownLatch(appenderThreads);
        record Ack(int appender, long started, long index, Throwable failure) {}
        for (int t = 0; t < appenderThreads; t++) {
            Latencies mine = new Latencies();
            if (perThread != null) {
                perThread.add(mine);
            }
            int first = t * appenderCount / appenderThreads;
            int last = (t + 1) * appenderCount / appenderThreads;
            java.util.concurrent.LinkedBlockingQueue<Ack> acks = new java.util.concurrent.LinkedBlockingQueue<>();
            Thread th = new Thread(() -> {
                long[] n = new long[last - first];
                int inFlight = 0;
                List<Ack> ready = new ArrayList<>();
                try {
                    for (int a = first; a < last; a++) {
                        startAppend(log, padding, a, n[a - first]++, acks, Ack::new);
                        inFlight++;
                    }
                    while (inFlight > 0) {
                        ready.add(acks.take());
                        acks.drainTo(ready);
                        long now = System.nanoTime();
                        for (Ack ack : ready) {
                            inFlight--;
                            if (ack.failure() != null) {
                                throw new IllegalStateException("append failed", ack.failure());
                            }
                            mine.add(now - ack.started());
                            if (count != null) {
                                count.incrementAndGet();
                                ConcurrentSkipListMap<Long, Long> map = currentSamples;
                                if (map != null && (ack.index() & 15) == 0) {
                                    map.put(ack.index(), ack.started());
                                }
                            }
                            if (now < end) {
                                startAppend(log, padding, ack.appender(), n[ack.appender() - first]++, acks, Ack::new);
                                inFlight++;
                            }
                        }
                        ready.clear();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }, "bench-appenders-" + t);
            th.start();
        }
        done.await();
    }

    private interface AckFactory<A> {
        A ack(int appender, long started, long index, Throwable failure);
    }

    private static <A> void startAppend(TransparencyLog log, String padding, int appender, long n,
            java.util.concurrent.BlockingQueue<A> acks, AckFactory<A> ack) {
        LedgerEntry entry = LedgerEntry.create("bench.entry", 1, Instant.now(),
                Map.of("appender", (long) appender, "n", n, "padding", padding));
        long started = System.nanoTime();
        log.append(entry).whenComplete((index, failure) ->
                acks.add(ack.ack(appender, started, failure == null ? index : -1, failure)));
    }

    /** Where appenders note the start time of every 16th entry, for the append-to-checkpoint latency. */
    private volatile ConcurrentSkipListMap<Long, Long> currentSamples;

    private DataSource freshSchema(Database database) {
        return Databases.freshDatabase(database);
    }

    private void proofRun(Database database) throws Exception {
        System.out.printf("2. Proofs from stored tiles in a tree of %,d entries%n", proofTreeSize);
        DataSource ds = freshSchema(database);
        NoteSigner key = NoteSigner.generate(ORIGIN);
        PostgresLogStore store = new PostgresLogStore(ds);
        store.bindIdentity(ORIGIN, key.verifierKeyText());
        // Build the tree's tiles directly from synthetic leaf hashes, through the sequencer's own
        // storage path (TileBuilder + integrate), without writing 10 million entries first.
        TileBuilder builder = TileBuilder.empty();
        long started = System.nanoTime();
        SplittableRandom random = new SplittableRandom(42);
        int chunk = 1 << 16;
        byte[] leaf = new byte[32];
        while (builder.size() < proofTreeSize) {
            int n = (int) Math.min(chunk, proofTreeSize - builder.size());
            List<byte[]> hashes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long v = random.nextLong();
                for (int b = 0; b < 8; b++) {
                    leaf[b] = (byte) (v >>> (8 * b));
                }
                hashes.add(Hashes.leafHash(leaf));
            }
            Integration integration = builder.append(hashes);
            String body = new Checkpoint(ORIGIN, integration.newSize(), integration.root(), List.of()).body();
            store.integrate(integration, body + "\n" + key.sign(body));
            if ((builder.size() / chunk) % 16 == 0 || builder.size() == proofTreeSize) {
                System.out.printf("\r   building tiles: %,d / %,d leaves (%.0f s)", builder.size(), proofTreeSize,
                        (System.nanoTime() - started) / 1e9);
            }
        }
        System.out.println();
        byte[] root = builder.root();
        try (TransparencyLog log = TransparencyLog.open(store, key, LogConfig.client(ORIGIN))) {
            long size = proofTreeSize;
            Latencies inclusion = new Latencies();
            Latencies consistency = new Latencies();
            SplittableRandom pick = new SplittableRandom(7);
            // Warm up (JIT, connections, server-side prepared statements, upper tiles in the cache).
            for (int i = 0; i < Math.min(proofs, 5000); i++) {
                log.inclusionProof(pick.nextLong(size), size);
                log.consistencyProof(1 + pick.nextLong(size - 1), size);
            }
            for (int i = 0; i < proofs; i++) {
                long index = pick.nextLong(size);
                long t0 = System.nanoTime();
                List<byte[]> proof = log.inclusionProof(index, size);
                inclusion.add(System.nanoTime() - t0);
                if (i % 1000 == 0) {
                    ProofVerifier.verifyInclusion(log.leafHash(index), index, size, proof, root);
                }
                long old = 1 + pick.nextLong(size - 1);
                t0 = System.nanoTime();
                log.consistencyProof(old, size);
                consistency.add(System.nanoTime() - t0);
            }
            System.out.printf("   %-40s %,10d proofs     p50 %6.3f ms  p99 %6.3f ms  mean %6.3f ms%n", "inclusion (random leaf)",
                    inclusion.count(), inclusion.percentileMillis(50), inclusion.percentileMillis(99), inclusion.meanMillis());
            System.out.printf("   %-40s %,10d proofs     p50 %6.3f ms  p99 %6.3f ms  mean %6.3f ms%n", "consistency (random old size)",
                    consistency.count(), consistency.percentileMillis(50), consistency.percentileMillis(99), consistency.meanMillis());
            System.out.println("   (every 1,000th inclusion proof verified against the root)");
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
