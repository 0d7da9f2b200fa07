package org.custodian.app.tlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.custodian.app.Cli;
import org.custodian.app.Cli.Result;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.LogConfig;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.note.Checkpoint;
import org.custodian.ledger.note.Note;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.server.CustodianServer;
import org.custodian.server.log.LogRoutes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code custodian tlog monitor} against real logs served over HTTP in-process (PostgreSQL,
 * TransparencyLog, CustodianServer with LogRoutes). A log that misbehaves is simulated as an
 * attacker holding the log's key would: a second database signed with the same key and origin,
 * holding other entries (a fork, a split view) or fewer (a rollback), served on another port.
 */
class TestMonitorCommand {
    private static final String ORIGIN = "monitor.test/custodian/log";
    private static final int SIZE = 300; // more than one full level-0 tile
    private static final java.util.HexFormat HEX = java.util.HexFormat.of();

    @TempDir
    static Path dir;

    static PostgresForTests postgres;
    static NoteSigner key;
    static final List<AutoCloseable> opened = new ArrayList<>();
    static final HttpClient http = HttpClient.newHttpClient();

    /** Entries seen by honest clients, and other entries for the attacker's forks. */
    static final List<LedgerEntry> honest = entries(SIZE + 20);
    static final List<LedgerEntry> other = entries(SIZE + 20);

    /** The honest log. */
    static Served log;
    /** The same key and origin, other entries, more of them than the honest log has. */
    static Served longerFork;
    /** The same key and origin, other entries, as many as the honest log has. */
    static Served sameSizeFork;
    /** The same key: the honest log's first 200 entries, then other ones (a split view). */
    static Served splitView;
    /** The same key: only the honest log's first 100 entries. */
    static Served rolledBack;

    record Served(TransparencyLog log, CustodianServer server, HikariDataSource database, List<byte[]> leafHashes) {
        String url() {
            return "http://127.0.0.1:" + server.port() + "/log";
        }

