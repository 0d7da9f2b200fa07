package org.custodian.server.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.LogConfig;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.merkle.MerkleTree;
import org.custodian.ledger.merkle.ProofVerifier;
import org.custodian.ledger.note.Checkpoint;
import org.custodian.ledger.note.Note;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.tiles.EntryBundles;
import org.custodian.ledger.tiles.TileId;
import org.custodian.server.CustodianServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The public log over real HTTP: C2SP tlog-tiles paths and bodies, JSON proofs, and clear 4xx
 * answers (problem+json) for anything malformed or beyond the latest checkpoint.
 */
class TestLogRoutes {
    private static final String ORIGIN = "http.test/log";
    private static final int ENTRIES = 300;

    @TempDir
    static Path dir;

    static PostgresForTests postgres;
    static TransparencyLog log;
    static CustodianServer server;
    static NoteSigner key;
    static final List<byte[]> envelopes = new ArrayList<>();
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresForTests.start(dir.resolve("pg"));
        key = NoteSigner.generate(ORIGIN);
        log = TransparencyLog.open(new PostgresLogStore(postgres.newDatabase()), key,
                new LogConfig(ORIGIN, Duration.ofMillis(50), 512, 4096, true));
        List<java.util.concurrent.CompletableFuture<Long>> indexes = new ArrayList<>();
        List<byte[]> submitted = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            LedgerEntry e = LedgerEntry.create("test.entry", 1, Instant.now(), Map.of("n", (long) i));
            submitted.add(e.envelope().leafData());
            indexes.add(log.append(e));
        }
        byte[][] byIndex = new byte[ENTRIES][];
        for (int i = 0; i < ENTRIES; i++) {
            byIndex[indexes.get(i).get().intValue()] = submitted.get(i); // concurrent writers: any order
        }
        envelopes.addAll(List.of(byIndex));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (log.latestCheckpoint().map(c -> c.size()).orElse(0L) < ENTRIES && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        server = CustodianServer.start("127.0.0.1", 0, List.of(new LogRoutes(log)::register));
    }

    @AfterAll
    static void stop() {
        server.close();
        log.close();
        postgres.close();
    }

    static HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void checkpointIsASignedNoteForTheWholeLog() throws Exception {
        HttpResponse<byte[]> response = get("/log/checkpoint");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        String note = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
        Note.open(note, List.of(key.verifier()));
        Checkpoint checkpoint = Checkpoint.parse(Note.parse(note).text());
        assertEquals(ENTRIES, checkpoint.size());
        MerkleTree expected = new MerkleTree();
        envelopes.forEach(e -> expected.append(Hashes.leafHash(e)));
        assertArrayEquals(expected.root(), checkpoint.rootHash());
    }

    @Test
    void tilesAndEntryBundlesFollowTlogTilesAndHoldOnlyEnvelopes() throws Exception {
        MerkleTree expected = new MerkleTree();
        envelopes.forEach(e -> expected.append(Hashes.leafHash(e)));

        HttpResponse<byte[]> full = get("/log/tile/0/000");
        assertEquals(200, full.statusCode());
        assertEquals(256 * 32, full.body().length);
        assertEquals("public, max-age=31536000, immutable", full.headers().firstValue("Cache-Control").orElse(""));
        for (int i = 0; i < 256; i++) {
            assertArrayEquals(expected.leafHash(i), java.util.Arrays.copyOfRange(full.body(), i * 32, i * 32 + 32));
        }
        HttpResponse<byte[]> partial = get("/log/tile/0/001.p/" + (ENTRIES - 256));
        assertEquals(200, partial.statusCode());
        assertEquals((ENTRIES - 256) * 32, partial.body().length);
        HttpResponse<byte[]> narrower = get("/log/tile/0/001.p/3");
        assertArrayEquals(java.util.Arrays.copyOf(partial.body(), 96), narrower.body(), "a narrower partial tile is a prefix");
        HttpResponse<byte[]> level1 = get("/log/tile/1/000.p/1");
        assertArrayEquals(expected.root(256), level1.body(), "a level-1 hash is the root of a full level-0 tile");

        HttpResponse<byte[]> bundle = get("/log/tile/entries/000");
        assertEquals(200, bundle.statusCode());
        List<byte[]> decoded = EntryBundles.decode(bundle.body());
        assertEquals(256, decoded.size());
        for (int i = 0; i < 256; i++) {
            assertArrayEquals(envelopes.get(i), decoded.get(i), "bundles hold the public envelopes");
            String text = new String(decoded.get(i), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(!text.contains("\"salt\"") && !text.contains("\"n\""), "no private content: " + text);
        }
        assertEquals(ENTRIES - 256, EntryBundles.decode(get("/log/tile/entries/001.p/" + (ENTRIES - 256)).body()).size());
    }

    @Test
    void proofsOverJsonVerifyAgainstTheCheckpoint() throws Exception {
        HttpResponse<byte[]> checkpointResponse = get("/log/checkpoint");
        Checkpoint checkpoint = Checkpoint.parse(Note.parse(new String(checkpointResponse.body(), java.nio.charset.StandardCharsets.UTF_8)).text());
        for (int index : new int[] {0, 1, 255, 256, ENTRIES - 1}) {
            HttpResponse<byte[]> response = get("/log/proof/inclusion?index=" + index + "&size=" + ENTRIES);
            assertEquals(200, response.statusCode());
            Map<?, ?> body = (Map<?, ?>) CanonicalJson.parse(response.body());
            List<byte[]> proof = ((List<?>) body.get("proof")).stream().map(h -> Hashes.unhex((String) h)).toList();
            ProofVerifier.verifyInclusion(Hashes.unhex((String) body.get("leafHash")), index, ENTRIES, proof, checkpoint.rootHash());
            assertArrayEquals(Hashes.leafHash(envelopes.get(index)), Hashes.unhex((String) body.get("leafHash")));
        }
        MerkleTree expected = new MerkleTree();
        envelopes.forEach(e -> expected.append(Hashes.leafHash(e)));
        for (int old : new int[] {1, 7, 256, 299}) {
            Map<?, ?> body = (Map<?, ?>) CanonicalJson.parse(get("/log/proof/consistency?from=" + old + "&to=" + ENTRIES).body());
            List<byte[]> proof = ((List<?>) body.get("proof")).stream().map(h -> Hashes.unhex((String) h)).toList();
            ProofVerifier.verifyConsistency(old, ENTRIES, proof, expected.root(old), checkpoint.rootHash());
        }
    }

    @ParameterizedTest(name = "GET {0} -> {1}")
    @CsvSource({
        "/log/tile/0/002, 404",
        "/log/tile/0/001, 404",
        "/log/tile/0/001.p/200, 404",
        "/log/tile/0/1, 400",
        "/log/tile/0/001.p/0, 400",
        "/log/tile/0/001.p/256, 400",
        "/log/tile/x/001, 400",
        "/log/tile/entries/005, 404",
        "/log/tile/entries/abc, 400",
        "/log/proof/inclusion, 400",
        "/log/proof/inclusion?index=-1&size=5, 400",
        "/log/proof/inclusion?index=5&size=5, 400",
        "/log/proof/inclusion?index=1&size=100000, 400",
        "/log/proof/inclusion?index=01&size=5, 400",
        "/log/proof/consistency?from=9&to=5, 400",
        "/log/proof/consistency?from=a&to=5, 400",
        "/log/nothing-here, 404",
    })
    void malformedOrUnavailableRequestsGetAClearProblem(String path, int status) throws Exception {
        HttpResponse<byte[]> response = get(path);
        assertEquals(status, response.statusCode(), new String(response.body()));
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        Map<?, ?> problem = (Map<?, ?>) CanonicalJson.parse(response.body());
        assertEquals((long) status, problem.get("status"));
        assertTrue(((String) problem.get("detail")).length() > 5, "the detail says what is wrong");
    }

    @Test
    void tileIdsRoundTripThroughTheServer() throws Exception {
        TileId id = new TileId(0, 1, ENTRIES - 256);
        assertEquals(200, get("/log/" + id.path()).statusCode());
    }
}
