package org.custodian.app.registers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.custodian.app.Cli;
import org.custodian.app.ServeProcess;
import org.custodian.app.Cli.Result;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.note.Checkpoint;
import org.custodian.ledger.note.Note;
import org.custodian.ledger.postgres.PostgresForTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custodian register} and {@code custodian users} as an administrator runs them. */
class TestRegisterCommands {
    private static final Path EXAMPLE = Path.of("..", "docs", "examples", "registers.json");
    private static final String EXAMPLE_SUMMARY = """
            organisations: 9 added, 0 updated, 0 unchanged
            people: 13 added, 0 updated, 0 unchanged
            careRelationships: 3 added, 0 updated, 0 unchanged
            proxies: 1 added, 0 updated, 0 unchanged
            projects: 1 added, 0 updated, 0 unchanged
            agreements: 3 added, 0 updated, 0 unchanged
            hosting: 3 added, 0 updated, 0 unchanged
            ledger: 33 entries appended, indexes 0 to 32
            """;

    @TempDir
    static Path shared;
    private static PostgresForTests postgres;

    @TempDir
    Path dir;
    private HikariDataSource database;
    private String url;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresForTests.start(shared.resolve("pg"));
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void newDatabase() {
        database = postgres.newDatabase();
        url = database.getJdbcUrl();
    }

    private static Result run(String... args) {
        return Cli.run(args).showsNoJavaInternals();
    }

    private Path file(String name, String singleQuoted) throws IOException {
        return Files.writeString(dir.resolve(name), singleQuoted.replace('\'', '"'), StandardCharsets.UTF_8);
    }

    private Path noData() {
        return dir.resolve("no-data");
    }

    @Test
    void registerAppliesAFileSaysWhatChangedAndApplyingItAgainChangesNothing() throws Exception {
        Result first = run("register", EXAMPLE.toString(), "--db-url", url, "--data", noData().toString()).exits(0);
        assertEquals(EXAMPLE_SUMMARY, first.out());

        Result again = run("register", EXAMPLE.toString(), "--db-url", url, "--data", noData().toString()).exits(0);
        assertEquals("""
                organisations: 0 added, 0 updated, 9 unchanged
                people: 0 added, 0 updated, 13 unchanged
                careRelationships: 0 added, 0 updated, 3 unchanged
                proxies: 0 added, 0 updated, 1 unchanged
                projects: 0 added, 0 updated, 1 unchanged
                agreements: 0 added, 0 updated, 3 unchanged
                hosting: 0 added, 0 updated, 3 unchanged
                ledger: nothing appended (every item was already as stored)
                """, again.out());
        assertEquals(33L, count(database, "ledger_entries"));

        Path update = file("update.json", """
                {'people':[{'id':'dr-okafor','name':'Dr Ngozi Okafor','role':'caldicott-guardian','organisation':'A99001'},
                           {'id':'new-gp','name':'Dr Siân Ó Briain','role':'clinician','organisation':'A99001'}]}""");
        Result updated = run("register", update.toString(), "--db-url", url, "--data", noData().toString()).exits(0);
        assertTrue(updated.out().contains("people: 1 added, 1 updated, 0 unchanged\n"), updated::toString);
        assertTrue(updated.out().endsWith("ledger: 2 entries appended, indexes 33 to 34\n"), updated::toString);
        assertFalse(Files.exists(noData()), "with --db-url, no data directory is created");
    }

