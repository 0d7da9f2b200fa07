package org.custodian.app.patients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.custodian.app.database.Database;
import org.custodian.app.database.DatabaseOptions;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.statistics.SmallNumbers;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.testing.Eventually;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public statistics of {@code custodian demo}, after its history through the real gate and 23 more decisions over
 * HTTP: the JSON's figures are direct counts over the ledger's entries (and the consent tables) put through the
 * small-number rule; the CSV and the page carry the same numbers; no output names a patient; bad queries get a 400.
 */
class TestStatisticsOverHttp {
    private static final String ADA = "9434765919";
    private static final Organisation PRACTICE = new Organisation("A99001", "Riverside Medical Practice", Sector.NHS_CARE);
    private static final Person GP = new Person("dr-okafor", "Dr Ngozi Okafor", Role.CLINICIAN, PRACTICE.id(), null);

    @TempDir
    static Path dir;
    private static DemoSite site;

    @BeforeAll
    static void start() throws Exception {
        site = DemoSite.start(dir.resolve("data"));
        // The demo's patients and their history through the gate (care, research allowed and refused, statute's refusals, break-glass).
        site.process.awaitOutput("Demo patients (Synthea");
        String token = site.token(GP, PRACTICE, Purpose.TREAT, null);
        for (int i = 0; i < 23; i++) {
            HttpResponse<String> r = site.api("POST", "/api/decisions", token, "{\"patient\":\"" + ADA + "\",\"form\":\"identifiable\"}");
            assertEquals(200, r.statusCode(), r.body());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    private static Map<?, ?> json() throws Exception {
        HttpResponse<String> r = site.client().get("/transparency/statistics.json");
        assertEquals(200, r.statusCode(), r.body());
        return (Map<?, ?>) CanonicalJson.parse(r.body());
    }

    /**
     * The statistics once they have counted every entry appended so far: the whole integrated tree, once the tree
     * holds them all. (A decision is durable before its answer, but integrated into a checkpoint a moment later, so a
     * tree counted to its end may still lack the newest decisions.)
     */
    private static Map<?, ?> caughtUp() throws Exception {
        long appended = entriesAppended(site.data);
        Map<?, ?>[] last = new Map<?, ?>[1];
        Eventually.await("the statistics count the whole tree of " + appended + " entries", Duration.ofSeconds(30), () -> {
            try {
                last[0] = json();
                return last[0].get("entriesCounted").equals(last[0].get("treeSize")) && (Long) last[0].get("treeSize") >= appended
                        && last[0].get("checkpointAt") != null;
            } catch (Exception e) {
                return false;
            }
        });
        return last[0];
    }

    private static List<Map<?, ?>> rows(Map<?, ?> stats, String table) {
        for (Object t : (List<?>) stats.get("tables")) {
            Map<?, ?> m = (Map<?, ?>) t;
            if (m.get("id").equals(table)) {
                List<Map<?, ?>> out = new ArrayList<>();
                ((List<?>) m.get("rows")).forEach(r -> out.add((Map<?, ?>) r));
                return out;
            }
        }
        throw new AssertionError("no table " + table);
    }

    /** How many entries the ledger of this data directory holds, integrated or not. */
    static long entriesAppended(Path data) throws Exception {
        try (Database db = Database.open(DatabaseOptions.embedded(data).withShutdownHook(false));
                var c = db.dataSource().getConnection();
                var s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT coalesce(max(idx) + 1, 0) FROM ledger_entries")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** measure -> key -> count, over the first {@code size} entries, parsed in Java. */
    private static Map<String, Map<String, Long>> directCounts(long size) throws Exception {
        Map<String, Map<String, Long>> out = new HashMap<>();
        try (Database db = Database.open(DatabaseOptions.embedded(site.data).withShutdownHook(false));
                var c = db.dataSource().getConnection();
                var s = c.prepareStatement("SELECT content FROM ledger_entries WHERE idx < ? AND content IS NOT NULL ORDER BY idx")) {
            s.setLong(1, size);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    LedgerEntry e = LedgerEntry.parse(rs.getBytes(1));
                    Map<String, Object> f = e.fields();
                    String month = e.time().atZone(ZoneId.of("Europe/London")).toLocalDate().toString().substring(0, 7);
                    if (e.type().equals("access.decision")) {
                        Map<?, ?> requester = (Map<?, ?>) f.get("requester");
                        add(out, "accesses-by-month", month);
                        add(out, "accesses-by-purpose", (String) f.get("purpose"));
                        add(out, "accesses-by-sector", (String) requester.get("sector"));
                        add(out, "accesses-by-organisation", (String) requester.get("organisation"));
                        add(out, "totals", "accesses");
                        if ("deny".equals(f.get("decision"))) {
                            add(out, "totals", "refusals");
                            ((List<?>) f.get("reasons")).forEach(r -> add(out, "refusals-by-reason", (String) r));
                        }
                        if (Boolean.TRUE.equals(f.get("breakGlass"))) {
                            add(out, "totals", "break-glass");
                            add(out, "break-glass-by-month", month);
                        }
                    } else if (e.type().equals("access.refused")) {
                        add(out, "totals", "refused-before-decision");
                        add(out, "refused-before-decision-by-reason", (String) f.get("reason"));
                    }
                }
            }
            try (var s2 = c.createStatement(); ResultSet rs = s2.executeQuery("SELECT count(*) FROM register_people WHERE nhs_number IS NOT NULL")) {
                rs.next();
                out.computeIfAbsent("opt-outs-by-purpose-group", k -> new TreeMap<>()).put("patients-registered", rs.getLong(1));
            }
            try (var s2 = c.createStatement(); ResultSet rs = s2.executeQuery(
                    "SELECT g, count(*) FROM consent_choices, jsonb_array_elements_text(choices::jsonb -> 'refusedPurposes') g GROUP BY g")) {
                while (rs.next()) {
                    out.computeIfAbsent("opt-outs-by-purpose-group", k -> new TreeMap<>()).put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    private static void add(Map<String, Map<String, Long>> out, String table, String key) {
        out.computeIfAbsent(table, k -> new TreeMap<>()).merge(key, 1L, Long::sum);
    }

    @Test
    void everyPublishedFigureIsADirectCountOfTheLedgerThroughTheRule() throws Exception {
        Map<?, ?> stats = caughtUp();
        long size = (Long) stats.get("entriesCounted");
        Map<String, Map<String, Long>> direct = directCounts(size);
        assertTrue(direct.get("totals").get("accesses") > 23, "the demo's history and this test's decisions: " + direct);
        assertTrue(direct.get("totals").get("refusals") > 0 && direct.get("totals").get("break-glass") > 0, "" + direct);
        int published = 0;
        int redacted = 0;
        for (Object t : (List<?>) stats.get("tables")) {
            String table = (String) ((Map<?, ?>) t).get("id");
            Map<String, Long> expected = direct.getOrDefault(table, Map.of());
            List<Map<?, ?>> rows = rows(stats, table);
            long redactedHere = rows.stream().filter(r -> r.get("count") == null).count();
            for (Map<?, ?> r : rows) {
                String key = (String) r.get("key");
                long raw = expected.getOrDefault(key, 0L);
                Object count = r.get("count");
                assertTrue(r.containsKey("count"), "every row has a count field: " + r);
                if (count == null) {
                    redacted++;
                    // Redacted by the rule, or the second cell of a group that had exactly one.
                    assertTrue((raw >= 1 && raw <= 7) || redactedHere >= 2, table + " " + r + " raw " + raw);
                } else {
                    published++;
                    assertEquals(SmallNumbers.publish(raw), OptionalLong.of((Long) count), table + " " + r);
                }
            }
            for (String key : expected.keySet()) {
                assertTrue(rows.stream().anyMatch(r -> r.get("key").equals(key)), table + " has a row for " + key);
            }
        }
        assertTrue(published > 5 && redacted > 0, published + " published, " + redacted + " redacted");
        assertEquals(SmallNumbers.publish(direct.get("totals").get("accesses")).getAsLong(),
                rows(stats, "totals").stream().filter(r -> r.get("key").equals("accesses")).findFirst().orElseThrow().get("count"));
    }

    @Test
    void theCsvAndThePageCarryTheJsonsNumbers() throws Exception {
        Map<?, ?> stats = caughtUp();
        HttpResponse<String> csv = site.client().get("/transparency/statistics.csv");
        HttpResponse<String> page = site.client().get("/transparency/statistics");
        // Something may have been counted between the requests: compare only when all three are of the same entries.
        Map<?, ?> after = json();
        assertEquals(stats.get("entriesCounted"), after.get("entriesCounted"), "nothing counted meanwhile");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertEquals(200, page.statusCode());
        List<String> lines = List.of(csv.body().split("\r\n"));
        assertEquals("table,key,label,group,count,suppression,rate,entries_counted", lines.get(0));
        Map<String, String> csvCounts = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            // Fields are plain here except labels, which may be quoted: read key (2nd) and the count and suppression from the end.
            String[] head = line.split(",", 3);
            String[] tail = line.split(",");
            int n = tail.length;
            String count = tail[n - 4];
            String suppression = tail[n - 3];
            assertEquals(count.isEmpty(), suppression.equals("redacted"), line);
            assertEquals(String.valueOf(stats.get("entriesCounted")), tail[n - 1], line);
            csvCounts.put(head[0] + "/" + head[1], count);
        }
        Map<String, String> pageCounts = new HashMap<>();
        for (String section : page.body().split("<section aria-labelledby=\"")) {
            String id = section.substring(0, Math.max(0, section.indexOf('"')));
            var m = Pattern.compile("data-key=\"([^\"]*)\">(?:<span class=\"redacted\">redacted</span>|([0-9,]+))</td>").matcher(section);
            while (m.find()) {
                pageCounts.put(id + "/" + DemoSite.unescape(m.group(1)), m.group(2) == null ? "" : m.group(2).replace(",", ""));
            }
        }
        int rowsSeen = 0;
        for (Object t : (List<?>) stats.get("tables")) {
            String table = (String) ((Map<?, ?>) t).get("id");
            for (Map<?, ?> r : rows(stats, table)) {
                String expected = r.get("count") == null ? "" : String.valueOf(r.get("count"));
                assertEquals(expected, csvCounts.get(table + "/" + r.get("key")), "CSV " + table + " " + r);
                assertEquals(expected, pageCounts.get(table + "/" + r.get("key")), "page " + table + " " + r);
                rowsSeen++;
            }
        }
        assertEquals(rowsSeen, csvCounts.size());
        assertEquals(rowsSeen, pageCounts.size());
        // Charts that read without JavaScript, as images with a name; the page has no script and no inline style.
        assertTrue(page.body().contains("<svg class=\"chart\" role=\"img\" aria-labelledby=\"chart-accesses-by-month\""), page.body());
        assertFalse(page.body().contains("<script") || page.body().contains("style="));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
    }

    @Test
    void noOutputNamesAPatientOrAPerson() throws Exception {
        caughtUp();
        Map<String, String> bodies = new LinkedHashMap<>();
        for (String path : List.of("/transparency/statistics", "/transparency/statistics.json", "/transparency/statistics.csv")) {
            bodies.put(path, site.client().get(path).body());
        }
        site.assertNamesNoOne(bodies);
    }

    @Test
    void badQueriesAreRefusedWithAClearMessage() throws Exception {
        PageClient client = site.client();
        HttpResponse<String> page = client.get("/transparency/statistics?month=not-a-month");
        assertEquals(400, page.statusCode());
        assertTrue(page.body().contains("does not understand: this page takes no query parameters (got: month)"), page.body());
        HttpResponse<String> json = client.get("/transparency/statistics.json?format=%3Cscript%3E&x=1");
        assertEquals(400, json.statusCode(), json.body());
        assertTrue(json.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        HttpResponse<String> csv = client.get("/transparency/statistics.csv?from=yesterday");
        assertEquals(400, csv.statusCode(), csv.body());
        assertTrue(csv.body().contains("no query parameters"), csv.body());
        for (HttpResponse<String> r : List.of(page, json, csv)) {
            assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), r.body());
        }
        assertFalse(json.body().contains("<script>"), "the query is not echoed as markup");
    }
}
