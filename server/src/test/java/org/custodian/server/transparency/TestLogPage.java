package org.custodian.server.transparency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.merkle.ProofVerifier;
import org.custodian.ledger.note.Checkpoint;
import org.custodian.ledger.note.Cosignatures;
import org.custodian.ledger.note.Note;
import org.custodian.ledger.note.NoteSignature;
import org.custodian.ledger.note.VerifiedNote;
import org.custodian.server.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/**
 * {@code /transparency/log} and its {@code .json} over real HTTP, from a real log on PostgreSQL that has
 * published several checkpoints, one witness cosigning and one never answering; and the page in a real
 * Chromium with axe-core at desktop width and at 320 px.
 */
class TestLogPage {
    @RegisterExtension
    static final Browser browser = new Browser();

    @TempDir
    static Path dir;

    static WitnessedLog fixture;
    static Instant started;
    static PublishedCheckpoint latest;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        started = Instant.now().minusSeconds(1);
        fixture = new WitnessedLog(dir);
        fixture.appendAndAwaitCosigned(5);
        fixture.appendAndAwaitCosigned(7);
        latest = fixture.appendAndAwaitCosigned(300);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fixture.url(path))).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json() throws Exception {
        HttpResponse<String> response = get("/transparency/log.json");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return (Map<String, Object>) CanonicalJson.parse(response.body());
    }

    static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    }

    /** The text of each {@code <pre>} on the page, unescaped. */
    static List<String> pres(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<pre[^>]*>(.*?)</pre>", Pattern.DOTALL).matcher(html);
        while (m.find()) {
            out.add(unescape(m.group(1)));
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theJsonCarriesTheLatestCheckpointAsServedAndItVerifiesWithTheLogsAndTheWitnesssKeys() throws Exception {
        Map<String, Object> body = json();
        String served = get("/log/checkpoint").body();
        Map<String, Object> checkpoint = (Map<String, Object>) body.get("checkpoint");
        assertEquals(served, checkpoint.get("text"), "exactly as /log/checkpoint serves it");
        assertEquals(latest.cosignedNote(), served);
        assertEquals(WitnessedLog.ORIGIN, body.get("origin"));
        assertEquals(fixture.logKey.verifierKeyText(), body.get("verifierKey"));

        VerifiedNote verified = Note.open((String) checkpoint.get("text"), List.of(fixture.logKey.verifier()));
        Checkpoint parsed = Checkpoint.parse(verified.note().text());
        assertEquals(312L, parsed.size());
        assertEquals(312L, checkpoint.get("treeSize"));
        assertEquals(Hashes.hex(parsed.rootHash()), checkpoint.get("rootHash"));
        assertEquals(Base64.getEncoder().encodeToString(parsed.rootHash()), checkpoint.get("rootHashBase64"));
        Note.open((String) checkpoint.get("text"), List.of(fixture.witnessKey.verifier()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theJsonNamesEveryConfiguredWitnessWithTheTimeInItsNewestCosignature() throws Exception {
        List<Object> witnesses = (List<Object>) json().get("witnesses");
        assertEquals(2, witnesses.size());
        Map<String, Object> present = (Map<String, Object>) witnesses.get(0);
        assertEquals("transparency.test/witness", present.get("name"));
        assertEquals(fixture.witnessKey.verifierKeyText(), present.get("verifierKey"));
        Map<String, Object> cosigned = (Map<String, Object>) present.get("latestCosignature");
        assertEquals(312L, cosigned.get("treeSize"));
        assertEquals(true, cosigned.get("coversLatest"));

        // The time is the one inside the witness's cosignature line, as the ledger module reads it.
        Note note = Note.parse(latest.cosignedNote());
        Checkpoint cp = Checkpoint.parse(note.text());
        long inLine = -1;
        for (NoteSignature sig : note.signatures()) {
            inLine = Cosignatures.verify(fixture.witnessKey.verifier(), cp, sig).orElse(inLine);
        }
        assertEquals(inLine, cosigned.get("timestamp"));
        Instant t = Instant.ofEpochSecond(inLine);
        assertFalse(t.isBefore(started.minusSeconds(1)) || t.isAfter(Instant.now().plusSeconds(1)), "a plausible time: " + t);
        assertEquals(t.toString(), cosigned.get("time"));

        Map<String, Object> absent = (Map<String, Object>) witnesses.get(1);
        assertEquals("absent.test/witness", absent.get("name"));
        assertTrue(absent.containsKey("latestCosignature"));
        assertNull(absent.get("latestCosignature"), "a witness that never answered has cosigned nothing");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGrowthSeriesRunsFromTheFirstCheckpointToTheLatestThroughTheOnesPublishedBetween() throws Exception {
        List<Object> growth = (List<Object>) json().get("growth");
        List<Long> sizes = growth.stream().map(g -> (Long) ((Map<String, Object>) g).get("treeSize")).toList();
        assertEquals(312L, sizes.get(sizes.size() - 1));
        assertEquals(0L, sizes.get(0), "starts at the log's first checkpoint, the empty one");
        // Every checkpoint left out is less than one step (312 / 24) above the sample before it.
        List<Long> published = ((org.custodian.ledger.postgres.PostgresLogStore) fixture.log.store()).checkpoints().stream()
                .map(cp -> cp.size()).toList();
        assertTrue(published.containsAll(sizes), "only published checkpoints: " + sizes + " of " + published);
        for (long size : published) {
            long before = sizes.stream().filter(x -> x <= size).mapToLong(Long::longValue).max().orElseThrow();
            assertTrue(size - before < 312 / LogPage.GROWTH_POINTS + 1, size + " is hidden by the sample " + before + ": " + sizes);
        }
        for (int i = 1; i < sizes.size(); i++) {
            assertTrue(sizes.get(i) > sizes.get(i - 1), "increasing: " + sizes);
            String before = (String) ((Map<String, Object>) growth.get(i - 1)).get("publishedAt");
            String after = (String) ((Map<String, Object>) growth.get(i)).get("publishedAt");
            assertFalse(Instant.parse(after).isBefore(Instant.parse(before)), "in time order");
        }
        Map<String, Object> last = (Map<String, Object>) growth.get(growth.size() - 1);
        assertEquals(Hashes.hex(latest.root()), last.get("rootHash"));
    }

    @Test
    void thePageShowsTheCheckpointAsServedTheKeyTheWitnessesAndAGrowthChartWithItsTable() throws Exception {
        HttpResponse<String> response = get("/transparency/log");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
        String html = response.body();
        assertFalse(html.contains("<style") || html.contains("style=") || html.contains("<script"), "nothing inline the CSP forbids");
        List<String> pres = pres(html);
        assertEquals(get("/log/checkpoint").body(), pres.get(0), "the checkpoint exactly as served");
        assertEquals(fixture.logKey.verifierKeyText(), pres.get(1));
        assertTrue(html.contains("<h3>transparency.test/witness</h3>") && html.contains("<h3>absent.test/witness</h3>"), html);
        assertTrue(html.contains("The latest checkpoint, of 312 entries."), html);
        assertTrue(html.contains("Nothing yet."), "the absent witness");
        assertTrue(html.contains("<svg viewBox=\"0 0 400 220\" role=\"img\" aria-labelledby=\"growth-title growth-desc\""), html);
        assertTrue(html.contains("<title id=\"growth-title\">"), html);
        assertTrue(html.contains("<th scope=\"col\">Entries</th>") && html.contains("<td>312</td>"), html);
        assertFalse(html.contains("127.0.0.1:9"), "a witness's submission address is not published");
    }

    @Test
    void theProofsPrintedOnThePageHoldForTheLatestCheckpoint() throws Exception {
        String html = get("/transparency/log").body();
        String consistency = pres(html).stream().filter(p -> p.contains("verify-consistency")).findFirst().orElseThrow();
        Matcher c = Pattern.compile("--old-size (\\d+) --new-size (\\d+) --old-root (\\w+) --new-root (\\w+)(?: --proof ([\\w,]+))?")
                .matcher(consistency);
        assertTrue(c.find(), consistency);
        assertEquals(312L, Long.parseLong(c.group(2)));
        long oldSize = Long.parseLong(c.group(1));
        assertEquals(Hashes.hex(fixture.log.checkpoint(oldSize).orElseThrow().root()), c.group(3), "the old root is a published checkpoint's");
        ProofVerifier.verifyConsistency(oldSize, 312, hashes(c.group(5)), Hashes.unhex(c.group(3)), Hashes.unhex(c.group(4)));
        assertTrue(consistency.contains("curl -s '" + fixture.url("/log/proof/consistency?from=" + oldSize + "&to=312") + "'"), consistency);

        String inclusion = pres(html).stream().filter(p -> p.contains("verify-inclusion")).findFirst().orElseThrow();
        Matcher i = Pattern.compile("--index (\\d+) --size (\\d+) --root (\\w+) --leaf-hash (\\w+)(?: --proof ([\\w,]+))?").matcher(inclusion);
        assertTrue(i.find(), inclusion);
        assertEquals(311L, Long.parseLong(i.group(1)));
        ProofVerifier.verifyInclusion(Hashes.unhex(i.group(4)), 311, 312, hashes(i.group(5)), Hashes.unhex(i.group(3)));
        assertEquals(Hashes.hex(latest.root()), i.group(3));

        String monitor = pres(html).stream().filter(p -> p.contains("tlog monitor")).findFirst().orElseThrow();
        assertEquals("custodian tlog monitor --url " + fixture.url("/log") + " --key '" + fixture.logKey.verifierKeyText() + "' --interval 60",
                monitor.strip());
        String witness = pres(html).stream().filter(p -> p.startsWith("custodian witness")).findFirst().orElseThrow();
        assertTrue(witness.contains("--log " + fixture.url("/log") + " --log-key '" + fixture.logKey.verifierKeyText() + "'"), witness);
    }

    private static List<byte[]> hashes(String list) {
        List<byte[]> out = new ArrayList<>();
        if (list != null) {
            for (String h : list.split(",")) {
                out.add(Hashes.unhex(h));
            }
        }
        return out;
    }

    @Test
    void otherFormatsAndPathsAreAClearNotFound() throws Exception {
        for (String path : List.of("/transparency/log.xml", "/transparency/log.csv", "/transparency/log.json/x", "/transparency/logs")) {
            HttpResponse<String> response = get(path);
            assertEquals(404, response.statusCode(), path + ": " + response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), path);
            assertTrue(response.body().contains("\"instance\":\"" + path + "\"") && response.body().contains("not found"), response.body());
        }
    }

    @Test
    void inABrowserThePagePassesAxeAtBothWidthsAndTheFrontPageLinksToIt() {
        browser.open(fixture.url("/"));
        WebElement h1 = browser.clickThen("a[href='/transparency/log']", "main h1");
        assertEquals("The public ledger", h1.getText());
        assertEquals("The public ledger - Custodian", browser.driver().getTitle());
        browser.checkAtBothWidths("transparency-log");
        WebElement chart = browser.find("figure.chart svg");
        assertEquals("img", chart.getAttribute("role"));
        assertTrue(chart.isDisplayed());
        assertTrue(browser.find("main table").isDisplayed());
        assertEquals(latest.cosignedNote().replaceAll("\\s+", ""), browser.find("#checkpoint").getText().replaceAll("\\s+", ""));
    }
}
