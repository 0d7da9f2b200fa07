package org.custodian.app.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.net.InetAddress;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.custodian.app.Cli;
import org.custodian.app.Cli.Result;
import org.custodian.app.ServeProcess;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.note.Checkpoint;
import org.custodian.ledger.note.Note;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custodian import} and {@code custodian export} as an operator runs them. */
class TestImportExportCommands {
    private static final int SAMPLE_RESOURCES = 4625;

    @TempDir
    static Path shared;
    static PostgresForTests postgres;
    static Path synthea;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresForTests.start(shared.resolve("pg"));
        synthea = SharedData.locate("shared/data/fhir/synthea");
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    private static Result run(String... args) {
        return Cli.run(args).showsNoJavaInternals();
    }

    /** The options that point a command at this database, with a data directory that is never created. */
    private String[] on(HikariDataSource db, String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 4);
        all[args.length] = "--db-url";
        all[args.length + 1] = db.getJdbcUrl();
        all[args.length + 2] = "--data";
        all[args.length + 3] = dir.resolve("no-data").toString();
        return all;
    }

    private static Path sample(String prefix) throws Exception {
        try (Stream<Path> s = Files.list(synthea)) {
            return s.filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
        }
    }

    @Test
    void importLoadsTheSampleSaysWhatItDidAndAgainSkipsEveryFile() throws Exception {
        HikariDataSource db = postgres.newDatabase();
        Result first = run(on(db, "import", synthea.toString())).exits(0);
        assertTrue(first.out().startsWith("files: 7 loaded, 0 skipped (already imported)\n"
                + "resources: " + SAMPLE_RESOURCES + " created, 0 updated, 0 unchanged\ntime: "), first::toString);
        long versions = count(db, "SELECT count(*) FROM record_versions");
        assertEquals(SAMPLE_RESOURCES, versions);

        // The writes are the operator's, as the ledger records them.
        String who = System.getProperty("user.name") + "@" + InetAddress.getLocalHost().getHostName();
        LedgerEntry last = LedgerEntry.parse(bytes(db, "SELECT content FROM ledger_entries ORDER BY idx DESC LIMIT 1"));
        assertEquals("record.write", last.type());
        assertEquals(Map.of("operator", who), last.fields().get("author"));
        assertEquals("import", last.fields().get("interaction"));

        Result again = run(on(db, "import", synthea.toString())).exits(0);
        List<String> lines = again.out().lines().toList();
        assertEquals(7 + 3, lines.size(), again::toString);
        assertTrue(lines.get(0).matches("skipped " + Pattern.quote(synthea.resolve("0-hospitalInformation1625911868739.json").toString())
                + ": already imported on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC"), lines.get(0));
        assertEquals("files: 0 loaded, 7 skipped (already imported)", lines.get(7));
        assertEquals("resources: 0 created, 0 updated, 0 unchanged", lines.get(8));
        assertEquals(versions, count(db, "SELECT count(*) FROM record_versions"));
    }

    @Test
    void anExportImportedIntoAnotherDatabaseExportsToTheSameFiles() throws Exception {
        HikariDataSource a = postgres.newDatabase();
        run(on(a, "import", sample("0-hospital").toString(), sample("0-practitioner").toString(), sample("8a4c9c04").toString())).exits(0);
        Path outA = dir.resolve("out-a");
        Result exported = run(on(a, "export", "--out", outA.toString())).exits(0);
        assertTrue(exported.out().startsWith("Claim: 3\n") && exported.out().contains("\nImmunization: 7\nLocation: 194\n"), exported::toString);
        Matcher total = Pattern.compile("(?m)^total: (\\d+) resources in (\\d+) files, as of \\S+Z$").matcher(exported.out());
        assertTrue(total.find(), exported::toString);
        assertTrue(exported.out().contains("\nmanifest: " + outA.resolve("manifest.json") + "\nledger: entry "), exported::toString);
        long ledgerBefore = count(a, "SELECT count(*) FROM ledger_entries");

        HikariDataSource b = postgres.newDatabase();
        Result imported = run(on(b, "import", outA.toString())).exits(0);
        assertTrue(imported.out().startsWith("files: " + total.group(2) + " loaded, 0 skipped (already imported)\nresources: "
                + total.group(1) + " created, 0 updated, 0 unchanged\n"), imported::toString);
        Path outB = dir.resolve("out-b");
        run(on(b, "export", "--out", outB.toString())).exits(0);
        try (Stream<Path> files = Files.list(outA)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".ndjson")).toList()) {
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(outB.resolve(f.getFileName())), f.getFileName().toString());
            }
        }

        Path some = dir.resolve("some");
        Result patients = run(on(a, "export", "--out", some.toString(), "--type", "Patient,Immunization")).exits(0);
        assertTrue(patients.out().startsWith("Immunization: 7\nPatient: 1\ntotal: 8 resources in 2 files, as of "), patients::toString);
        assertEquals(ledgerBefore + 1, count(a, "SELECT count(*) FROM ledger_entries"), "each export is one ledger entry");
        assertEquals("records.export", LedgerEntry.parse(bytes(a, "SELECT content FROM ledger_entries ORDER BY idx DESC LIMIT 1")).type());
    }

    @Test
    void aBadFileStopsTheImportNamingItWithExitOneAndNothingOfItStored() throws Exception {
        HikariDataSource db = postgres.newDatabase();
        Path bad = Files.writeString(dir.resolve("patients.ndjson"),
                "{\"resourceType\":\"Patient\",\"id\":\"p1\"}\n{\"resourceType\":\"Patient\",\"id\":\"p2\", oops}\n");
        Result r = run(on(db, "import", bad.toString())).exits(1);
        assertEquals("files: 0 loaded, 0 skipped (already imported), 1 stopped\n", r.out().lines().findFirst().orElseThrow() + "\n");
        assertTrue(r.err().contains("\ncustodian: " + bad + ": line 2: not a FHIR R4 resource: "), r::toString);
        assertTrue(r.err().contains(" at column "), r::toString);
        assertTrue(r.err().contains("custodian: nothing of that line's transaction was stored; what was loaded before it stays.\n"
                + "custodian: run the same command again to continue"), r::toString);
        assertEquals(0, count(db, "SELECT count(*) FROM record_versions"), "line 1 was in the same transaction");

        Path notABundle = Files.writeString(dir.resolve("patient.json"), "{\"resourceType\":\"Patient\",\"id\":\"p1\"}");
        Result single = run(on(db, "import", notABundle.toString())).exits(1);
        assertTrue(single.err().contains("\ncustodian: " + notABundle + ": a Patient, not a Bundle (a file of one resource per line is named *.ndjson)\n"),
                single::toString);
    }

    @Test
    void withValidationOnAResourceThatIsNotValidStopsTheImportNamingFileLineAndEveryError() throws Exception {
        HikariDataSource db = postgres.newDatabase();
        Path ndjson = Files.writeString(dir.resolve("records.ndjson"), "{\"resourceType\":\"Patient\",\"id\":\"p1\"}\n"
                + "{\"resourceType\":\"Observation\",\"id\":\"o1\",\"subject\":{\"reference\":\"Patient/p1\"}}\n");
        Result r = run(on(db, "import", "--validate-profiles", ndjson.toString())).exits(1);
        assertTrue(r.err().contains("\ncustodian: " + ndjson + ": line 2: Observation/o1 is not valid against its profiles: "
                + "Observation.status: minimum required = 1, but only found 0 (from http://hl7.org/fhir/StructureDefinition/Observation|4.0.1)"
                + " (and 1 more error)\n"), r::toString);
        assertTrue(r.err().contains("custodian: the profile validator's errors:\n"
                + "custodian:   Observation.status: minimum required = 1, but only found 0 (from http://hl7.org/fhir/StructureDefinition/Observation|4.0.1)\n"
                + "custodian:   Observation.code: minimum required = 1, but only found 0 (from http://hl7.org/fhir/StructureDefinition/Observation|4.0.1)\n"
                + "custodian: nothing of that line's transaction was stored"), r::toString);
        assertEquals(0, count(db, "SELECT count(*) FROM record_versions"), "the Patient on line 1 was in the same transaction");

        Path bundle = Files.writeString(dir.resolve("bundle.json"), "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"fullUrl\":\"urn:uuid:0b9a8e3c-0000-4000-8000-000000000001\",\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Lovelace\"}]},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":{\"resourceType\":\"Observation\",\"code\":{\"text\":\"pulse\"},"
                + "\"subject\":{\"reference\":\"urn:uuid:0b9a8e3c-0000-4000-8000-000000000001\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}},"
                + "{\"resource\":{\"resourceType\":\"Patient\",\"gender\":\"female\",\"link\":[{\"type\":\"seealso\"}]},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}");
        Result b = run(on(db, "import", "--validate-profiles", bundle.toString())).exits(1);
        assertTrue(b.err().contains("\ncustodian: " + bundle + ": entry 1: the Observation is not valid against its profiles: "
                + "Observation.status: minimum required = 1"), b::toString);
        assertTrue(b.err().contains("; 1 more entry is not valid either\ncustodian: the profile validator's errors:\n"
                + "custodian:   Bundle.entry[1].resource: Observation.status: minimum required = 1"), b::toString);
        assertTrue(b.err().contains("\ncustodian:   Bundle.entry[2].resource.link[0]: "), b::toString);
        assertTrue(b.err().contains("custodian: nothing of that file was stored"), b::toString);
        assertEquals(0, count(db, "SELECT count(*) FROM record_versions"));

        // Off, as by default, the same resources are stored as they are.
        run(on(db, "import", ndjson.toString(), bundle.toString())).exits(0);
        assertEquals(5, count(db, "SELECT count(*) FROM record_versions"));
    }

    @Test
    void mistakesOnTheCommandLineAreUsageErrorsAndNothingIsCreatedForThem() throws Exception {
        Path data = dir.resolve("data");
        Path missing = dir.resolve("missing.ndjson");
        Result r = run("import", "--data", data.toString(), missing.toString()).exits(2);
        assertEquals("custodian: cannot read " + missing + ": no such file or directory\n", r.err());
        Path text = Files.writeString(dir.resolve("notes.txt"), "x");
        Result kind = run("import", "--data", data.toString(), text.toString()).exits(1);
        assertEquals("custodian: " + text + ": not a FHIR bundle (*.json) or an NDJSON file (*.ndjson); nothing was imported\n", kind.err());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        run("import", "--data", data.toString(), empty.toString()).exits(1);
        assertFalse(Files.exists(data), "no database is created for nothing to import");

        Result type = run("export", "--data", data.toString(), "--out", dir.resolve("x").toString(), "--type", "Patinet").exits(2);
        assertEquals("custodian: \"Patinet\" is not a FHIR R4 resource type\n", type.err());
        Result used = run("export", "--data", data.toString(), "--out", dir.toString()).exits(2);
        assertEquals("custodian: " + dir + " is not empty: export into a new or empty directory\n", used.err());
        Result noDatabase = run("export", "--data", data.toString(), "--out", dir.resolve("x").toString()).exits(1);
        assertEquals("custodian: there is no Custodian database in " + data + " (give the --data directory the server uses, or --db-url)\n",
                noDatabase.err());
        run("import").exits(2);
        run("export", "--data", data.toString()).exits(2);
        Path ndjson = Files.writeString(dir.resolve("p.ndjson"), "{\"resourceType\":\"Patient\",\"id\":\"p1\"}\n");
        assertEquals("custodian: --profiles needs --validate-profiles\n",
                run("import", "--data", data.toString(), "--profiles", dir.toString(), ndjson.toString()).exits(2).err());
        assertEquals("custodian: --profiles: " + missing + " is not a directory\n",
                run("import", "--data", data.toString(), "--validate-profiles", "--profiles", missing.toString(), ndjson.toString()).exits(1).err());
        assertFalse(Files.exists(data), "no database is created for a command that cannot start");
        for (String command : List.of("import", "export")) {
            assertTrue(run(command, "--help").exits(0).out().startsWith("Usage: custodian " + command), command);
        }
        String commands = run("--help").exits(0).out();
        assertTrue(commands.contains("  import ") && commands.contains("  export "), commands);
    }

    @Test
    void importAndExportWorkWhileTheServerRunsOnTheSameDataDirectory() throws Exception {
        Path data = dir.resolve("data");
        try (ServeProcess serve = ServeProcess.start(data)) {
            String base = serve.url();
            Result imported = run("import", "--data", data.toString(), sample("0-hospital").toString(), sample("0-practitioner").toString(), sample("8a4c9c04").toString()).exits(0);
            assertTrue(imported.out().startsWith("files: 3 loaded, 0 skipped (already imported)\n"), imported::toString);
            Result exported = run("export", "--data", data.toString(), "--out", dir.resolve("out").toString()).exits(0);
            Matcher entry = Pattern.compile("(?m)^ledger: entry (\\d+)$").matcher(exported.out());
            assertTrue(entry.find(), exported::toString);
            assertTrue(serve.isAlive(), "the server keeps running");

            // The writes and the export are entries of the server's verifiable log: its checkpoints come to cover them.
            long needed = Long.parseLong(entry.group(1)) + 1;
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long size = 0;
            while (System.nanoTime() < deadline && size < needed) {
                HttpResponse<String> checkpoint = http.send(HttpRequest.newBuilder(URI.create(base + "log/checkpoint")).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                size = Checkpoint.parse(Note.parse(checkpoint.body()).text()).size();
                Thread.sleep(200);
            }
            assertTrue(size >= needed, "the log grew to hold the import's and the export's entries: size " + size + ", needed " + needed);
        }
    }

    private static long count(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static byte[] bytes(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getBytes(1);
        }
    }
}