        String checkpoint() throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url() + "/checkpoint")).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertEquals(200, response.statusCode());
            return response.body();
        }

        void append(List<LedgerEntry> entries) throws Exception {
            // One at a time: appends in flight together may be given indexes in any order, and the
            // prefixes shared by these logs must be in the same order.
            for (LedgerEntry e : entries) {
                assertEquals(leafHashes.size(), log.appendAndWait(e), "an append after another completed comes after it");
                leafHashes.add(NaiveRfc9162.leafHash(e.envelope().leafData()));
            }
            long size = log.appendedSize();
            // A bound, not a timing assertion: the sequencer integrates every 50 ms.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (log.latestCheckpoint().map(c -> c.size() < size).orElse(true)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the log did not publish a checkpoint for size " + size);
                }
                Thread.sleep(20);
            }
            // The log under test is honest: its checkpoint commits to exactly these entries, in order.
            Checkpoint published = Checkpoint.parse(Note.parse(log.latestCheckpoint().orElseThrow().cosignedNote()).text());
            assertEquals(size, published.size());
            assertEquals(HEX.formatHex(NaiveRfc9162.mth(leafHashes)), HEX.formatHex(published.rootHash()),
                    "the root the log signed for size " + size);
        }
    }

    static List<LedgerEntry> entries(int n) {
        List<LedgerEntry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(LedgerEntry.create("test.entry", 1, Instant.now(), Map.of("n", (long) i)));
        }
        return List.copyOf(out);
    }

    /** A new log on a new database, signed by {@code signer}, holding {@code entries}, served on its own port. */
    static Served serve(NoteSigner signer, List<LedgerEntry> entries) throws Exception {
        HikariDataSource database = postgres.newDatabase();
        TransparencyLog transparencyLog = TransparencyLog.open(new PostgresLogStore(database), signer,
                new LogConfig(signer.name(), Duration.ofMillis(50), 512, 4096, true));
        opened.add(transparencyLog);
        CustodianServer server = CustodianServer.start("127.0.0.1", 0, List.of(new LogRoutes(transparencyLog)::register));
        opened.add(server);
        Served served = new Served(transparencyLog, server, database, new ArrayList<>());
        served.append(entries);
        return served;
    }

    static List<LedgerEntry> concat(List<LedgerEntry> a, List<LedgerEntry> b) {
        List<LedgerEntry> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresForTests.start(dir.resolve("pg"));
        key = NoteSigner.generate(ORIGIN);
        log = serve(key, honest.subList(0, SIZE));
        longerFork = serve(key, other.subList(0, SIZE + 10));
        sameSizeFork = serve(key, other.subList(0, SIZE));
        splitView = serve(key, concat(honest.subList(0, 200), other.subList(0, SIZE - 200 + 20)));
        rolledBack = serve(key, honest.subList(0, 100));
    }

    @AfterAll
    static void stop() throws Exception {
        Collections.reverse(opened);
        for (AutoCloseable c : opened) {
            c.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    static Result monitor(String url, String verifierKey, Path state) {
        return Cli.run("tlog", "monitor", "--url", url, "--key", verifierKey, "--state", state.toString()).showsNoJavaInternals();
    }

    static Result monitor(Served served, Path state) {
        return monitor(served.url(), key.verifierKeyText(), state);
    }

    static Path freshState(String name) throws IOException {
        return Files.createTempDirectory(dir, name).resolve("monitor.checkpoint");
    }

    static List<Path> evidence(Path state) throws IOException {
        try (Stream<Path> files = Files.list(state.getParent())) {
            return files.filter(f -> f.getFileName().toString().startsWith(state.getFileName() + ".evidence-")).toList();
        }
    }

    static long savedSize(Path state) throws Exception {
        String note = Files.readString(state, StandardCharsets.UTF_8);
        Note.open(note, List.of(key.verifier()));
        return Checkpoint.parse(Note.parse(note).text()).size();
    }

    /** Asserts an alert: exit 1, the word on stderr, nothing saved, evidence holding both checkpoints. */
    static void assertAlert(Result r, String word, Path state, String savedBefore, String served) throws IOException {
        r.exits(1);
        assertTrue(r.err().startsWith("ALERT: " + word + ":"), r::toString);
        assertTrue(r.err().contains("evidence saved in"), r::toString);
        assertEquals("", r.out());
        assertEquals(savedBefore, Files.readString(state, StandardCharsets.UTF_8), "the state keeps the checkpoint seen before");
        List<Path> evidence = evidence(state);
        assertEquals(1, evidence.size(), () -> "one evidence file: " + evidence);
        String text = Files.readString(evidence.get(0), StandardCharsets.UTF_8);
        assertTrue(r.err().contains(evidence.get(0).toString()), r::toString);
        assertTrue(text.contains(word), text);
        assertTrue(text.contains(served), "the evidence holds the log's new checkpoint: " + text);
        assertTrue(text.contains(savedBefore), "the evidence holds the checkpoint seen before: " + text);
    }

    @Test
    void firstRunSavesTheCheckpointAndLaterRunsCheckThatTheLogOnlyGrew() throws Exception {
        Served growing = serve(key, honest.subList(0, 5));
        Path state = freshState("growing");
        Result first = monitor(growing, state).exits(0);
        assertTrue(first.out().startsWith("OK: first checkpoint seen for " + ORIGIN + ": size 5"), first::toString);
        assertEquals("", first.err());
        assertEquals(growing.checkpoint(), Files.readString(state, StandardCharsets.UTF_8), "the state is the signed checkpoint");

        Result again = monitor(growing, state).exits(0);
        assertTrue(again.out().startsWith("OK: unchanged at size 5"), again::toString);

        growing.append(honest.subList(5, SIZE));
        Result grown = monitor(growing, state).exits(0);
        assertEquals("OK: size " + SIZE + " is consistent with size 5 seen before\n", grown.out());
        assertEquals(SIZE, savedSize(state), "the state moves on to the newer checkpoint");

        growing.append(honest.subList(SIZE, SIZE + 1));
        assertTrue(monitor(growing, state).exits(0).out().contains("consistent with size " + SIZE));
        assertEquals(List.of(), evidence(state));
    }

    @Test
    void anEmptyLogsCheckpointIsSavedAndItsGrowthFromSizeZeroIsConsistent() throws Exception {
        Served empty = serve(key, List.of());
        Path state = freshState("empty");
        Result first = monitor(empty, state).exits(0);
        assertTrue(first.out().startsWith("OK: first checkpoint seen for " + ORIGIN + ": size 0, root "
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), first::toString);
        empty.append(honest.subList(0, 3));
        assertEquals("OK: size 3 is consistent with size 0 seen before\n", monitor(empty, state).exits(0).out());
    }

    @Test
    void aServerRootUrlOrATrailingSlashAlsoWorks() throws Exception {
        String root = "http://127.0.0.1:" + log.server().port();
        Result r = monitor(root, key.verifierKeyText(), freshState("root")).exits(0);
        assertTrue(r.out().startsWith("OK: first checkpoint seen"), r::toString);
        Result slash = monitor(log.url() + "/", key.verifierKeyText(), freshState("slash")).exits(0);
        assertTrue(slash.out().startsWith("OK: first checkpoint seen"), slash::toString);
    }

    @Test
    void aLogThatGrewFromACheckpointSeenOnAnotherServerIsConsistent() throws Exception {
        // The rolled-back server's checkpoint is an honest prefix: seeing it first, then the full log, is fine.
        Path state = freshState("prefix");
        monitor(rolledBack, state).exits(0);
        assertEquals("OK: size " + SIZE + " is consistent with size 100 seen before\n", monitor(log, state).exits(0).out());
        // A split view diverging after what this monitor saw cannot be detected yet, and is not reported.
        Path early = freshState("early");
        monitor(rolledBack, early).exits(0);
        monitor(splitView, early).exits(0);
    }

    @Test
    void aForkSignedWithTheSameKeyIsReportedWithEvidence() throws Exception {
        for (Served fork : List.of(longerFork, splitView)) {
            Path state = freshState("fork");
            monitor(log, state).exits(0);
            String seen = Files.readString(state, StandardCharsets.UTF_8);
            Result r = monitor(fork, state);
            assertAlert(r, "FORK", state, seen, fork.checkpoint());
            assertTrue(r.err().contains("is not consistent with the one seen for size " + SIZE), r::toString);
            // The state was kept: the honest log still checks out, and the fork is reported again.
            assertTrue(monitor(log, state).exits(0).out().startsWith("OK: unchanged at size " + SIZE));
            monitor(fork, state).exits(1);
        }
    }

    @Test
    void twoDifferentCheckpointsForOneSizeAreReportedAsAFork() throws Exception {
        Path state = freshState("same-size");
        monitor(log, state).exits(0);
        String seen = Files.readString(state, StandardCharsets.UTF_8);
        Result r = monitor(sameSizeFork, state);
        assertAlert(r, "FORK", state, seen, sameSizeFork.checkpoint());
        assertTrue(r.err().contains("two different roots signed for size " + SIZE), r::toString);
    }

    @Test
    void aLogShowingFewerEntriesThanBeforeIsReportedAsARollback() throws Exception {
        Path state = freshState("rollback");
        monitor(log, state).exits(0);
        String seen = Files.readString(state, StandardCharsets.UTF_8);
        Result r = monitor(rolledBack, state);
        assertAlert(r, "ROLLBACK", state, seen, rolledBack.checkpoint());
        assertTrue(r.err().contains("the log now shows size 100 after it had shown size " + SIZE), r::toString);
    }

    @Test
    void tilesThatDoNotHashToTheSignedRootAreReportedEvenOnTheFirstRun() throws Exception {
        Served tampered = serve(key, honest.subList(0, 7));
        PostgresForTests.sql(tampered.database(),
                "UPDATE ledger_tiles SET hashes = overlay(hashes placing '\\xff'::bytea from 33) WHERE level = 0 AND idx = 0");
        // The state's directory does not exist yet (as ~/.custodian/monitor on a first run): the evidence is saved anyway.
        Path state = dir.resolve("not-yet-created").resolve("monitor.checkpoint");
        Result r = monitor(tampered, state).exits(1);
        assertTrue(r.err().startsWith("ALERT: the log's tiles hash to "), r::toString);
        assertTrue(r.err().contains("but its checkpoint for size 7 says"), r::toString);
        assertFalse(Files.exists(state), "a checkpoint whose tiles do not match is not trusted");
        List<Path> evidence = evidence(state);
        assertEquals(1, evidence.size());
        assertTrue(Files.readString(evidence.get(0), StandardCharsets.UTF_8).contains(tampered.checkpoint()));
    }

    @Test
    void aCheckpointThatDoesNotVerifyWithTheKeyGivenFails() throws Exception {
        String sameNameOtherKey = NoteSigner.generate(ORIGIN).verifierKeyText();
        String otherName = NoteSigner.generate("other.example/log").verifierKeyText();
        for (String wrong : List.of(sameNameOtherKey, otherName)) {
            Path state = freshState("wrong-key");
            Result r = monitor(log.url(), wrong, state).exits(1);
            assertTrue(r.err().startsWith("ALERT: the log's latest checkpoint does not verify with the key given"), r::toString);
            assertEquals("", r.out());
            assertFalse(Files.exists(state), "nothing is saved from a log that does not verify");
        }
        // A state saved under the right key, checked with a wrong one, is refused too.
        Path state = freshState("then-wrong-key");
        monitor(log, state).exits(0);
        String seen = Files.readString(state, StandardCharsets.UTF_8);
        monitor(log.url(), sameNameOtherKey, state).exits(1);
        assertEquals(seen, Files.readString(state, StandardCharsets.UTF_8));
        // A malformed key is a failure before anything is fetched.
        Result malformed = monitor(log.url(), "not-a-key", freshState("malformed")).exits(1);
        assertTrue(malformed.err().startsWith("custodian: --key: "), malformed::toString);
    }

    @Test
    void anUnreachableOrWrongUrlFailsWithAClearMessage() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String unreachable = "http://127.0.0.1:" + port + "/log";
        Path state = freshState("unreachable");
        Result r = monitor(unreachable, key.verifierKeyText(), state).exits(1);
        assertEquals("custodian: cannot check the log at " + unreachable
                + ": cannot connect (connection refused or host unreachable)\n", r.err());
        assertEquals("", r.out());
        assertFalse(Files.exists(state));

        Result notFound = monitor("http://127.0.0.1:" + log.server().port() + "/nothing/here", key.verifierKeyText(),
                freshState("not-found")).exits(1);
        assertTrue(notFound.err().startsWith("custodian: cannot check the log at "), notFound::toString);
        assertTrue(notFound.err().contains("/checkpoint answered 404"), notFound::toString);

        // A state path that cannot be written names the file and why.
        Path aFile = Files.writeString(dir.resolve("a-file"), "not a directory");
        Result badState = monitor(log, aFile.resolve("monitor.checkpoint")).exits(1);
        assertEquals("custodian: cannot check the log at " + log.url() + ": " + aFile + ": exists and is not a directory\n",
                badState.err());

        Result notUrl = monitor("127.0.0.1:" + port, key.verifierKeyText(), freshState("not-url")).exits(1);
        assertTrue(notUrl.err().startsWith("custodian: --url: "), notUrl::toString);
        Result badUnknownHost = monitor("http://no-such-host.invalid/log", key.verifierKeyText(), freshState("dns")).exits(1);
        assertTrue(badUnknownHost.err().contains("no-such-host.invalid"), badUnknownHost::toString);
    }
}