    @Test
    void registerRefusesABadFileListingEveryProblemAndAppliesNothing() throws Exception {
        run("register", EXAMPLE.toString(), "--db-url", url, "--data", noData().toString()).exits(0);
        Path bad = file("bad.json", """
                {'organisations':[{'id':'N1','name':'New practice','sector':'nhs-care'}],
                 'people':[{'id':'dr-jones','name':'Dr Jones','role':'nurse','organisation':'N1'},
                           {'id':'dr-x','name':'Dr X','role':'clinician','organisation':'nowhere'}],
                 'careRelationships':[{'patient':'1234567890','organisation':'A99001','from':'2024-01-01'}]}""");
        String usersBefore = run("users", "--db-url", url, "--data", noData().toString()).exits(0).out();

        Result refused = run("register", bad.toString(), "--db-url", url, "--data", noData().toString()).exits(1);
        assertEquals("", refused.out());
        assertTrue(refused.err().endsWith("custodian: " + bad + " refused, nothing applied (3 problems):\n"
                + "  people[0] (\"dr-jones\"): unknown role \"nurse\" (one of: clinician, reception, caldicott-guardian, "
                + "researcher, analyst, auditor, admin, patient)\n"
                + "  careRelationships[0]: patient \"1234567890\" is not a valid NHS number (its check digit is wrong)\n"
                + "  people[1] (\"dr-x\"): organisation \"nowhere\" is neither in this file nor in the registers\n"), refused::toString);
        assertEquals(33L, count(database, "ledger_entries"), "no ledger entry appended");
        assertEquals(9L, count(database, "register_organisations"), "not even the valid organisation was applied");
        assertEquals(usersBefore, run("users", "--db-url", url, "--data", noData().toString()).exits(0).out());
    }

    @Test
    void aProjectsWrongPublicDetailsAreRefusedNamingTheProjectAndFieldAndNothingChanges() throws Exception {
        run("register", EXAMPLE.toString(), "--db-url", url, "--data", noData().toString()).exits(0);
        String projectsBefore = text(database, "SELECT string_agg(t::text, ' ') FROM register_projects t");
        record Bad(String members, String says) {}
        for (Bad bad : List.of(
                new Bad("'publicBenefit':'" + "x".repeat(2001) + "'",
                        "projects[0] (\"diabetes-outcomes\"): \"publicBenefit\" is 2001 characters long; it may be at most 2000"),
                new Bad("'approvedFrom':'2028-01-01'",
                        "projects[0] (\"diabetes-outcomes\"): \"approvedFrom\" (2028-01-01) is after \"approvedUntil\" (2027-12-31)"),
                new Bad("'outputs':[{'title':'Protocol','url':'http://research.northfield.example/protocol.pdf'}]",
                        "projects[0] (\"diabetes-outcomes\"): outputs[0]: the \"url\" must be an https:// address, "
                                + "not \"http://research.northfield.example/protocol.pdf\""),
                new Bad("'outputs':[{'title':'Protocol','url':'javascript:alert(1)'}]",
                        "projects[0] (\"diabetes-outcomes\"): outputs[0]: the \"url\" must be an https:// address, not \"javascript:alert(1)\""))) {
            Path file = file("project.json", """
                    {'projects':[{'id':'diabetes-outcomes','organisation':'univ-northfield','purpose':'HRESCH','form':'pseudonymised',
                                  'status':'approved','approvedUntil':'2027-12-31','ethicsReference':'REC 25/NW/0123',""" + bad.members() + "}]}");
            Result refused = run("register", file.toString(), "--db-url", url, "--data", noData().toString()).exits(1);
            assertEquals("", refused.out());
            assertTrue(refused.err().endsWith("custodian: " + file + " refused, nothing applied (1 problem):\n  " + bad.says() + "\n"),
                    refused::toString);
            assertEquals(33L, count(database, "ledger_entries"), "no ledger entry appended");
            assertEquals(projectsBefore, text(database, "SELECT string_agg(t::text, ' ') FROM register_projects t"), "the project is as it was");
        }
    }

