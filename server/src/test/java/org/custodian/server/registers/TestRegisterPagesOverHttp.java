package org.custodian.server.registers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.custodian.core.registers.Project;
import org.custodian.core.registers.Sector;
import org.custodian.ledger.entry.CanonicalJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public registers over real HTTP from registers applied to a real PostgreSQL: the page, the JSON and
 * the CSV agree with the stored tables row for row, filter alike, refuse bad filters with 400, and never
 * show a person or an NHS number.
 */
class TestRegisterPagesOverHttp {
    @TempDir
    static Path dir;

    static RegisterSite site;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        site = RegisterSite.start(dir);
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    // ---- the registers agree with the tables, in every form -------------------------------------------

    @Test
    void organisationsAgreeWithTheStoredRegisterRowForRowInHtmlJsonAndCsv() throws Exception {
        List<Map<String, String>> stored = new ArrayList<>(site.rows(
                "SELECT id, name, sector, ledger_index, updated_at FROM register_organisations"));
        stored.sort(Comparator.comparing((Map<String, String> r) -> r.get("name").toLowerCase(Locale.UK)).thenComparing(r -> r.get("id")));
        assertEquals(RegisterSite.ORGANISATIONS.size(), stored.size());

        List<Map<String, Object>> json = jsonRows(get("/registers/organisations.json"));
        assertEquals(stored.size(), json.size());
        for (int i = 0; i < stored.size(); i++) {
            Map<String, String> s = stored.get(i);
            Map<String, Object> j = json.get(i);
            assertEquals(s.get("id"), j.get("id"));
            assertEquals(s.get("name"), j.get("name"));
            assertEquals(s.get("sector"), j.get("sector"));
            String words = Sector.fromCode(s.get("sector")).orElseThrow().words();
            assertEquals(words.toLowerCase(Locale.UK), ((String) j.get("sectorName")).toLowerCase(Locale.UK));
            assertEquals(Long.parseLong(s.get("ledger_index")), j.get("ledgerIndex"));
            assertEquals(s.get("updated_at"), j.get("updatedAt"));
            assertEquals(List.of("id", "name", "sector", "sectorName", "ledgerIndex", "updatedAt"), List.copyOf(j.keySet().stream().sorted(
                    Comparator.comparing(List.of("id", "name", "sector", "sectorName", "ledgerIndex", "updatedAt")::indexOf)).toList()));
        }
        assertCsvMatchesJson(get("/registers/organisations.csv").body(), json, List.of("id", "name", "sector", "sectorName", "ledgerIndex", "updatedAt"));

        List<HtmlRow> html = htmlRows(get("/registers/organisations").body());
        assertEquals(json.size(), html.size());
        for (int i = 0; i < json.size(); i++) {
            Map<String, Object> j = json.get(i);
            HtmlRow h = html.get(i);
            assertEquals("organisation-" + j.get("id"), h.id());
            assertEquals(j.get("name") + " " + j.get("id"), h.cells().get(0));
            assertEquals(j.get("sectorName") + " " + j.get("sector"), h.cells().get(1));
            assertTrue(h.cells().get(2).startsWith("Ledger entry " + j.get("ledgerIndex") + " "), h.cells().get(2));
            assertTrue(h.html().contains("<a href=\"/api/receipts/" + j.get("ledgerIndex") + "\">"), h.html());
        }
        assertTrue(html.get(0).html().contains("<th scope=\"row\">"), "the organisation heads its row");
    }

