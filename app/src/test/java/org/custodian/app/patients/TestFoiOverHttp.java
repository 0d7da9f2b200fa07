package org.custodian.app.patients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.custodian.app.Cli;
import org.custodian.app.database.Database;
import org.custodian.app.database.DatabaseOptions;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Project;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.statistics.SmallNumbers;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.testing.Eventually;
import org.custodian.server.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FOI answers of {@code custodian demo}, after its history through the real gate and more requests over HTTP: a
 * private company's and another government body's requests (refused), and planning by the ICB. Every figure, on the
 * page, in the CSV and from {@code custodian foi}, is a direct count over the ledger's entries (or the consent tables)
 * in the months counted, through the small-number rule; the PDF is tagged and names the tree size; bad input is
 * refused with a message and nothing written; nothing names a patient or a person.
 */
class TestFoiOverHttp {
    @RegisterExtension
    static final Browser browser = new Browser();

    private static final String ADA = "9434765919";
    private static final Organisation HOME_OFFICE = new Organisation("home-office", "Home Office", Sector.OTHER_GOVERNMENT);
    private static final Person OFFICER = new Person("officer-grey", "Tom Grey", Role.ANALYST, HOME_OFFICE.id(), null);
    private static final Organisation ACME = new Organisation("acme-analytics", "Acme Health Analytics Ltd", Sector.PRIVATE_COMPANY);
    private static final Person SMITH = new Person("analyst-smith", "Sam Smith", Role.ANALYST, ACME.id(), null);
    private static final Organisation ICB = new Organisation("QX1", "Northfield Integrated Care Board", Sector.NHS_COMMISSIONER);
    private static final Person KHAN = new Person("analyst-khan", "Aisha Khan", Role.ANALYST, ICB.id(), null);
    private static final ZoneId UK = ZoneId.of("Europe/London");

    @TempDir
    static Path dir;
    private static DemoSite site;
    private static String from;
    private static String to;