    @Test
    void aRegisterFileWrittenBeforeProjectsHadPublicDetailsStillLoads() throws Exception {
        Path old = file("old.json", """
                {'organisations':[{'id':'univ-northfield','name':'University of Northfield','sector':'public-research'}],
                 'projects':[{'id':'diabetes-outcomes','organisation':'univ-northfield','purpose':'HRESCH','form':'pseudonymised',
                              'status':'approved','approvedUntil':'2027-12-31','ethicsReference':'REC 25/NW/0123'}]}""");
        Result loaded = run("register", old.toString(), "--db-url", url, "--data", noData().toString()).exits(0);
        assertTrue(loaded.out().contains("projects: 1 added, 0 updated, 0 unchanged\n"), loaded::toString);
        assertEquals("(,,,,[])", text(database, "SELECT (approved_from, lead_name, lead_role, public_benefit, outputs) FROM register_projects"));
        Result again = run("register", old.toString(), "--db-url", url, "--data", noData().toString()).exits(0);
        assertTrue(again.out().endsWith("ledger: nothing appended (every item was already as stored)\n"), again::toString);
    }

    @Test
    void aBadHostingDeclarationIsRefusedNamingTheSiteAndFieldAndNothingChanges() throws Exception {
        run("register", EXAMPLE.toString(), "--db-url", url, "--data", noData().toString()).exits(0);
        String hostingBefore = text(database, "SELECT string_agg(t::text, ' ' ORDER BY t.id) FROM register_hosting t");
        record Bad(String site, String says) {}
        for (Bad bad : List.of(
                new Bad("{'id':'northfield-dc','role':'main','country':'United Kingdom','provider':'P'}",
                        "hosting[0] (\"northfield-dc\"): unknown role \"main\" (one of: primary, backup, disaster-recovery)"),
                new Bad("{'id':'northfield-dc','role':'primary','provider':'P'}",
                        "hosting[0] (\"northfield-dc\"): missing required field \"country\""),
                new Bad("{'id':'northfield-dc','role':'primary','country':'United Kingdom','provider':' '}",
                        "hosting[0] (\"northfield-dc\"): \"provider\" must not be empty"),
                new Bad("{'id':'northfield-dc','role':'primary','country':'United Kingdom','provider':'P','description':'" + "x".repeat(1001) + "'}",
                        "hosting[0] (\"northfield-dc\"): \"description\" is 1001 characters long; it may be at most 1000"),
                new Bad("{'id':'new-cloud','role':'backup','country':'United Kingdom','provider':'Nimbus Ltd','organisation':'nimbus'}",
                        "hosting[0] (\"new-cloud\"): organisation \"nimbus\" is neither in this file nor in the registers"))) {
            Path file = file("hosting.json", "{'hosting':[" + bad.site() + "]}");
            Result refused = run("register", file.toString(), "--db-url", url, "--data", noData().toString()).exits(1);
            assertEquals("", refused.out());
            assertTrue(refused.err().endsWith("custodian: " + file + " refused, nothing applied (1 problem):\n  " + bad.says() + "\n"),
                    refused::toString);
            assertEquals(33L, count(database, "ledger_entries"), "no ledger entry appended");
            assertEquals(hostingBefore, text(database, "SELECT string_agg(t::text, ' ' ORDER BY t.id) FROM register_hosting t"));
        }
        // A private company hosting the data is a processor, which the register allows.
        Path ok = file("cloud.json", """
                {'organisations':[{'id':'nimbus','name':'Nimbus Cloud Ltd','sector':'private-company'}],
                 'hosting':[{'id':'new-cloud','role':'backup','country':'United Kingdom','provider':'Nimbus Cloud Ltd, London region',
                             'organisation':'nimbus'}]}""");
        Result added = run("register", ok.toString(), "--db-url", url, "--data", noData().toString()).exits(0);
        assertTrue(added.out().contains("hosting: 1 added, 0 updated, 0 unchanged\n"), added::toString);
    }

