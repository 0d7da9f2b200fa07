package org.custodian.app.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.custodian.app.Main;
import org.custodian.app.cli.LogKeys;
import org.custodian.app.database.Database;
import org.custodian.app.database.DatabaseOptions;
import org.custodian.ledger.log.LogConfig;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.merkle.MerkleTree;
import org.custodian.ledger.note.Checkpoint;
import org.custodian.ledger.note.Note;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.verify.LedgerVerifier;
import org.custodian.ledger.verify.VerificationReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a server process while it appends, many times over, on one data directory: after every
 * restart no acknowledged entry is missing, every checkpoint ever published is consistent with every
 * later one, and {@code custodian ledger verify} passes.
 *
 * <p>Each round starts an {@link AppendingChild} JVM (eight appending threads and a sequencer, on the
 * embedded PostgreSQL of the shared data directory), waits until it has appended a random number of
 * entries and, in some rounds, until its sequencer has taken over and published a checkpoint past the
 * previous crash, then kills it with SIGKILL after a random delay. Most rounds kill only the JVM: its
 * PostgreSQL, started detached by pg_ctl, lives on as an orphan and the next process must adopt it. Every
 * fourth round also SIGKILLs every PostgreSQL process of the directory, before or after the JVM, as a
 * machine crash would, so that the next process restarts PostgreSQL through crash recovery.
 *
 * <p>Each round checks that no append failed while the database was up (a healthy append must not be
 * refused, for instance by a gap filler taking its index) and that no index was acknowledged twice.
 * Everything the children printed (acknowledgements and checkpoints) is checked at the end against the
 * database. Randomness comes from a fixed seed (override with {@code -Dcustodian.crash.seed=N}; the
 * number of rounds with {@code -Dcustodian.crash.rounds=N}). There are no timing assertions: timeouts
 * only keep a broken run from hanging.
 */
class TestCrashRecovery {
    private static final long SEED = Long.getLong("custodian.crash.seed", 0x5EED_C0DEL);
    private static final int ROUNDS = Integer.getInteger("custodian.crash.rounds", 15);
    private static final int APPENDERS = 8;
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern ACK = Pattern.compile("ACK (\\d+) ([0-9a-f]{64})");
    private static final Pattern CHECKPOINT = Pattern.compile("CHECKPOINT ([A-Za-z0-9+/=]+)");

    @TempDir
    Path temp;

    private Path dir;
    private final List<Child> children = new ArrayList<>();
    /** Every PostgreSQL process (postmaster and backends) of the data directory seen during the test. */
    private final Set<Long> postgresPids = Collections.synchronizedSet(new LinkedHashSet<>());