    @BeforeAll
    static void start() throws Exception {
        site = DemoSite.start(dir.resolve("data"));
        site.process.awaitOutput("Demo patients (Synthea");
        // Projects approved by mistake for a government department and a company (the statutory rules still refuse them), and the ICB's.
        Path extra = dir.resolve("projects.json");
        Files.writeString(extra, "{\"projects\":["
                + "{\"id\":\"ho-matching\",\"organisation\":\"home-office\",\"purpose\":\"GOV\",\"form\":\"pseudonymised\","
                + "\"status\":\"approved\",\"approvedUntil\":\"2030-12-31\"},"
                + "{\"id\":\"acme-planning\",\"organisation\":\"acme-analytics\",\"purpose\":\"HOPERAT\",\"form\":\"aggregate\","
                + "\"status\":\"approved\",\"approvedUntil\":\"2030-12-31\"},"
                + "{\"id\":\"icb-planning\",\"organisation\":\"QX1\",\"purpose\":\"HOPERAT\",\"form\":\"aggregate\","
                + "\"status\":\"approved\",\"approvedUntil\":\"2030-12-31\"}]}");
        Cli.run("register", "--data", site.data.toString(), extra.toString()).exits(0);
        String home = site.token(OFFICER, HOME_OFFICE, Purpose.GOV, project("ho-matching", HOME_OFFICE, Purpose.GOV, DataForm.PSEUDONYMISED));
        String company = site.token(SMITH, ACME, Purpose.HOPERAT, project("acme-planning", ACME, Purpose.HOPERAT, DataForm.AGGREGATE));
        String icb = site.token(KHAN, ICB, Purpose.HOPERAT, project("icb-planning", ICB, Purpose.HOPERAT, DataForm.AGGREGATE));
        // The servers see the new projects within a second.
        Eventually.await("the new projects are seen", java.time.Duration.ofSeconds(10), () -> {
            try {
                return site.api("POST", "/api/decisions", icb,
                        "{\"patient\":\"" + ADA + "\",\"resources\":[\"Encounter\"],\"form\":\"aggregate\"}").statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        for (int i = 0; i < 9; i++) {
            assertRefused(site.api("POST", "/api/decisions", home, "{\"patient\":\"" + ADA + "\",\"form\":\"pseudonymised\"}"),
                    "statutory.no-other-government-secondary-use");
            assertRefused(site.api("POST", "/api/decisions", company, "{\"patient\":\"" + ADA + "\",\"form\":\"aggregate\"}"),
                    "statutory.no-private-secondary-use");
            HttpResponse<String> r = site.api("POST", "/api/decisions", icb, "{\"patient\":\"" + ADA + "\",\"resources\":[\"Encounter\"],\"form\":\"aggregate\"}");
            assertEquals(200, r.statusCode(), r.body());
        }
        LocalDate today = LocalDate.now(UK);
        from = "2020-01-01";
        to = today.toString();
    }

    private static Project project(String id, Organisation org, Purpose purpose, DataForm form) {
        return new Project(id, org.id(), purpose, form, Project.Status.APPROVED, null, LocalDate.of(2030, 12, 31), null, null, null, List.of());
    }

    private static void assertRefused(HttpResponse<String> r, String reason) {
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"deny\"") && r.body().contains(reason), r.body());
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    // ------------------------------------------------------------------ helpers

    /**
     * The CSV of the answers once the statistics have counted the whole tree, and the tree holds every entry appended
     * so far (a decision is integrated into a checkpoint a moment after its answer).
     */
    private static List<Map<String, String>> csvCaughtUp(String query) throws Exception {
        long appended = TestStatisticsOverHttp.entriesAppended(site.data);
        Eventually.await("the statistics count the whole tree of " + appended + " entries", java.time.Duration.ofSeconds(30), () -> {
            try {
                Map<?, ?> s = (Map<?, ?>) CanonicalJson.parse(site.client().get("/transparency/statistics.json").body());
                return s.get("entriesCounted").equals(s.get("treeSize")) && (Long) s.get("treeSize") >= appended;
            } catch (Exception e) {
                return false;
            }
        });
        HttpResponse<String> r = site.client().get("/transparency/foi.csv" + query);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        return parseCsv(r.body());
    }

    /** RFC 4180, strictly: CRLF record ends, quoted fields with doubled quotes; rows as header -> value. */
    static List<Map<String, String>> parseCsv(String text) {
        List<List<String>> records = org.custodian.server.registers.StrictCsv.read(text);
        List<String> header = records.get(0);
        assertEquals(List.of("question", "figure", "label", "group", "count", "suppression", "counted_over", "counted_from", "counted_to",
                "entries_counted"), header);
        List<Map<String, String>> rows = new ArrayList<>();
        for (List<String> r : records.subList(1, records.size())) {
            assertEquals(header.size(), r.size(), r.toString());
            Map<String, String> m = new HashMap<>();
            for (int k = 0; k < header.size(); k++) {
                m.put(header.get(k), r.get(k));
            }
            rows.add(m);
        }
        return rows;
    }

    /** question/figure -> raw count, directly from the ledger's entries below {@code size} in the months counted, and the consent tables. */
    private static Map<String, Long> direct(long size, YearMonth first, YearMonth last) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Database db = Database.open(DatabaseOptions.embedded(site.data).withShutdownHook(false));
                var c = db.dataSource().getConnection();
                var s = c.prepareStatement("SELECT content FROM ledger_entries WHERE idx < ? AND content IS NOT NULL ORDER BY idx")) {
            s.setLong(1, size);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    LedgerEntry e = LedgerEntry.parse(rs.getBytes(1));
                    if (!e.type().equals("access.decision")) {
                        continue;
                    }
                    YearMonth month = YearMonth.from(e.time().atZone(UK));
                    if (month.isBefore(first) || month.isAfter(last)) {
                        continue;
                    }
                    Map<String, Object> f = e.fields();
                    Map<?, ?> requester = (Map<?, ?>) f.get("requester");
                    String sector = (String) requester.get("sector");
                    String org = (String) requester.get("organisation");
                    boolean permit = "permit".equals(f.get("decision"));
                    boolean secondary = Purpose.fromCode((String) f.get("purpose")).map(p -> p.group().isSecondary()).orElse(true);
                    if (permit && secondary) {
                        add(out, "a/secondary-permits");
                        add(out, "a/sector:" + sector);
                        add(out, "a/organisation:" + org);
                    }
                    if (sector.equals("other-government")) {
                        add(out, "e/other-government-requests");
                        add(out, permit ? "e/other-government-permits" : "e/other-government-refusals");
                    }
                    if (!permit) {
                        for (Object reason : (List<?>) f.get("reasons")) {
                            add(out, "c/refused:" + reason);
                            add(out, "d/refused:" + reason);
                            if (sector.equals("other-government") && reason.equals("statutory.no-other-government-secondary-use")) {
                                add(out, "e/other-government-statutory-refusals");
                            }
                        }
                    }
                }
            }
            try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM register_people WHERE nhs_number IS NOT NULL")) {
                rs.next();
                out.put("c/patients-registered", rs.getLong(1));
            }
            try (var st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT g, count(*) FROM consent_choices, jsonb_array_elements_text(choices::jsonb -> 'refusedPurposes') g GROUP BY g")) {
                while (rs.next()) {
                    out.put("c/opted-out:" + rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    private static void add(Map<String, Long> out, String key) {
        out.merge(key, 1L, Long::sum);
    }

    /** Every figure row of the CSV checked against the direct count; returns how many were published and redacted. */
    private static int[] crossCheck(List<Map<String, String>> rows) throws Exception {
        List<Map<String, String>> figures = rows.stream().filter(r -> !r.get("figure").equals("answer") && !r.get("question").equals("period")).toList();
        long size = Long.parseLong(figures.get(0).get("entries_counted"));
        YearMonth first = YearMonth.parse(figures.get(0).get("counted_from").substring(0, 7));
        YearMonth last = YearMonth.parse(figures.get(0).get("counted_to").substring(0, 7));
        Map<String, Long> direct = direct(size, first, last);
        int published = 0;
        int redacted = 0;
        for (Map<String, String> r : figures) {
            String key = r.get("question") + "/" + r.get("figure");
            assertEquals(String.valueOf(size), r.get("entries_counted"), "one tree size for every figure");
            long raw = direct.getOrDefault(key, 0L);
            if (r.get("suppression").equals("redacted")) {
                redacted++;
                assertEquals("", r.get("count"), key);
                // By the rule itself, or secondarily (an organisation within its sector, or the other-government pair).
                assertTrue((raw >= 1 && raw <= SmallNumbers.REDACT_AT_MOST) || key.startsWith("a/") || key.startsWith("e/"), key + " raw " + raw);
            } else {
                published++;
                assertEquals("published", r.get("suppression"), key);
                assertEquals(SmallNumbers.publish(raw), OptionalLong.of(Long.parseLong(r.get("count"))), key + " raw " + raw);
            }
        }
        // Every organisation allowed secondary use in the period is listed.
        for (String key : direct.keySet()) {
            if (key.startsWith("a/organisation:")) {
                assertTrue(figures.stream().anyMatch(r -> key.equals(r.get("question") + "/" + r.get("figure"))), "a row for " + key);
            }
        }
        return new int[] {published, redacted};
    }

    private static String figure(List<Map<String, String>> rows, String question, String id) {
        return rows.stream().filter(r -> r.get("question").equals(question) && r.get("figure").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no figure " + question + "/" + id)).get("count");
    }

    private static String answer(List<Map<String, String>> rows, String question) {
        return rows.stream().filter(r -> r.get("question").equals(question) && r.get("figure").equals("answer")).findFirst().orElseThrow()
                .get("label");
    }

    // ------------------------------------------------------------------ tests

    @Test
    void everyFigureIsADirectCountOfTheLedgerThroughTheRule() throws Exception {
        List<Map<String, String>> rows = csvCaughtUp("?from=" + from + "&to=" + to);
        int[] seen = crossCheck(rows);
        assertTrue(seen[0] >= 10, "published figures: " + seen[0]);
        // Nothing given to other government bodies; their nine requests refused by the statutory rule (9 -> 10).
        assertEquals("0", figure(rows, "e", "other-government-permits"));
        assertTrue(Long.parseLong(figure(rows, "e", "other-government-statutory-refusals")) >= 10, "nine refused here at least");
        assertEquals("0", figure(rows, "a", "sector:private-company"));
        assertEquals("0", figure(rows, "a", "sector:other-government"));
        assertTrue(answer(rows, "a").contains("Acme Health Analytics Ltd processes data for Northfield Integrated Care Board"), answer(rows, "a"));
        assertTrue(answer(rows, "d").contains("None are registered; Custodian has no algorithm register yet."), answer(rows, "d"));
        assertTrue(answer(rows, "e").contains("nothing was given to another government body"), answer(rows, "e"));
        assertTrue(answer(rows, "f").contains("embedded PostgreSQL"), answer(rows, "f"));
        assertFalse(answer(rows, "f").contains(site.data.toAbsolutePath().toString()), "the server's paths are not published");
        assertTrue(answer(rows, "f").contains("no third-party cloud"), answer(rows, "f"));
        // A period that starts and ends within months is answered for the whole months, and says so.
        String partial = rows.stream().filter(r -> r.get("question").equals("period")).map(r -> r.get("label")).reduce("", String::concat);
        assertTrue(partial.contains("wider than the period asked for"), partial);
        assertTrue(partial.contains("tree size " + rows.get(0).get("entries_counted")), partial);
    }

    @Test
    void thePageCarriesTheCsvsFiguresAndNamesTheTreeSize() throws Exception {
        String query = "?from=" + from + "&to=" + to;
        for (int attempt = 0; ; attempt++) {
            List<Map<String, String>> rows = csvCaughtUp(query);
            HttpResponse<String> page = site.client().get("/transparency/foi" + query);
            assertEquals(200, page.statusCode());
            String size = rows.get(0).get("entries_counted");
            if (!page.body().contains("As of tree size " + size + "<") && attempt < 5) {
                continue; // counted something between the two requests
            }
            assertTrue(page.body().contains("As of tree size " + size + "<"), page.body());
            Matcher m = Pattern.compile("data-figure=\"([a-z-]+)/([^\"]+)\">(?:<span class=\"redacted\">redacted</span>|([0-9,]+))</td>")
                    .matcher(page.body());
            Map<String, String> onPage = new HashMap<>();
            while (m.find()) {
                onPage.put(m.group(1) + "/" + DemoSite.unescape(m.group(2)), m.group(3) == null ? "" : m.group(3).replace(",", ""));
            }
            Map<String, String> letters = Map.of("a", "organisations", "b", "legal-basis", "c", "opt-outs", "d", "algorithms", "e",
                    "other-government", "f", "hosting");
            int n = 0;
            for (Map<String, String> r : rows) {
                if (r.get("figure").equals("answer") || r.get("question").equals("period")) {
                    continue;
                }
                assertEquals(r.get("count"), onPage.get(letters.get(r.get("question")) + "/" + r.get("figure")), r.toString());
                n++;
            }
            assertEquals(n, onPage.size());
            assertFalse(page.body().contains("<script") || page.body().contains("style="));
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
            // The registers behind the answers.
            assertTrue(page.body().contains("dsa-qx1-planning") && page.body().contains("diabetes-outcomes"), "agreements and projects");
            // Where the data is hosted: the operator's declaration (the demo's hosting register), then what the process sees.
            String text = DemoSite.unescape(page.body());
            for (String said : HOSTING_SAYS) {
                assertTrue(text.contains(said), said);
            }
            assertFalse(text.contains("has not stated where the data is hosted"), "the demo's operator has");
            assertTrue(page.body().contains("<caption id=\"table-hosting-sites\">"), "the sites as a table");
            return;
        }
    }

    /** What the hosting answer says of the demo's declared sites (docs/examples/registers.json) and of its embedded database. */
    private static final List<String> HOSTING_SAYS = List.of(
            "The operator of this deployment declares that the data is hosted at 3 sites",
            "Primary site (northfield-dc): country United Kingdom; provider Northfield City Council data centre, Civic Centre, Northfield.",
            "Backup site (pennine-leeds): country United Kingdom; provider Pennine Cloud Services Ltd, Leeds data centre (registered as Pennine"
                    + " Cloud Services Ltd, private company). Pennine Cloud Services Ltd is a private company: it acts only as a processor",
            "Disaster-recovery site (rx101-dr): country United Kingdom; provider Northfield General Hospital NHS Trust data centre",
            "What this service itself can see: patients' data and the ledger are kept in one embedded PostgreSQL database",
            "Custodian cannot check the operator's declaration against what it sees: it knows that the database is embedded on the machine"
                    + " running this service, not which of the declared sites, or which country, that machine is in.");

    @Test
    void theDefaultPeriodIsTheLastTwelveCompleteMonthsAndThePageIsLinked() throws Exception {
        HttpResponse<String> page = site.client().get("/transparency/foi");
        assertEquals(200, page.statusCode(), page.body());
        YearMonth now = YearMonth.now(UK);
        assertTrue(page.body().contains("value=\"" + now.minusMonths(12).atDay(1) + "\""), page.body());
        assertTrue(page.body().contains("value=\"" + now.minusMonths(1).atEndOfMonth() + "\""), page.body());
        assertTrue(page.body().contains("whole calendar months"), page.body());
        assertTrue(site.client().get("/").body().contains("href=\"/transparency/foi\""), "linked from the home page");
        assertTrue(site.client().get("/transparency/statistics").body().contains("href=\"/transparency/foi\""), "linked from the statistics");
    }

    @Test
    void badParametersAreRefusedWithAClearMessage() throws Exception {
        Map<String, String> cases = Map.of(
                "?from=2026-05-01&to=2026-04-01", "from (2026-05-01) is after to (2026-04-01)",
                "?from=2026-02-30", "from \"2026-02-30\" is not a date in the calendar",
                "?from=yesterday", "is not a date: give it as YYYY-MM-DD",
                "?month=2026-01", "it does not understand: month",
                "?from=2026-01-01&from=2026-02-01", "from is given more than once");
        for (var c : cases.entrySet()) {
            HttpResponse<String> page = site.client().get("/transparency/foi" + c.getKey());
            assertEquals(400, page.statusCode(), c.getKey());
            assertTrue(page.body().contains(c.getValue()), c.getKey() + "\n" + page.body());
            assertFalse(page.body().contains("Exception"), page.body());
        }
        HttpResponse<String> csv = site.client().get("/transparency/foi.csv?to=%3Cscript%3E");
        assertEquals(400, csv.statusCode());
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertFalse(csv.body().contains("<script>"));
    }

    @Test
    void theCommandWritesTheSameAnswersInEveryFormat() throws Exception {
        Path out = dir.resolve("out");
        String data = site.data.toString();
        Cli.run("foi", "--data", data, "--from", from, "--to", to, "--format", "csv", "--out", out.resolve("foi.csv").toString()).exits(0);
        List<Map<String, String>> rows = parseCsv(Files.readString(out.resolve("foi.csv"), StandardCharsets.UTF_8));
        crossCheck(rows);
        String size = rows.get(0).get("entries_counted");
        String hostingAnswer = rows.stream().filter(r -> r.get("question").equals("f") && r.get("figure").equals("answer")).findFirst()
                .orElseThrow().get("label");
        for (String said : HOSTING_SAYS) {
            assertTrue(hostingAnswer.contains(said), said + "\n" + hostingAnswer);
        }

        Cli.run("foi", "--data", data, "--from", from, "--to", to, "--format", "html", "--out", out.resolve("foi.html").toString()).exits(0);
        String html = Files.readString(out.resolve("foi.html"));
        assertTrue(html.contains("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en-GB\""), html);
        assertTrue(html.contains("As of tree size "), html);
        assertTrue(html.contains("None are registered; Custodian has no algorithm register yet."));
        for (String said : HOSTING_SAYS) {
            assertTrue(DemoSite.unescape(html).contains(said), said);
        }

        Cli.Result pdfRun = Cli.run("foi", "--data", data, "--from", from, "--to", to, "--format", "pdf", "--out", out.resolve("foi.pdf").toString())
                .exits(0);
        assertTrue(pdfRun.err().contains("as of tree size"), pdfRun.toString());
        try (PDDocument pdf = Loader.loadPDF(Files.readAllBytes(out.resolve("foi.pdf")))) {
            assertTrue(pdf.getDocumentCatalog().getStructureTreeRoot() != null, "tagged");
            assertTrue(pdf.getDocumentCatalog().getMarkInfo() != null && pdf.getDocumentCatalog().getMarkInfo().isMarked(), "marked");
            assertEquals("en-GB", pdf.getDocumentCatalog().getLanguage());
            String text = new PDFTextStripper().getText(pdf).replaceAll("\\s+", " ");
            assertTrue(text.contains("As of tree size "), text);
            assertTrue(text.contains("Which organisations, and which private companies, receive or process patient data"), text);
            assertTrue(text.contains("None are registered; Custodian has no algorithm register yet."), text);
            for (String said : HOSTING_SAYS) {
                assertTrue(text.contains(said), said + "\n" + text);
            }
            assertTrue(Long.parseLong(DemoSite.find(text, "As of tree size ([0-9]+)")) >= Long.parseLong(size), text);
            site.assertNamesNoOne(Map.of("the PDF", text));
        }
        site.assertNamesNoOne(Map.of("the HTML", html));
        site.assertNamesNoOne(Map.of("the CSV", Files.readString(out.resolve("foi.csv"))));
    }

    @Test
    void theCommandRefusesBadInputAndWritesNothing() throws Exception {
        Path out = dir.resolve("bad").resolve("foi.csv");
        String data = site.data.toString();
        Map<List<String>, String> cases = Map.of(
                List.of("--from", "2026-05-01", "--to", "2026-04-01", "--format", "csv"), "--from (2026-05-01) is after --to (2026-04-01)",
                List.of("--from", "2026-13-01", "--to", "2026-04-01", "--format", "csv"), "--from \"2026-13-01\" is not a date in the calendar",
                List.of("--from", "1/1/2026", "--to", "2026-04-01", "--format", "csv"), "is not a date: give it as YYYY-MM-DD",
                List.of("--from", "2026-01-01", "--to", "2026-04-01", "--format", "docx"), "--format \"docx\" is not a format: give html, pdf or csv");
        for (var c : cases.entrySet()) {
            List<String> args = new ArrayList<>(List.of("foi", "--data", data, "--out", out.toString()));
            args.addAll(c.getKey());
            Cli.Result r = Cli.run(args.toArray(String[]::new)).exits(1);
            assertTrue(r.err().contains(c.getValue()), r.toString());
            assertFalse(Files.exists(out.getParent()), "nothing written: " + c.getKey());
        }
    }

    @Test
    void noOutputNamesAPatientOrAPerson() throws Exception {
        String query = "?from=" + from + "&to=" + to;
        Map<String, String> bodies = new LinkedHashMap<>();
        for (String path : List.of("/transparency/foi" + query, "/transparency/foi.csv" + query, "/transparency/foi")) {
            bodies.put(path, site.client().get(path).body());
        }
        site.assertNamesNoOne(bodies);
    }

    @Test
    void thePageIsAccessibleAtBothWidths() throws Exception {
        browser.open(site.base + "transparency/statistics");
        assertTrue(browser.clickThen("a[href='/transparency/foi']", "h1").getText().startsWith("Freedom of information"));
        browser.checkAtBothWidths("foi-default");
        browser.find("#foi-from").clear();
        browser.driver().executeScript("document.getElementById('foi-from').value = '" + from + "'");
        browser.driver().executeScript("document.getElementById('foi-to').value = '" + to + "'");
        assertTrue(browser.clickThen("form.filters button[type=submit]", "h1").getText().contains("1 January 2020"));
        browser.checkAtBothWidths("foi-period");
    }
}