    @Test
    void aRegisterFileWithoutAHostingSectionStillLoadsAndLeavesTheDeclarationAlone() throws Exception {
        run("register", EXAMPLE.toString(), "--db-url", url, "--data", noData().toString()).exits(0);
        Path old = file("old.json", """
                {'organisations':[{'id':'univ-northfield','name':'University of Northfield','sector':'public-research'}]}""");
        Result loaded = run("register", old.toString(), "--db-url", url, "--data", noData().toString()).exits(0);
        assertTrue(loaded.out().contains("hosting: 0 added, 0 updated, 0 unchanged\n"), loaded::toString);
        assertTrue(loaded.out().endsWith("ledger: nothing appended (every item was already as stored)\n"), loaded::toString);
        assertEquals(3L, count(database, "register_hosting"));
    }

    @Test
    void aBadFileIsRefusedWithoutCreatingADatabaseForIt() throws Exception {
        Path bad = file("bad.json", """
                {'organisations':[{'id':'A1','name':'Practice','sector':'nhs-care','ods':'A1'}],
                 'people':[{'id':'ada','name':'Ada','role':'patient','organisation':'B1','nhsNumber':'9434765919'}]}""");
        Path data = dir.resolve("data");
        Result refused = run("register", bad.toString(), "--data", data.toString()).exits(1);
        assertEquals("custodian: " + bad + " refused, nothing applied (2 problems):\n"
                + "  organisations[0] (\"A1\"): unknown field \"ods\" (fields: id, name, sector)\n"
                + "  people[0] (\"ada\"): organisation \"B1\" is neither in this file nor in the registers\n", refused.err());
        assertFalse(Files.exists(data), "no database is created for a refused file");

        Path notJson = file("not.json", "{'organisations': [\n  {'id': 'A1',}\n]}");
        Result invalid = run("register", notJson.toString(), "--data", data.toString()).exits(1);
        assertEquals("custodian: " + notJson + " refused, nothing applied (1 problem):\n"
                + "  invalid JSON at line 2, column 15: expected a member name\n", invalid.err());
    }

    @Test
    void aFileThatCannotBeReadIsAUsageError() {
        Path missing = dir.resolve("missing.json");
        Result r = run("register", missing.toString(), "--data", dir.resolve("data").toString()).exits(2);
        assertEquals("custodian: cannot read " + missing + ": no such file or directory\n", r.err());
        assertFalse(Files.exists(dir.resolve("data")));
        Result directory = run("register", dir.toString(), "--data", dir.resolve("data").toString()).exits(2);
        assertTrue(directory.err().startsWith("custodian: cannot read " + dir + ": "), directory::toString);
        Result none = run("register").exits(2);
        assertTrue(none.err().contains("Missing required parameter: 'FILE.json'"), none::toString);
    }

