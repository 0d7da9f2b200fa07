package org.custodian.app.patients;

import static org.custodian.app.patients.DemoSite.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.entry.Envelope;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.merkle.ProofVerifier;
import org.custodian.ledger.note.Checkpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 5, "an auditor sees all entries", against `custodian demo`: an auditor reads every entry of the ledger, as
 * JSON for scripts and on the auditor's pages, each entry's exact bytes checked here against its envelope,
 * its leaf hash and its inclusion proof, with nothing trusted from the server but the signed checkpoint; each reading is
 * recorded before it is answered (an {@code audit.read} entry naming the auditor and the range); a clinician and a
 * patient are refused (403, recorded); bad ranges are refused with a clear 4xx.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestAuditorReadsEveryEntry {

    @TempDir
    static Path dir;

    private DemoSite site;

    @BeforeAll
    void start() throws Exception {
        site = DemoSite.start(dir.resolve("data"));
        Thread.sleep(2_000); // a checkpoint covering the demo's history
    }

    @AfterAll
    void stop() throws Exception {
        site.close();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> r) {
        return (Map<String, Object>) CanonicalJson.parse(r.body());
    }

    @SuppressWarnings("unchecked")
    @Test
    void anAuditorReadsEveryEntryAndEachChecksAgainstTheSignedTree() throws Exception {
        PageClient auditor = site.client();
        auditor.signIn("auditor-brown", "/audit");
        Set<String> types = new HashSet<>();
        long read = 0;
        long size = -1;
        Long from = 0L;
        List<Long> receipts = new java.util.ArrayList<>();
        List<Integer> pageSizes = new java.util.ArrayList<>();
        while (from != null) {
            HttpResponse<String> r = auditor.get("/audit/entries.json?from=" + from + "&count=100");
            assertEquals(200, r.statusCode(), r.body());
            Map<String, Object> body = json(r);
            receipts.add(((Number) body.get("receipt")).longValue());
            Map<String, Object> checkpoint = (Map<String, Object>) body.get("checkpoint");
            // The one thing taken from the server on trust is checked: the root is the one its signed note states.
            Checkpoint note = Checkpoint.parse(((String) checkpoint.get("note")).substring(0, ((String) checkpoint.get("note")).indexOf("\n\n") + 1));
            byte[] root = Hashes.unhex((String) checkpoint.get("root"));
            assertTrue(java.util.Arrays.equals(note.rootHash(), root), "the root is the signed one");
            size = ((Number) checkpoint.get("size")).longValue();
            List<Map<String, Object>> entries = (List<Map<String, Object>>) body.get("entries");
            assertFalse(entries.isEmpty());
            pageSizes.add(entries.size());
            for (Map<String, Object> e : entries) {
                long index = ((Number) e.get("index")).longValue();
                assertEquals(from + entries.indexOf(e), index, "entries in order, none skipped");
                byte[] envelope = ((String) e.get("envelope")).getBytes(StandardCharsets.UTF_8);
                String content = (String) e.get("content");
                assertNotNull(content, "nothing in the demo is erased: entry " + index);
                Envelope.parse(envelope).checkContent(content.getBytes(StandardCharsets.UTF_8)); // the content is what the envelope commits to
                byte[] leafHash = Hashes.leafHash(envelope);
                assertEquals(Hashes.hex(leafHash), e.get("leafHash"));
                ProofVerifier.verifyInclusion(leafHash, index, size, ((List<String>) e.get("proof")).stream().map(Hashes::unhex).toList(), root);
                assertEquals(Boolean.TRUE, e.get("contentMatchesEnvelope"));
                types.add((String) e.get("type"));
                read++;
            }
            from = body.get("next") == null ? null : ((Number) body.get("next")).longValue();
        }
        assertTrue(read >= size && size > 50, "every entry in the checkpoint was read: " + read + " of " + size);
        assertTrue(types.containsAll(Set.of("access.decision", "consent.change", "register.change")), types.toString());

        // Each reading was recorded, naming the auditor and the range, before it was answered.
        HttpResponse<String> later = auditor.get("/audit/entries.json?from=" + receipts.get(0) + "&count=1");
        if (later.statusCode() == 404) { // the receipt is newer than the latest checkpoint: wait for the next one
            Thread.sleep(1_500);
            later = auditor.get("/audit/entries.json?from=" + receipts.get(0) + "&count=1");
        }
        assertEquals(200, later.statusCode(), later.body());
        Map<String, Object> recorded = (Map<String, Object>) CanonicalJson.parse(
                (String) ((List<Map<String, Object>>) json(later).get("entries")).get(0).get("content"));
        assertEquals("audit.read", recorded.get("type"));
        assertEquals(Map.of("person", "auditor-brown", "role", "auditor", "organisation", "health-regulator"), recorded.get("auditor"));
        assertEquals(0L, ((Number) recorded.get("from")).longValue());
        assertEquals(pageSizes.get(0).longValue(), ((Number) recorded.get("to")).longValue(), "the range actually read");
        assertEquals("web-audit", recorded.get("via"));
    }

    @SuppressWarnings("unchecked")
    @Test
    void anyoneElseIsRefusedAndTheRefusalIsRecorded() throws Exception {
        PageClient clinician = site.client();
        clinician.signIn("dr-okafor", "/staff");
        HttpResponse<String> refused = clinician.get("/audit/entries.json?from=0");
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertEquals("audit.auditors-only", json(refused).get("code"));
        assertFalse(refused.body().contains("\"entries\""));
        long receipt = ((Number) json(refused).get("receipt")).longValue();

        HttpResponse<String> noSession = site.client().get("/audit/entries.json?from=0");
        assertEquals(401, noSession.statusCode(), noSession.body());
        assertEquals("session.missing", json(noSession).get("code"));

        PageClient auditor = site.client();
        auditor.signIn("auditor-brown", "/audit");
        Thread.sleep(1_500);
        HttpResponse<String> entry = auditor.get("/audit/entries.json?from=" + receipt + "&count=1");
        assertEquals(200, entry.statusCode(), entry.body());
        Map<String, Object> recorded = (Map<String, Object>) CanonicalJson.parse(
                (String) ((List<Map<String, Object>>) json(entry).get("entries")).get(0).get("content"));
        assertEquals("audit.refused", recorded.get("type"));
        assertEquals("dr-okafor", recorded.get("person"));
        assertEquals("audit.auditors-only", recorded.get("reason"));
    }

    @Test
    void badRangesAreRefusedClearly() throws Exception {
        PageClient auditor = site.client();
        auditor.signIn("auditor-brown", "/audit");
        for (String query : List.of("", "?from=-1", "?from=abc", "?from=0&count=0", "?from=0&count=101", "?from=0&count=x")) {
            HttpResponse<String> r = auditor.get("/audit/entries.json" + query);
            assertEquals(400, r.statusCode(), query + ": " + r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), query);
        }
        HttpResponse<String> beyond = auditor.get("/audit/entries.json?from=100000000");
        assertEquals(404, beyond.statusCode(), beyond.body());
        assertEquals("audit.not-checkpointed", json(beyond).get("code"));
    }

    @Test
    void theAuditorsPagesShowEntriesInFullAndLinkTheEvidence() throws Exception {
        PageClient auditor = site.client();
        auditor.signIn("auditor-brown", "/audit");
        HttpResponse<String> latest = auditor.get("/audit/entries");
        assertEquals(200, latest.statusCode(), latest.body());
        assertTrue(latest.body().contains("This reading is itself recorded in\nledger entry "), latest.body());
        assertTrue(latest.body().contains("The content matches its envelope"), latest.body());
        HttpResponse<String> first = auditor.get("/audit/entries?from=0");
        assertEquals(200, first.statusCode());
        assertTrue(first.body().contains("Ledger entries 0 to 19"), first.body());
        assertTrue(first.body().contains("rel=\"next\""), first.body());
        assertTrue(DemoSite.unescape(first.body()).contains("\"type\": \"register.change\""), "the content laid out for reading");

        HttpResponse<String> one = auditor.get("/audit/entries/3");
        assertEquals(200, one.statusCode(), one.body());
        assertTrue(one.body().contains("<h1>Ledger entry 3</h1>"), one.body());
        String leafHash = find(one.body(), "--leaf-hash ([0-9a-f]{64})");
        String envelope = DemoSite.unescape(find(one.body(), "Envelope \\(the leaf data\\)</dt><dd><code>([^<]+)</code>"));
        assertEquals(Hashes.hex(Hashes.leafHash(envelope.getBytes(StandardCharsets.UTF_8))), leafHash, "the page's envelope is the leaf");

        assertEquals(400, auditor.get("/audit/entries?from=x").statusCode());
        assertEquals(404, auditor.get("/audit/entries/100000000").statusCode());
        assertEquals(404, auditor.get("/audit/entries/-2").statusCode());

        PageClient patient = site.client();
        patient.signIn("patient-ada");
        HttpResponse<String> refused = patient.get("/audit/entries/3");
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("This refusal has been recorded (ledger entry"), refused.body());
        assertFalse(refused.body().contains("--leaf-hash"));
        assertEquals(303, site.client().get("/audit/entries").statusCode(), "not signed in: to the sign-in page");
    }
}