    @Test
    void repeatedKillNineDuringAppendsLosesNoAcknowledgedEntryAndEveryPublishedCheckpointIsConsistentWithTheFinalLog()
            throws Exception {
        dir = temp.resolve("custodian-data");
        SplittableRandom random = new SplittableRandom(SEED);
        Map<Long, String> acknowledged = new HashMap<>();
        List<String> checkpoints = new ArrayList<>();
        int machineCrashes = 0;
        int sequencerResumed = 0;
        long started = System.nanoTime();
        System.err.printf("TestCrashRecovery: seed %d, %d rounds, data in %s%n", SEED, ROUNDS, dir);

        for (int round = 0; round < ROUNDS; round++) {
            // Every fourth round (2, 6, 10, 14) is a machine crash, so the last one ends with one too.
            boolean machineCrash = round % 4 == 2;
            Child child = new Child(round);
            children.add(child);
            // Two rounds in five let this process's sequencer resume past the previous crash before the
            // kill: its checkpoint covers an entry appended in this round, so every earlier one too
            // (gaps left by appends the kill cut off included; filling them takes Sequencer.GAP_GRACE).
            // The others kill it whatever it is doing, often while its sequencer waits for such a gap to
            // age, or fills it.
            boolean awaitSequencer = random.nextInt(5) < 2;
            int wantAcks = 1 + random.nextInt(300);
            long delayMillis = random.nextInt(800);
            long roundStarted = System.nanoTime();
            child.awaitReady();
            child.await(() -> child.acks.size() >= wantAcks, "at least " + wantAcks + " acknowledged appends");
            if (awaitSequencer) {
                sequencerResumed++;
                child.await(() -> child.maxCheckpointSize.get() > child.minAck.get(),
                        "a checkpoint covering its first acknowledged entry");
            }
            Thread.sleep(delayMillis);
            boolean postgresFirst = machineCrash && random.nextBoolean();
            if (machineCrash) {
                machineCrashes++;
                killEverything(child, postgresFirst);
            } else {
                postgresProcesses(); // remembered for the clean-up: the orphaned server lives on
                child.kill();
            }
            child.awaitOutput();
            assertEquals(List.of(), child.unexpected, "round " + round + ": lines the child should not print");
            if (!postgresFirst) {
                // The child's database was up from its start to its kill: a healthy append must not fail
                // (when PostgreSQL died first, appends in that instant fail, as they should).
                assertEquals(List.of(), child.failures.subList(0, Math.min(10, child.failures.size())),
                        "round " + round + ": appends failed (" + child.failures.size() + ") although the database was up");
            }
            for (Map.Entry<Long, String> ack : child.acks.entrySet()) {
                String before = acknowledged.putIfAbsent(ack.getKey(), ack.getValue());
                if (before != null) {
                    fail("index " + ack.getKey() + " was acknowledged twice: for leaf hash " + before
                            + " and, in round " + round + ", for " + ack.getValue());
                }
            }
            checkpoints.addAll(child.checkpoints);
            System.err.printf("TestCrashRecovery: round %d (%.1f s): %d acknowledged, %d checkpoints (latest size %d),"
                            + " then kill -9 of %s%n", round, (System.nanoTime() - roundStarted) / 1e9,
                    child.acks.size(), child.checkpoints.size(), child.maxCheckpointSize.get(),
                    machineCrash ? "the JVM and every PostgreSQL process" : "the JVM");
        }

        NoteSigner key = LogKeys.load(dir.resolve("keys"));
        try (Database db = Database.open(DatabaseOptions.embedded(dir).withShutdownHook(false)
                .withLog(line -> System.err.println("[test] " + line)))) {
            PostgresLogStore store = new PostgresLogStore(db.dataSource());
            integrateEverything(store, key);
            assertAcknowledgedEntriesAreStored(store, acknowledged);
            VerificationReport report = new LedgerVerifier(store, key.verifier(), n -> { }).verify();
            assertTrue(report.ok(), () -> "ledger verification failed: " + report.problems());
            assertCheckpointsAreConsistentWithTheLog(store, key, checkpoints);
        }
        assertEquals(0, Main.run("ledger", "verify", "--data", dir.toString()), "custodian ledger verify");

        System.err.printf("TestCrashRecovery: %d rounds, %d kill -9 (%d with every PostgreSQL process; %d after the"
                        + " sequencer resumed), %d acknowledged entries and %d checkpoints checked, in %d s%n",
                ROUNDS, ROUNDS, machineCrashes, sequencerResumed, acknowledged.size(), checkpoints.size(),
                (System.nanoTime() - started) / 1_000_000_000L);
    }

    /**
     * Every acknowledged (index, leaf hash) is stored at that index, and (once the sequencer has filled
     * the gaps that cut-off appends left) the stored entries are exactly the indexes handed out.
     */
    private static void assertAcknowledgedEntriesAreStored(PostgresLogStore store, Map<Long, String> acknowledged) {
        long appended = store.appendedSize();
        List<byte[]> leaves = store.readLeaves(0, Math.toIntExact(appended));
        assertEquals(appended, leaves.size(), "the sequence says " + appended + " entries were appended");
        assertTrue(!acknowledged.isEmpty(), "something was acknowledged");
        for (Map.Entry<Long, String> ack : acknowledged.entrySet()) {
            long index = ack.getKey();
            assertTrue(index < leaves.size(), "acknowledged entry " + index + " is missing (" + leaves.size() + " stored)");
            assertEquals(ack.getValue(), Hashes.hex(Hashes.leafHash(leaves.get((int) index))),
                    "the leaf stored at acknowledged index " + index);
        }
    }