    @Test
    void usersListsEveryPersonInAnAlignedTableAndAsJson() throws Exception {
        run("register", EXAMPLE.toString(), "--db-url", url, "--data", noData().toString()).exits(0);
        run("register", file("more.json", """
                {'people':[{'id':'new-gp','name':'Dr Siân Ó Briain','role':'clinician','organisation':'A99001'}]}""").toString(),
                "--db-url", url, "--data", noData().toString()).exits(0);

        String table = run("users", "--db-url", url, "--data", noData().toString()).exits(0).out();
        List<String> lines = table.lines().toList();
        assertEquals(15, lines.size(), table);
        String heading = lines.get(0);
        assertTrue(heading.startsWith("ID "), table);
        int nameColumn = heading.indexOf("NAME");
        int roleColumn = heading.indexOf("ROLE");
        int sectorColumn = heading.indexOf("SECTOR");
        int nhsColumn = heading.indexOf("NHS NUMBER");
        for (String line : lines.subList(1, lines.size())) {
            assertEquals(' ', line.charAt(nameColumn - 1), "aligned: " + line);
            assertTrue(Character.isLetterOrDigit(line.codePointAt(line.offsetByCodePoints(0, nameColumn))), "aligned: " + line);
            assertTrue(Character.isLetter(line.codePointAt(line.offsetByCodePoints(0, roleColumn))), "aligned: " + line);
        }
        String ada = lines.stream().filter(l -> l.startsWith("patient-ada ")).findFirst().orElseThrow();
        assertTrue(ada.matches("patient-ada +Ada Lovelace +patient +A99001 +Riverside Medical Practice +nhs-care +943 476 5919"), ada);
        assertEquals("nhs-care", ada.substring(sectorColumn).split(" ")[0]);
        assertEquals("943 476 5919", ada.substring(nhsColumn));
        String gp = lines.stream().filter(l -> l.startsWith("new-gp ")).findFirst().orElseThrow();
        assertTrue(gp.contains(" Dr Siân Ó Briain "), "names are printed as UTF-8, whatever the platform charset: " + gp);
        String analyst = lines.stream().filter(l -> l.startsWith("analyst-smith ")).findFirst().orElseThrow();
        assertTrue(analyst.contains(" Acme Health Analytics Ltd ") && analyst.endsWith(" private-company"), analyst);

        String json = run("users", "--json", "--db-url", url, "--data", noData().toString()).exits(0).out();
        List<?> people = (List<?>) CanonicalJson.parse(json.strip());
        assertEquals(14, people.size());
        assertTrue(people.contains(Map.of("id", "patient-ada", "name", "Ada Lovelace", "role", "patient",
                "organisation", "A99001", "organisationName", "Riverside Medical Practice", "sector", "nhs-care",
                "nhsNumber", "9434765919")), json);
        assertTrue(people.contains(Map.of("id", "officer-grey", "name", "Tom Grey", "role", "analyst",
                "organisation", "home-office", "organisationName", "Home Office", "sector", "other-government")), json);
    }

    @Test
    void usersOfEmptyRegistersSaysSoAndWithoutADatabaseFails() throws Exception {
        assertEquals("No people in the registers (load them with 'custodian register FILE.json').\n",
                run("users", "--db-url", url, "--data", noData().toString()).exits(0).out());
        assertEquals("[]\n", run("users", "--json", "--db-url", url, "--data", noData().toString()).exits(0).out());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Result none = run("users", "--data", empty.toString()).exits(1);
        assertEquals("custodian: there is no Custodian database in " + empty
                + " (give the --data directory the server uses, or --db-url)\n", none.err());
    }

    @Test
    void helpOfBothCommandsExitsZero() {
        for (String command : List.of("register", "users")) {
            Result r = run(command, "--help").exits(0);
            assertTrue(r.out().startsWith("Usage: custodian " + command), r::toString);
        }
        assertTrue(run("--help").exits(0).out().contains("register"), "listed among the commands");
    }

    @Test
    void registerAndUsersWorkWhileTheServerRunsOnTheSameDataDirectory() throws Exception {
        Path data = dir.resolve("data");
        try (ServeProcess serve = ServeProcess.start(data)) {
            String base = serve.url();

            Result applied = run("register", EXAMPLE.toString(), "--data", data.toString()).exits(0);
            assertTrue(applied.out().startsWith("organisations: 9 added, 0 updated, 0 unchanged\n"), applied::toString);
            Result users = run("users", "--data", data.toString()).exits(0);
            assertTrue(users.out().contains("patient-ben "), users::toString);
            assertTrue(serve.isAlive(), "the server keeps running");

            // The changes are entries of the server's verifiable log: its checkpoints come to cover them.
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long size = 0;
            while (System.nanoTime() < deadline && size < 33) {
                HttpResponse<String> checkpoint = http.send(HttpRequest.newBuilder(URI.create(base + "log/checkpoint")).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                size = Checkpoint.parse(Note.parse(checkpoint.body()).text()).size();
                Thread.sleep(200);
            }
            assertTrue(size >= 33, "the log grew to hold the 33 register changes, size " + size);
        }
    }

    private static String text(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long count(DataSource ds, String table) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