    @Test
    void projectsAgreeWithTheStoredRegisterRowForRowAndLinkToTheirOrganisation() throws Exception {
        List<Map<String, String>> stored = site.rows("SELECT p.id, p.organisation, o.name AS organisation_name, p.purpose, p.form, p.status, "
                + "p.approved_from, p.approved_until, p.ethics_reference, p.lead_name, p.lead_role, p.public_benefit, p.outputs::text AS outputs, "
                + "p.ledger_index, p.updated_at FROM register_projects p JOIN register_organisations o ON o.id = p.organisation ORDER BY p.id");
        assertEquals(RegisterSite.PROJECTS.size(), stored.size());
        List<String> fields = List.of("id", "organisation", "organisationName", "lead", "leadRole", "purpose", "purposeName", "publicBenefit",
                "form", "formName", "status", "statusName", "approvedFrom", "approvedUntil", "ethicsReference", "outputs", "ledgerIndex",
                "updatedAt");

        HttpResponse<String> response = get("/registers/projects.json");
        assertEquals(fields, ((Map<?, ?>) CanonicalJson.parse(response.body())).get("fields"));
        List<Map<String, Object>> json = jsonRows(response);
        assertEquals(stored.size(), json.size());
        for (int i = 0; i < stored.size(); i++) {
            Map<String, String> s = stored.get(i);
            Map<String, Object> j = json.get(i);
            assertEquals(s.get("id"), j.get("id"));
            assertEquals(s.get("organisation"), j.get("organisation"));
            assertEquals(s.get("organisation_name"), j.get("organisationName"));
            assertEquals(s.get("lead_name"), j.get("lead"));
            assertEquals(s.get("lead_role"), j.get("leadRole"));
            assertEquals(s.get("purpose"), j.get("purpose"));
            assertEquals(s.get("public_benefit"), j.get("publicBenefit"));
            assertEquals(s.get("form"), j.get("form"));
            assertEquals(s.get("status"), j.get("status"));
            assertEquals(s.get("approved_from"), j.get("approvedFrom"));
            assertEquals(s.get("approved_until"), j.get("approvedUntil"));
            assertEquals(s.get("ethics_reference"), j.get("ethicsReference"));
            // The stored outputs omit an absent url; the published ones say null, so that every output has both members.
            List<?> storedOutputs = (List<?>) CanonicalJson.parse(s.get("outputs"));
            List<?> outputs = (List<?>) j.get("outputs");
            assertEquals(storedOutputs.size(), outputs.size());
            for (int o = 0; o < outputs.size(); o++) {
                Map<?, ?> so = (Map<?, ?>) storedOutputs.get(o);
                Map<?, ?> jo = (Map<?, ?>) outputs.get(o);
                assertEquals(java.util.Set.of("title", "url"), jo.keySet());
                assertEquals(so.get("title"), jo.get("title"));
                assertEquals(so.get("url"), jo.get("url"));
            }
            assertEquals(Long.parseLong(s.get("ledger_index")), j.get("ledgerIndex"));
            assertEquals(s.get("updated_at"), j.get("updatedAt"));
            for (String words : List.of("purposeName", "formName", "statusName")) {
                assertFalse(((String) j.get(words)).isBlank(), words);
            }
            assertEquals(fields.size(), j.size());
        }
        // and the files hold the fixture's projects exactly, each detail stated or not.
        for (Project p : RegisterSite.PROJECTS) {
            Map<String, Object> j = json.stream().filter(r -> r.get("id").equals(p.id())).findFirst().orElseThrow();
            assertEquals(p.lead() == null ? null : p.lead().name(), j.get("lead"), p.id());
            assertEquals(p.lead() == null ? null : p.lead().role(), j.get("leadRole"), p.id());
            assertEquals(p.publicBenefit(), j.get("publicBenefit"), p.id());
            assertEquals(p.approvedFrom() == null ? null : p.approvedFrom().toString(), j.get("approvedFrom"), p.id());
            assertEquals(p.outputs().stream().map(o -> map("title", o.title(), "url", o.url())).toList(), j.get("outputs"), p.id());
        }
        assertCsvMatchesJson(get("/registers/projects.csv").body(), json, fields);

        String page = get("/registers/projects").body();
        List<HtmlRow> html = htmlRows(page);
        assertEquals(json.size(), html.size());
        for (int i = 0; i < json.size(); i++) {
            Map<String, Object> j = json.get(i);
            HtmlRow h = html.get(i);
            assertEquals("project-" + j.get("id"), h.id());
            assertEquals(j.get("id"), h.cells().get(0));
            assertEquals(j.get("organisationName") + " " + j.get("organisation"), h.cells().get(1));
            assertTrue(h.html().contains("<a href=\"/registers/organisations#organisation-" + j.get("organisation") + "\">"), h.html());
            assertEquals(j.get("lead") == null ? "Not stated" : j.get("lead") + " " + j.get("leadRole"), h.cells().get(2));
            assertEquals(j.get("purposeName") + " " + j.get("purpose"), h.cells().get(3));
            assertEquals(j.get("publicBenefit") == null ? "Not stated" : ((String) j.get("publicBenefit")).replaceAll("\\s+", " "),
                    h.cells().get(4));
            assertEquals(j.get("formName"), h.cells().get(5));
            assertTrue(((String) j.get("formName")).equalsIgnoreCase((String) j.get("form")), "the form's words are its name");
            assertEquals(j.get("statusName"), h.cells().get(6));
            assertTrue(((String) j.get("statusName")).equalsIgnoreCase((String) j.get("status")), "the status's words are its name");
            LocalDate until = LocalDate.parse((String) j.get("approvedUntil"));
            assertEquals(j.get("approvedFrom") == null ? "Until " + day(until) + " Start not stated"
                    : day(LocalDate.parse((String) j.get("approvedFrom"))) + " to " + day(until), h.cells().get(7));
            assertEquals(j.get("ethicsReference") == null ? "Not recorded" : j.get("ethicsReference"), h.cells().get(8));
            List<?> outputs = (List<?>) j.get("outputs");
            assertEquals(outputs.isEmpty() ? "None listed"
                    : String.join(" ", outputs.stream().map(o -> (String) ((Map<?, ?>) o).get("title")).toList()), h.cells().get(9));
            for (Object o : outputs) {
                Map<?, ?> output = (Map<?, ?>) o;
                String title = content((String) output.get("title"));
                assertTrue(h.html().contains(output.get("url") == null ? "<li>" + title + "</li>"
                        : "<li><a href=\"" + attribute((String) output.get("url")) + "\" rel=\"external\">" + title + "</a></li>"), h.html());
            }
            assertTrue(h.cells().get(10).startsWith("Ledger entry " + j.get("ledgerIndex") + " "), h.cells().get(10));
        }
        assertTrue(page.contains("<td>1 October 2025 to 31 December 2027</td>"), "dates in words on the page");
        // The statement keeps its paragraphs, in a wider column; hostile text stays text.
        assertTrue(page.contains("<div class=\"prose\">Which missed diabetes checks come before sight loss and amputation, and who misses them.\n\n"
                + "Findings go to GP practices, \"openly\", to invite those most at risk first.</div>"), page);
        assertFalse(page.contains("<script>alert(1)</script>") || page.contains("<b>bold</b>"), "details cannot become markup");
        // Every organisation a project links to is a row of the organisations page.
        String organisations = get("/registers/organisations").body();
        for (Map<String, Object> j : json) {
            assertTrue(organisations.contains("<tr id=\"organisation-" + j.get("organisation") + "\">"), (String) j.get("organisation"));
        }
    }

