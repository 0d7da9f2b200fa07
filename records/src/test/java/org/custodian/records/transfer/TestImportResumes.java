package org.custodian.records.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.testing.SharedData;
import org.custodian.records.store.RecordsUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An NDJSON import commits chunk by chunk and a run that stops part way is continued, not repeated,
 * by the next; a bad line or bundle is refused by name, and nothing of its unit is stored.
 *
 * <p>The files are one Synthea patient's record, exported: {@code Patient.ndjson} (one line) and
 * {@code record.ndjson} (every other resource of that patient, {@link #lines} lines), loaded in chunks of
 * {@value #CHUNK} lines.
 */
class TestImportResumes {
    private static final int CHUNK = 10;

    @TempDir
    static Path dir;
    static PostgresForTests postgres;
    static Path patient;
    static List<String> record;
    static int lines;

    @BeforeAll
    static void exportOnePatient() throws Exception {
        postgres = PostgresForTests.start(dir.resolve("pg"));
        Path synthea = SharedData.locate("shared/data/fhir/synthea");
        Deployment source = new Deployment(postgres);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(synthea)) {
            s.filter(f -> f.getFileName().toString().startsWith("0-") || f.getFileName().toString().startsWith("8a4c9c04")).forEach(files::add);
        }
        source.load(files.toArray(Path[]::new));
        Path export = dir.resolve("export");
        ExportManifest m = source.export(export);
        patient = export.resolve("Patient.ndjson");
        record = new ArrayList<>();
        for (ExportManifest.Output o : m.output()) {
            String type = o.type();
            if (!List.of("Patient", "Organization", "Location", "Practitioner", "PractitionerRole").contains(type)) {
                record.addAll(Files.readAllLines(export.resolve(o.url())));
            }
        }
        lines = record.size();
        assertTrue(lines > 5 * CHUNK, "enough lines for several chunks: " + lines);
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    private static Path write(String name, List<String> content) throws Exception {
        return Files.write(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** After a restart, the pool reconnects in its own time. */
    private static void awaitReachable(Deployment d) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                d.count("SELECT 1");
                return;
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static long resourcesOfTheRecord(Deployment d) {
        return d.count("SELECT count(*) FROM record_resources WHERE res_type <> 'Patient'");
    }

    private static long doneUnits(Deployment d, Path file) {
        return d.count("SELECT done_units FROM record_imports WHERE name = '" + file + "'");
    }

    @Test
    void aRunStoppedByADatabaseOutageIsContinuedAfterTheLastCommittedChunk() throws Exception {
        Deployment d = new Deployment(postgres);
        d.load(patient);
        Path file = write("outage.ndjson", record);

        // The database goes away after the second chunk has committed.
        ImportListener outage = new ImportListener() {
            int chunks;

            @Override
            public void committed(ImportFile f, ImportTotals totals) {
                if (++chunks == 2) {
                    postgres.stopServer();
                }
            }
        };
        try {
            assertThrows(RecordsUnavailableException.class, () -> d.load(CHUNK, outage, file));
        } finally {
            postgres.startServer();
        }
        awaitReachable(d);
        assertEquals(2 * CHUNK, doneUnits(d, file), "the lines committed are noted");
        assertEquals(2 * CHUNK, resourcesOfTheRecord(d), "the two chunks stay, the third left nothing");

        // The next run passes over the committed lines: they are not even read again as resources.
        Deployment.Recording seen = new Deployment.Recording();
        ImportTotals rest = d.load(CHUNK, seen, file);
        assertEquals(2 * CHUNK, seen.resumedAfter);
        assertEquals(lines - 2 * CHUNK, rest.created());
        assertEquals(0, rest.unchanged(), "no line before the resumption was loaded again");
        assertEquals(lines, resourcesOfTheRecord(d));
        assertEquals(lines + 1, d.versions(), "one version per resource");
        assertEquals(lines, doneUnits(d, file));
    }

    @Test
    void aChunkCommittedButNotNotedIsLoadedAgainWithoutANewVersion() throws Exception {
        Deployment d = new Deployment(postgres);
        d.load(patient);
        Path file = write("crash.ndjson", record);
        d.load(CHUNK, ImportListener.NONE, file);
        long versions = d.versions();
        long ledger = d.ledgerEntries();

        // As if the process died after a chunk's commit and before noting it: the note lags one chunk.
        PostgresForTests.sql(d.ds, "UPDATE record_imports SET done_units = " + (lines - CHUNK) + ", finished = false WHERE name = '" + file + "'");
        Deployment.Recording seen = new Deployment.Recording();
        ImportTotals again = d.load(CHUNK, seen, file);
        assertEquals(lines - CHUNK, seen.resumedAfter);
        assertEquals(CHUNK, again.unchanged());
        assertEquals(0, again.created() + again.updated());
        assertEquals(versions, d.versions());
        assertEquals(ledger, d.ledgerEntries());
    }

    @Test
    void aBadLineIsRefusedByFileAndLineAndNothingOfItsChunkIsStored() throws Exception {
        Deployment d = new Deployment(postgres);
        d.load(patient);
        List<String> broken = new ArrayList<>(record);
        int bad = 2 * CHUNK + 5; // in the third chunk
        broken.set(bad - 1, record.get(bad - 1).substring(0, 40));
        Path file = write("broken.ndjson", broken);

        ImportRefusedException e = assertThrows(ImportRefusedException.class, () -> d.load(CHUNK, ImportListener.NONE, file));
        assertEquals(file, e.file());
        assertEquals(bad, e.line());
        assertTrue(e.getMessage().startsWith(file + ": line " + bad + ": not a FHIR R4 resource: "), e.getMessage());
        assertEquals(2 * CHUNK, resourcesOfTheRecord(d), "the chunks before it stay; nothing of its own chunk is stored");
        assertEquals(2 * CHUNK, doneUnits(d, file));

        // Mended, it is other content: loaded from the start, the lines already stored add nothing.
        Files.write(file, record, StandardCharsets.UTF_8);
        ImportTotals mended = d.load(CHUNK, ImportListener.NONE, file);
        assertEquals(2 * CHUNK, mended.unchanged());
        assertEquals(lines - 2 * CHUNK, mended.created());
        assertEquals(lines + 1, d.versions());
    }

    @Test
    void aResourceOfAPatientWhoIsNotHereIsRefusedAtItsLine() throws Exception {
        Deployment d = new Deployment(postgres);
        // Without Patient.ndjson: the first line's resource is in a record that does not exist here.
        Path file = write("orphans.ndjson", record);
        ImportRefusedException e = assertThrows(ImportRefusedException.class, () -> d.load(CHUNK, ImportListener.NONE, file));
        assertEquals(1, e.line(), e::getMessage);
        assertTrue(e.reason().contains("does not exist"), e::getMessage);
        assertEquals(0, d.versions());
        assertEquals(0, d.ledgerEntries());
    }

    @Test
    void aBadBundleIsRefusedWholeByFileAndEntry() throws Exception {
        Deployment d = new Deployment(postgres);
        Path synthea = SharedData.locate("shared/data/fhir/synthea");
        Path original;
        try (Stream<Path> s = Files.list(synthea)) {
            original = s.filter(f -> f.getFileName().toString().startsWith("8a4c9c04")).findFirst().orElseThrow();
        }
        // The patient's bundle without its providers: its conditional references find nothing.
        Path copy = Files.copy(original, dir.resolve("patient-without-providers.json"));
        ImportRefusedException e = assertThrows(ImportRefusedException.class, () -> d.load(copy));
        assertEquals(0, e.line());
        assertTrue(e.getMessage().matches(java.util.regex.Pattern.quote(copy.toString()) + ": entry \\d+: no \\w+ matches the conditional reference .*"),
                e::getMessage);
        assertEquals(0, d.versions(), "nothing of the bundle is stored");

        Path notBundle = write("patient.json", List.of(Files.readAllLines(patient).get(0)));
        ImportRefusedException single = assertThrows(ImportRefusedException.class, () -> d.load(notBundle));
        assertEquals(notBundle + ": a Patient, not a Bundle (a file of one resource per line is named *.ndjson)", single.getMessage());
    }
}