    /** Lets a sequencer (this process's) integrate every appended entry. */
    private static void integrateEverything(PostgresLogStore store, NoteSigner key) throws InterruptedException {
        try (TransparencyLog log = TransparencyLog.open(store, key,
                new LogConfig(AppendingChild.ORIGIN, Duration.ofMillis(100), 1024, 65_536, true))) {
            long appended = log.appendedSize();
            long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
            while (log.treeHead().size() < appended) {
                if (System.nanoTime() > deadline) {
                    fail("the sequencer did not integrate the log: tree size " + log.treeHead().size()
                            + " of " + appended + " appended");
                }
                Thread.sleep(50);
            }
            assertEquals(appended, log.treeHead().size());
        }
    }

    /**
     * Every checkpoint any child printed verifies with the log key, is stored, and signs the root that
     * the final stored entries give at its size. Since all of them are prefixes of one final tree, each
     * is consistent with every later one.
     */
    private static void assertCheckpointsAreConsistentWithTheLog(PostgresLogStore store, NoteSigner key,
            List<String> checkpoints) throws Exception {
        assertTrue(!checkpoints.isEmpty(), "checkpoints were published");
        long size = store.treeHead().size();
        MerkleTree tree = new MerkleTree();
        for (byte[] leaf : store.readLeaves(0, Math.toIntExact(size))) {
            tree.append(Hashes.leafHash(leaf));
        }
        assertEquals(size, tree.size());
        for (String note : checkpoints) {
            Note.open(note, List.of(key.verifier())); // throws unless signed by the log key
            Checkpoint checkpoint = Checkpoint.parse(Note.parse(note).text());
            assertEquals(AppendingChild.ORIGIN, checkpoint.origin());
            assertTrue(checkpoint.size() <= size,
                    "checkpoint for size " + checkpoint.size() + " is beyond the final tree (size " + size + ")");
            assertEquals(Hashes.hex(tree.root(checkpoint.size())), Hashes.hex(checkpoint.rootHash()),
                    "checkpoint for size " + checkpoint.size() + " signs a root the stored entries do not give");
            PublishedCheckpoint stored = store.checkpoint(checkpoint.size()).orElseThrow(
                    () -> new AssertionError("published checkpoint for size " + checkpoint.size() + " is not stored"));
            assertEquals(note, stored.note(), "the stored checkpoint for size " + checkpoint.size());
            assertArrayEquals(checkpoint.rootHash(), stored.root());
        }
    }

    // ---- killing ----

    /**
     * A machine crash: SIGKILL to the child JVM and to every PostgreSQL process of the data directory, in
     * either order, with nothing in between (the backends are children of the postmaster, snapshot first).
     */
    private void killEverything(Child child, boolean postgresFirst) throws Exception {
        List<ProcessHandle> postgres = postgresProcesses();
        if (!postgresFirst) {
            child.process.destroyForcibly();
        }
        for (ProcessHandle p : postgres) {
            p.destroyForcibly();
        }
        if (postgresFirst) {
            child.process.destroyForcibly();
        }
        child.kill();
        for (ProcessHandle p : postgres) {
            assertTrue(awaitGone(p.pid(), Duration.ofSeconds(30)), "postgres process " + p.pid() + " survived SIGKILL");
        }
    }

    /** The postmaster named by DIR/pg/postmaster.pid (if it is alive) and its children, postmaster first. */
    private List<ProcessHandle> postgresProcesses() {
        List<ProcessHandle> all = new ArrayList<>();
        long pid = postmasterPid(dir);
        if (pid > 0 && isPostgres(pid)) {
            ProcessHandle.of(pid).ifPresent(postmaster -> {
                all.add(postmaster);
                all.addAll(postmaster.descendants().toList());
            });
        }
        for (ProcessHandle p : all) {
            postgresPids.add(p.pid());
        }
        return all;
    }

