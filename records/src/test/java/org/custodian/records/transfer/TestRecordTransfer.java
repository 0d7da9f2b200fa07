package org.custodian.records.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.testing.SharedData;
import org.custodian.records.fhir.FhirJson;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records move between deployments unchanged: the Synthea sample imported into deployment A, exported,
 * imported into deployment B and exported again gives the same bytes, type by type; and importing what
 * is already there adds nothing.
 */
class TestRecordTransfer {
    @TempDir
    static Path dir;
    static PostgresForTests postgres;
    static Path synthea;
    static Deployment a;
    static ImportTotals loadedIntoA;
    static int entries;
    static Path exportA;
    static ExportManifest manifestA;

    @BeforeAll
    static void importTheSampleIntoAAndExportIt() throws Exception {
        postgres = PostgresForTests.start(dir.resolve("pg"));
        synthea = SharedData.locate("shared/data/fhir/synthea");
        try (Stream<Path> files = Files.list(synthea)) {
            for (Path f : files.toList()) {
                entries += ((Bundle) FhirJson.parse(Files.readString(f))).getEntry().size();
            }
        }
        a = new Deployment(postgres);
        loadedIntoA = a.load(synthea);
        exportA = dir.resolve("export-a");
        manifestA = a.export(exportA);
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void theSampleLoadsWholeProvidersFirst() {
        assertEquals(7, loadedIntoA.filesLoaded());
        assertEquals(0, loadedIntoA.filesSkipped());
        assertEquals(entries, loadedIntoA.resources(), "every entry is accounted for");
        assertEquals(a.count("SELECT count(*) FROM record_resources"), loadedIntoA.created());
        assertEquals(a.versions(), loadedIntoA.created() + loadedIntoA.updated());
        assertEquals(0, a.count("SELECT count(*) FROM record_versions WHERE content LIKE '%?identifier=%'"),
                "every conditional reference resolved: the providers were loaded before the patients");
        assertEquals(5, a.count("SELECT count(*) FROM record_patients"));
    }

    @Test
    void anExportImportedIntoAnotherDeploymentExportsToTheSameBytes() throws Exception {
        Deployment b = new Deployment(postgres);
        ImportTotals loaded = b.load(exportA);
        long total = manifestA.output().stream().mapToLong(ExportManifest.Output::count).sum();
        assertEquals(total, loaded.created(), "every resource is new in B");
        assertEquals(0, loaded.updated() + loaded.unchanged());
        assertEquals(a.count("SELECT count(*) FROM record_resources"), total, "the export holds every resource of A");

        Path exportB = dir.resolve("export-b");
        ExportManifest manifestB = b.export(exportB);
        assertEquals(manifestA.output(), manifestB.output(), "the same types, counts and digests");
        assertTrue(manifestA.output().size() > 10, "the sample has many types: " + manifestA.output());
        for (ExportManifest.Output o : manifestA.output()) {
            assertArrayEquals(Files.readAllBytes(exportA.resolve(o.url())), Files.readAllBytes(exportB.resolve(o.url())), o.url());
        }
        String firstPatient = Files.readAllLines(exportB.resolve("Patient.ndjson")).get(0);
        assertTrue(firstPatient.contains("\"meta\":{\"versionId\":\"1\",\"lastUpdated\":\""), "meta included: " + firstPatient.substring(0, 120));
    }

    @Test
    void importingTheSameFilesAgainAddsNothing() throws Exception {
        long versions = a.versions();
        long ledger = a.ledgerEntries();
        Deployment.Recording seen = new Deployment.Recording();
        ImportTotals again = a.load(Importer.DEFAULT_CHUNK_LINES, seen, synthea);
        assertEquals(7, again.filesSkipped(), seen.events::toString);
        assertEquals(0, again.filesLoaded());
        assertTrue(seen.events.stream().allMatch(e -> e.startsWith("skipped ") && e.contains(": already imported on ")), seen.events::toString);

        // Without the record of imports, the same content is found unchanged: still nothing added.
        PostgresForTests.sql(a.ds, "DELETE FROM record_imports");
        ImportTotals content = a.load(synthea);
        assertEquals(7, content.filesLoaded());
        assertEquals(entries, content.unchanged(), "every entry was found as stored");
        assertEquals(0, content.created() + content.updated());
        assertEquals(versions, a.versions(), "no new version");
        assertEquals(ledger, a.ledgerEntries(), "no ledger entry: nothing was written");

        // An export imported into the deployment it came from changes nothing either.
        ImportTotals own = a.load(exportA);
        assertEquals(0, own.created() + own.updated());
        assertEquals(versions, a.versions());
    }

    @Test
    void theExportIsOneLedgerEntryWithTheDigestsOfItsFiles() throws Exception {
        LedgerEntry entry = LedgerEntry.parse(a.ledger.content(manifestA.ledgerIndex()).orElseThrow());
        assertEquals("records.export", entry.type());
        assertEquals(1, entry.version());
        assertEquals(Map.of("operator", "test@localhost"), entry.fields().get("author"));
        Map<?, ?> files = (Map<?, ?>) entry.fields().get("files");
        Map<?, ?> counts = (Map<?, ?>) entry.fields().get("resources");
        assertEquals(manifestA.output().size(), files.size());
        for (ExportManifest.Output o : manifestA.output()) {
            assertEquals(o.sha256(), files.get(o.url()));
            assertEquals(o.count(), counts.get(o.type()));
        }
        assertEquals(manifestA, ExportManifest.parse(Files.readString(exportA.resolve(ExportManifest.FILE))), "the manifest as written");
        try (Stream<Path> left = Files.list(exportA)) {
            assertFalse(left.anyMatch(p -> p.toString().endsWith(".part")), "no temporary file is left");
        }
    }

    @Test
    void anExportOfSomeTypesHoldsOnlyThoseAndRefusesANonEmptyDirectoryOrAnUnknownType() throws Exception {
        Path some = dir.resolve("some");
        ExportManifest m = a.export(some, "Patient", "Organization");
        assertEquals(List.of("Organization", "Patient"), m.output().stream().map(ExportManifest.Output::type).toList());
        try (Stream<Path> files = Files.list(some)) {
            assertEquals(List.of("Organization.ndjson", "Patient.ndjson", "manifest.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(5, Files.readAllLines(some.resolve("Patient.ndjson")).size());

        long ledger = a.ledgerEntries();
        assertThrows(DirectoryNotEmptyException.class, () -> a.export(some));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> a.export(dir.resolve("other"), "Patinet"));
        assertEquals("\"Patinet\" is not a FHIR R4 resource type", unknown.getMessage());
        assertEquals(ledger, a.ledgerEntries(), "a refused export is not recorded");
    }
}