    /** A day as the page writes it. */
    private static String day(LocalDate day) {
        return day.format(java.time.format.DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK));
    }

    /** Text as jte escapes it in an element's content. */
    private static String content(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Text as jte escapes it in a quoted attribute. */
    private static String attribute(String text) {
        return content(text).replace("\"", "&#34;").replace("'", "&#39;");
    }

    @Test
    void theLastChangeOfARowLinksToAPublicProofOfItsLedgerEntry() throws Exception {
        Map<String, Object> row = jsonRows(get("/registers/organisations.json")).get(0);
        HttpResponse<String> receipt = get("/api/receipts/" + row.get("ledgerIndex"));
        assertEquals(200, receipt.statusCode(), receipt.body());
        assertEquals(row.get("ledgerIndex"), ((Map<?, ?>) CanonicalJson.parse(receipt.body())).get("index"));
        List<Long> indexes = jsonRows(get("/registers/organisations.json")).stream().map(r -> (Long) r.get("ledgerIndex")).distinct().toList();
        assertTrue(indexes.size() > 1, "rows changed by different entries show different entries: " + indexes);
    }

    @Test
    void theJsonNamesTheRegisterAndTheTimeAndCheckpointItWasReadAt() throws Exception {
        Instant before = Instant.now();
        Map<?, ?> body = (Map<?, ?>) CanonicalJson.parse(get("/registers/organisations.json").body());
        assertEquals("organisations", body.get("register"));
        Instant readAt = Instant.parse((String) body.get("readAt"));
        assertFalse(readAt.isBefore(before.minusSeconds(1)), readAt.toString());
        long treeSize = (Long) body.get("ledgerTreeSize");
        assertEquals(site.log.latestCheckpoint().orElseThrow().size(), treeSize);
        long newest = jsonRows(get("/registers/organisations.json")).stream().mapToLong(r -> (Long) r.get("ledgerIndex")).max().orElseThrow();
        assertTrue(newest < treeSize, "every change shown is in the checkpoint named");
        assertEquals((long) RegisterSite.ORGANISATIONS.size(), body.get("count"));
        assertEquals(Map.of(), body.get("filters"));
    }

    // ---- filters ------------------------------------------------------------------------------------

    @Test
    void theSameFiltersNarrowThePageTheJsonAndTheCsvAlike() throws Exception {
        assertFilter("/registers/organisations", "?sector=private-company", r -> "private-company".equals(r.get("sector")), 4);
        assertFilter("/registers/organisations", "?sector=regulator", r -> "regulator".equals(r.get("sector")), 1);
        assertFilter("/registers/organisations", "?sector=", r -> true, RegisterSite.ORGANISATIONS.size());
        assertFilter("/registers/projects", "?status=approved", r -> "approved".equals(r.get("status")), 2);
        assertFilter("/registers/projects", "?status=approved&purpose=HRESCH",
                r -> "approved".equals(r.get("status")) && "HRESCH".equals(r.get("purpose")), 1);
        assertFilter("/registers/projects", "?form=aggregate&status=", r -> "aggregate".equals(r.get("form")), 2);
        assertFilter("/registers/projects", "?status=suspended&form=identifiable", r -> false, 0);

        Map<?, ?> body = (Map<?, ?>) CanonicalJson.parse(get("/registers/projects.json?status=approved&purpose=HRESCH").body());
        assertEquals(Map.of("status", "approved", "purpose", "HRESCH"), body.get("filters"));
        String page = get("/registers/projects?status=approved").body();
        assertTrue(page.contains("<option value=\"approved\" selected>"), "the choice stays chosen");
        assertTrue(page.contains("href=\"/registers/projects.csv?status=approved\""), "the downloads keep the filter");
        assertTrue(page.contains("2 of 6 projects match."), page);
    }

    private static void assertFilter(String path, String query, java.util.function.Predicate<Map<String, Object>> expected, int count)
            throws Exception {
        List<Map<String, Object>> all = jsonRows(get(path + ".json"));
        List<Object> ids = all.stream().filter(expected).map(r -> r.get("id")).toList();
        assertEquals(count, ids.size(), "the fixture has " + count + " rows for " + query);
        List<Map<String, Object>> json = jsonRows(get(path + ".json" + query));
        assertEquals(ids, json.stream().map(r -> r.get("id")).toList(), "json " + query);
        List<List<String>> csv = parseCsv(get(path + ".csv" + query).body());
        assertEquals(ids, csv.subList(1, csv.size()).stream().map(r -> (Object) r.get(0)).toList(), "csv " + query);
        String prefix = path.endsWith("organisations") ? "organisation-" : path.endsWith("agreements") ? "agreement-"
                : path.endsWith("hosting") ? "hosting-" : "project-";
        assertEquals(ids.stream().map(id -> prefix + id).toList(), htmlRows(get(path + query).body()).stream().map(HtmlRow::id).toList(),
                "page " + query);
    }

    @Test
    void aBadFilterIsA400PageForThePageAndAProblemForTheFiles() throws Exception {
        record Bad(String query, String says) {}
        for (String register : List.of("organisations", "projects")) {
            for (Bad bad : List.of(
                    new Bad("?sector=bogus", register.equals("organisations") ? "\"bogus\" is not a sector" : "\"sector\" is not a filter"),
                    new Bad("?status=approved&status=ended", register.equals("projects") ? "at most once" : "\"status\" is not a filter"),
                    new Bad("?colour=red", "\"colour\" is not a filter of the " + register + " register"),
                    new Bad("?status=APPROVED", register.equals("projects") ? "\"APPROVED\" is not a status" : "\"status\" is not a filter"),
                    new Bad("?purpose=%3Cscript%3E", register.equals("projects") ? "is not a purpose" : "\"purpose\" is not a filter"))) {
                HttpResponse<String> page = get("/registers/" + register + bad.query());
                assertEquals(400, page.statusCode(), register + bad.query());
                assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), register + bad.query());
                assertTrue(text(page.body()).contains(bad.says()), text(page.body()));
                assertTrue(page.body().contains("<h1>There is a problem with the filter</h1>"), page.body());
                assertFalse(page.body().contains("<script>"), "the value is escaped");
                for (String suffix : List.of(".json", ".csv")) {
                    HttpResponse<String> file = get("/registers/" + register + suffix + bad.query());
                    assertEquals(400, file.statusCode(), register + suffix + bad.query());
                    assertEquals("application/problem+json", file.headers().firstValue("Content-Type").orElse(""));
                    assertTrue(((String) ((Map<?, ?>) CanonicalJson.parse(file.body())).get("detail")).contains(bad.says()), file.body());
                }
            }
        }
    }

    @Test
    void anUnknownRegisterIsNotFound() throws Exception {
        HttpResponse<String> page = get("/registers/people");
        assertEquals(404, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        for (String path : List.of("/registers/people.json", "/registers/careRelationships.csv", "/registers/proxies.json")) {
            HttpResponse<String> file = get(path);
            assertEquals(404, file.statusCode(), path);
            assertEquals("application/problem+json", file.headers().firstValue("Content-Type").orElse(""), path);
        }
    }

    // ---- what must never be published ---------------------------------------------------------------

    @Test
    void agreementsAgreeWithTheStoredRegisterAndShowPartnerProcessorsAndPayments() throws Exception {
        List<Map<String, String>> stored = site.rows("SELECT a.id, a.partner, o.name AS partner_name, o.sector AS partner_sector, a.status, "
                + "a.item::text AS item, a.ledger_index, a.updated_at FROM register_agreements a "
                + "JOIN register_organisations o ON o.id = a.partner ORDER BY a.id");
        assertEquals(RegisterSite.AGREEMENTS.size(), stored.size());
        List<String> fields = List.of("id", "title", "partner", "partnerName", "partnerSector", "processors", "processorNames", "purposes",
                "purposeNames", "form", "formName", "data", "categories", "legalBasis", "optOutsApply", "from", "to", "status", "statusName",
                "payments", "ledgerIndex", "updatedAt");
        HttpResponse<String> response = get("/registers/agreements.json");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(fields, ((Map<?, ?>) CanonicalJson.parse(response.body())).get("fields"));
        List<Map<String, Object>> json = jsonRows(response);
        assertEquals(stored.size(), json.size());
        for (int i = 0; i < stored.size(); i++) {
            Map<String, String> s = stored.get(i);
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) CanonicalJson.parse(s.get("item"));
            Map<String, Object> j = json.get(i);
            assertEquals(s.get("id"), j.get("id"));
            assertEquals(s.get("partner"), j.get("partner"));
            assertEquals(s.get("partner_name"), j.get("partnerName"));
            assertEquals(s.get("partner_sector"), j.get("partnerSector"));
            assertEquals(s.get("status"), j.get("status"));
            for (String member : List.of("title", "processors", "purposes", "form", "data", "categories", "legalBasis", "from")) {
                Object expected = item.get(member);
                Object actual = j.get(member);
                if (expected instanceof List<?> list) {
                    assertEquals(list.stream().map(String::valueOf).sorted().toList(),
                            ((List<?>) actual).stream().map(String::valueOf).sorted().toList(), member);
                } else {
                    assertEquals(expected, actual, member);
                }
            }
            assertEquals(item.get("to"), j.get("to"));
            assertEquals("yes", j.get("optOutsApply"), "patients' choices always apply");
            assertEquals(((List<?>) item.get("payments")).size(), ((List<?>) j.get("payments")).size());
            assertEquals(Long.parseLong(s.get("ledger_index")), j.get("ledgerIndex"));
        }
        assertCsvMatchesJson(get("/registers/agreements.csv").body(), json, fields);

        String page = text(get("/registers/agreements").body());
        assertTrue(page.contains("Planning platform, \"phase 2\""), page);
        assertTrue(page.contains("North East and North Cumbria ICB"), "the partner by name");
        assertTrue(page.contains("(private company)"), "processors are shown with their sector");
        assertTrue(page.contains("To the partner or its processors: Platform licence (GBP 240,000 a year)"), page);
        assertTrue(page.contains("From the partner: Free analytics training"), "benefits the other way too");
        assertTrue(page.contains("No end date"), page);
        assertTrue(page.contains("Sensitive categories: mental health"), page);
        assertFilter("/registers/agreements", "?status=suspended", r -> "suspended".equals(r.get("status")), 1);
        assertFilter("/registers/agreements", "?sector=public-research", r -> "public-research".equals(r.get("partnerSector")), 1);
    }

    @Test
    void noPersonAndNoNhsNumberAppearsInAnyForm() throws Exception {
        List<String> paths = new ArrayList<>(List.of("/", "/registers", "/registers/people", "/registers/people.json"));
        for (String register : List.of("organisations", "projects", "agreements", "hosting")) {
            for (String suffix : List.of("", ".json", ".csv")) {
                paths.add("/registers/" + register + suffix);
                paths.add("/registers/" + register + suffix + "?sector=nhs-care");
                paths.add("/registers/" + register + suffix + "?status=approved");
            }
        }
        for (String path : paths) {
            String body = get(path).body();
            for (String secret : RegisterSite.PRIVATE) {
                assertFalse(body.contains(secret), path + " shows " + secret);
            }
            assertFalse(Pattern.compile("(?<![0-9])[0-9]{10}(?![0-9])").matcher(body.replace(" ", "")).find()
                    && Pattern.compile("9848506950|9284308860").matcher(body.replace(" ", "")).find(), path + " shows an NHS number");
        }
    }

    // ---- CSV ----------------------------------------------------------------------------------------

    @Test
    void theCsvIsRfc4180InUtf8WithItsTypeAndFileNameAndNoFormulas() throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(site.url("/registers/organisations.csv"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("text/csv; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("attachment; filename=\"custodian-organisations.csv\"", response.headers().firstValue("Content-Disposition").orElse(""));
        String csv = new String(response.body(), StandardCharsets.UTF_8);
        assertTrue(csv.startsWith("id,name,sector,sectorName,ledgerIndex,updatedAt\r\n"), csv);
        assertTrue(csv.endsWith("\r\n"));
        assertFalse(csv.replace("\r\n", "").contains("\n"), "no bare line feeds");
        assertTrue(csv.contains("RX1,Ysbyty Gwynedd \u2013 Bwrdd Iechyd Prifysgol Betsi Cadwaladr,"), "UTF-8, unescaped");
        assertTrue(csv.contains("acme-analytics,\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"Click\"\")\",private-company,"), csv);
        assertTrue(csv.contains("plus-data,\"'+44 Data \"\"Insights\"\", Ltd <script>alert(1)</script>\",private-company,"), csv);
        assertTrue(csv.contains("minus,'-2+3 Consulting,private-company,"), csv);
        assertTrue(csv.contains("at-corp,'@SUM(1+1) Corp,private-company,"), csv);
        for (List<String> record : parseCsv(csv)) {
            for (String field : record) {
                assertFalse(!field.isEmpty() && "=+-@\t\r".indexOf(field.charAt(0)) >= 0, "a field a spreadsheet would run: " + field);
            }
        }
        String projects = get("/registers/projects.csv").body();
        assertTrue(projects.contains(",'=cmd|' /C calc'!A0,"), projects);
        assertTrue(projects.contains(",\"REC, \"\"withdrawn\"\"\","), projects);
        // The projects' free text too: lead, role, public-benefit statement and outputs.
        assertTrue(projects.contains(",\"'=HYPERLINK(\"\"https://evil.example/\"\",\"\"Lead\"\")\",'-1+2 Responsible officer,"), projects);
        assertTrue(projects.contains(",\"'+Benefit <script>alert(1)</script>, for everyone\","), projects);
        assertTrue(projects.contains(",'@SUM(1+1) results <b>bold</b> <https://evil.example/r?a=1&b=%22x%22'y> | -Second | output,"), projects);
        assertTrue(projects.contains(",\"Study protocol, version 2.1 <https://research.northfield.example/diabetes/protocol.pdf> | Interim findings "
                + "<https://research.northfield.example/diabetes/interim?year=2026&format=pdf> | Final report (expected 2028)\","), projects);
        assertTrue(projects.contains("\"Which missed diabetes checks come before sight loss and amputation, and who misses them.\n\n"
                + "Findings go to GP practices, \"\"openly\"\", to invite those most at risk first.\""), "line feeds kept, inside quotes");
        for (List<String> record : parseCsv(projects)) {
            for (String field : record) {
                assertFalse(!field.isEmpty() && "=+-@\t\r".indexOf(field.charAt(0)) >= 0, "a field a spreadsheet would run: " + field);
            }
        }
        // The JSON carries the names as they are.
        assertTrue(jsonRows(get("/registers/organisations.json")).stream().anyMatch(r -> "-2+3 Consulting".equals(r.get("name"))));
        // and the page escapes them.
        String page = get("/registers/organisations").body();
        assertFalse(page.contains("<script>alert(1)</script>"), "names cannot become markup");
    }

    // ---- hosting ----------------------------------------------------------------------------------------

    @Test
    void hostingSitesAgreeWithTheStoredRegisterRowForRowInHtmlJsonAndCsv() throws Exception {
        List<String> fields = List.of("id", "role", "roleName", "country", "provider", "organisation", "organisationName", "organisationSector",
                "description", "ledgerIndex", "updatedAt");
        // Primary, backup, then disaster recovery.
        List<Map<String, String>> stored = site.rows("SELECT h.id, h.role, h.country, h.provider, h.organisation, o.name AS organisation_name, "
                + "o.sector AS organisation_sector, h.description, h.ledger_index, h.updated_at FROM register_hosting h "
                + "LEFT JOIN register_organisations o ON o.id = h.organisation "
                + "ORDER BY array_position(ARRAY['primary','backup','disaster-recovery'], h.role), h.id");
        assertEquals(RegisterSite.HOSTING.size(), stored.size());
        List<Map<String, Object>> json = jsonRows(get("/registers/hosting.json"));
        assertEquals(stored.size(), json.size());
        for (int i = 0; i < stored.size(); i++) {
            Map<String, String> s = stored.get(i);
            Map<String, Object> j = json.get(i);
            assertEquals(new java.util.TreeSet<>(fields), new java.util.TreeSet<>(j.keySet()), "every field, null when not stated");
            assertEquals(s.get("id"), j.get("id"));
            assertEquals(s.get("role"), j.get("role"));
            assertEquals(s.get("country"), j.get("country"));
            assertEquals(s.get("provider"), j.get("provider"));
            assertEquals(s.get("organisation"), j.get("organisation"));
            assertEquals(s.get("organisation_name"), j.get("organisationName"));
            assertEquals(s.get("organisation_sector"), j.get("organisationSector"));
            assertEquals(s.get("description"), j.get("description"));
            assertEquals(Long.parseLong(s.get("ledger_index")), j.get("ledgerIndex"));
            assertEquals(s.get("updated_at"), j.get("updatedAt"));
        }
        assertEquals(List.of("northfield-dc", "acme-backup", "dr-site"), json.stream().map(j -> j.get("id")).toList());
        assertEquals(List.of("Primary site", "Backup site", "Disaster-recovery site"), json.stream().map(j -> j.get("roleName")).toList());
        assertCsvMatchesJson(get("/registers/hosting.csv").body(), json, fields);

        String page = get("/registers/hosting").body();
        List<HtmlRow> html = htmlRows(page);
        assertEquals(List.of("hosting-northfield-dc", "hosting-acme-backup", "hosting-dr-site"), html.stream().map(HtmlRow::id).toList());
        assertTrue(html.get(0).cells().contains("United Kingdom"), html.get(0).cells().toString());
        assertTrue(html.get(1).html().contains("<a href=\"/registers/organisations#organisation-acme-analytics\">Acme cloud, London region</a>"),
                html.get(1).html());
        assertTrue(text(html.get(1).html()).contains("(private company): a processor"), text(html.get(1).html()));
        assertTrue(html.get(0).cells().stream().noneMatch(c -> c.contains("processor")), "the council's own site is nobody's processor");
        assertFalse(page.contains("<script>alert(1)</script>"), "text is escaped");
        assertFilter("/registers/hosting", "?role=backup", r -> "backup".equals(r.get("role")), 1);
    }

    // ---- the way in ---------------------------------------------------------------------------------

    @Test
    void theIndexListsEveryRegisterWithItsFilesAndTheHomePageLinksToIt() throws Exception {
        HttpResponse<String> index = get("/registers");
        assertEquals(200, index.statusCode());
        for (String register : List.of("organisations", "agreements", "projects", "hosting")) {
            for (String suffix : List.of("", ".csv", ".json")) {
                assertTrue(index.body().contains("href=\"/registers/" + register + suffix + "\""), register + suffix);
            }
        }
        assertTrue(text(index.body()).contains("11 organisations"), text(index.body()));
        assertTrue(text(index.body()).contains("6 projects"), text(index.body()));
        assertTrue(text(index.body()).contains("2 agreements"), text(index.body()));
        assertTrue(text(index.body()).contains("3 sites"), text(index.body()));
        assertTrue(index.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
        assertTrue(get("/").body().contains("<a href=\"/registers\">"), "the home page links to the registers");
        assertEquals(200, get("/assets/custodian.css").statusCode());
    }

    // ---- helpers ------------------------------------------------------------------------------------

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(site.url(path))).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> jsonRows(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return (List<Map<String, Object>>) ((Map<?, ?>) CanonicalJson.parse(response.body())).get("rows");
    }

    /** The CSV has the fields as its header and, row for row, the JSON's values (with formulas disarmed). */
    static void assertCsvMatchesJson(String csv, List<Map<String, Object>> json, List<String> fields) {
        List<List<String>> records = parseCsv(csv);
        assertEquals(fields, records.get(0));
        assertEquals(json.size(), records.size() - 1);
        for (int i = 0; i < json.size(); i++) {
            for (int f = 0; f < fields.size(); f++) {
                Object v = json.get(i).get(fields.get(f));
                String expected = v == null ? "" : v instanceof List<?> list && fields.get(f).equals("outputs")
                        ? String.join(" | ", list.stream().map(o -> (Map<?, ?>) o)
                                .map(o -> o.get("url") == null ? (String) o.get("title") : o.get("title") + " <" + o.get("url") + ">").toList())
                        : v instanceof List<?> list ? String.join("; ", list.stream().map(String::valueOf).toList()) : v.toString();
                if (!expected.isEmpty() && "=+-@".indexOf(expected.charAt(0)) >= 0) {
                    expected = "'" + expected;
                }
                assertEquals(expected, records.get(i + 1).get(f), "row " + i + " field " + fields.get(f));
            }
        }
    }

    /** An RFC 4180 reader, strict: CRLF record ends, quoted fields with doubled quotes. */
    static List<List<String>> parseCsv(String csv) {
        return StrictCsv.read(csv);
    }

    record HtmlRow(String id, List<String> cells, String html) {}

    private static final Pattern ROW = Pattern.compile("<tr id=\"([^\"]*)\">(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern CELL = Pattern.compile("<t([hd])(?: scope=\"row\")?>(.*?)</t\\1>", Pattern.DOTALL);

    /** The table's body rows: each row's id and its cells as text. */
    static List<HtmlRow> htmlRows(String page) {
        List<HtmlRow> rows = new ArrayList<>();
        Matcher m = ROW.matcher(page);
        while (m.find()) {
            List<String> cells = new ArrayList<>();
            Matcher c = CELL.matcher(m.group(2));
            while (c.find()) {
                cells.add(text(c.group(2)));
            }
            rows.add(new HtmlRow(unescape(m.group(1)), cells, m.group(2)));
        }
        return rows;
    }

    /** What a person reads: tags gone (a line break or the end of a list item as a space), entities decoded, white space collapsed. */
    static String text(String html) {
        return unescape(html.replaceAll("<br>|</li>", " ").replaceAll("<[^>]*>", "")).replaceAll("\\s+", " ").strip();
    }

    static String unescape(String s) {
        Matcher m = Pattern.compile("&(#x?[0-9a-fA-F]+|amp|lt|gt|quot|apos);").matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String e = m.group(1);
            String r = switch (e) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                default -> new String(Character.toChars(e.startsWith("#x") ? Integer.parseInt(e.substring(2), 16) : Integer.parseInt(e.substring(1))));
            };
            m.appendReplacement(out, Matcher.quoteReplacement(r));
        }
        m.appendTail(out);
        return out.toString();
    }

    static Map<String, String> map(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