    private static long postmasterPid(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.isEmpty() ? 0 : Long.parseLong(lines.get(0).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Whether {@code pid} is a live (not zombie) postgres process, so that a pid reused by another program is left alone. */
    private static boolean isPostgres(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            String stat = Files.readString(proc.resolve("stat"), StandardCharsets.UTF_8);
            int afterName = stat.lastIndexOf(')');
            if (afterName > 0 && afterName + 2 < stat.length() && stat.charAt(afterName + 2) == 'Z') {
                return false;
            }
            String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
            return cmdline.startsWith("postgres") || cmdline.contains("/postgres\0");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean awaitGone(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isPostgres(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** No child JVM and no PostgreSQL process of the data directory outlives the test, even when it fails. */
    @AfterEach
    void leaveNoProcessBehind() throws Exception {
        for (Child child : children) {
            child.kill();
        }
        if (dir == null) {
            return;
        }
        List<ProcessHandle> postgres = postgresProcesses();
        if (!postgres.isEmpty()) {
            // SIGQUIT: immediate shutdown, the postmaster takes its backends with it.
            new ProcessBuilder("kill", "-QUIT", Long.toString(postgres.get(0).pid())).inheritIO().start()
                    .waitFor(10, TimeUnit.SECONDS);
            awaitGone(postgres.get(0).pid(), Duration.ofSeconds(10));
        }
        for (long pid : List.copyOf(postgresPids)) {
            if (isPostgres(pid)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        for (long pid : List.copyOf(postgresPids)) {
            assertTrue(awaitGone(pid, Duration.ofSeconds(10)), "postgres process " + pid + " is still running");
        }
    }

    // ---- the child process ----

    /** One {@link AppendingChild} JVM and what it printed (complete lines only). */
    private final class Child {
        final int round;
        final Process process;
        final Thread reader;
        final Map<Long, String> acks = new ConcurrentHashMap<>();
        final Queue<String> checkpoints = new ConcurrentLinkedQueue<>();
        final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong minAck = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong maxCheckpointSize = new AtomicLong(-1);
        volatile boolean ready;
        volatile int cutOffBytes;

        Child(int round) throws IOException {
            this.round = round;
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    AppendingChild.class.getName(), dir.toString(), Integer.toString(APPENDERS))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            reader = new Thread(this::read, "crash-child-" + round + "-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        /** Reads stdout to its end; a last line without its newline was cut off by the kill and is dropped. */
        private void read() {
            try (InputStream in = new BufferedInputStream(process.getInputStream())) {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                for (int b; (b = in.read()) != -1; ) {
                    if (b == '\n') {
                        accept(line.toString(StandardCharsets.US_ASCII));
                        line.reset();
                    } else {
                        line.write(b);
                    }
                }
                cutOffBytes = line.size();
            } catch (IOException e) {
                // the child is gone
            }
        }

        private void accept(String line) {
            Matcher ack = ACK.matcher(line);
            Matcher checkpoint = CHECKPOINT.matcher(line);
            if (line.equals("READY")) {
                ready = true;
            } else if (ack.matches()) {
                long index = Long.parseLong(ack.group(1));
                if (acks.put(index, ack.group(2)) != null) {
                    unexpected.add("second acknowledgement of index " + index + ": " + line);
                }
                minAck.accumulateAndGet(index, Math::min);
            } else if (line.startsWith("FAILED ")) {
                failures.add(line.substring("FAILED ".length()));
            } else if (checkpoint.matches()) {
                String note = new String(Base64.getDecoder().decode(checkpoint.group(1)), StandardCharsets.UTF_8);
                checkpoints.add(note);
                try {
                    long size = Checkpoint.parse(Note.parse(note).text()).size();
                    maxCheckpointSize.accumulateAndGet(size, Math::max);
                } catch (Exception e) {
                    unexpected.add("unparsable checkpoint (" + e.getMessage() + "): " + line);
                }
            } else {
                unexpected.add(line);
            }
        }

        void awaitReady() throws InterruptedException {
            await(() -> ready, "READY");
        }

        void await(BooleanSupplier condition, String what) throws InterruptedException {
            long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
            while (!condition.getAsBoolean()) {
                if (!process.isAlive() && !reader.isAlive() && !condition.getAsBoolean()) {
                    fail("round " + round + ": the child exited with " + process.exitValue() + " before " + what);
                }
                if (System.nanoTime() > deadline) {
                    fail("round " + round + ": no " + what + " within " + STEP_TIMEOUT.toSeconds() + " s (acknowledged "
                            + acks.size() + ", latest checkpoint size " + maxCheckpointSize.get() + ")");
                }
                Thread.sleep(10);
            }
        }

        /** kill -9 */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                fail("round " + round + ": the child survived SIGKILL");
            }
        }

        /** Waits until everything the dead child printed has been read. */
        void awaitOutput() throws InterruptedException {
            reader.join(STEP_TIMEOUT.toMillis());
            assertTrue(!reader.isAlive(), "round " + round + ": the child's output did not end");
        }
    }
}
