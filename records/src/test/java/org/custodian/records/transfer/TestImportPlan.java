package org.custodian.records.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files an import loads, in which order, and how an export's manifest guards them. No database. */
class TestImportPlan {
    private static final String PROVIDERS = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"resource\":{\"resourceType\":\"Organization\"}}]}";
    private static final String PATIENT_BUNDLE = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\" : \"Patient\"}}]}";

    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    private static List<String> names(List<ImportFile> files) {
        return files.stream().map(f -> f.path().getFileName().toString()).toList();
    }

    @Test
    void directoryBundlesLoadFirstThenPatientsThenTheRestEachGroupInPathOrder() throws Exception {
        file("in/a-patient.json", PATIENT_BUNDLE);
        file("in/b-Observation.ndjson", "{\"resourceType\":\"Observation\",\"id\":\"o1\"}\n");
        file("in/c-Patient.ndjson", "\n{\"resourceType\": \"Patient\",\"id\":\"p1\"}\n");
        file("in/z-hospitals.json", PROVIDERS);
        file("in/sub/y-practitioners.json", PROVIDERS.replace("Organization", "Practitioner"));
        file("in/notes.txt", "not loaded");
        file("in/.hidden.json", PATIENT_BUNDLE);
        file("in/.git/x.json", PATIENT_BUNDLE);

        List<ImportFile> plan = ImportPlan.of(List.of(dir.resolve("in")));
        assertEquals(List.of("y-practitioners.json", "z-hospitals.json", "c-Patient.ndjson", "a-patient.json", "b-Observation.ndjson"), names(plan));
        assertEquals(ImportFile.Kind.BUNDLE, plan.get(0).kind());
        assertEquals(ImportFile.Kind.NDJSON, plan.get(2).kind());
    }

    @Test
    void aFileGivenTwiceLoadsOnceAndAnUnknownKindOrAMissingPathIsRefused() throws Exception {
        Path bundle = file("b.json", PROVIDERS);
        assertEquals(1, ImportPlan.of(List.of(bundle, dir.resolve("./b.json"), dir)).size());

        Path text = file("notes.txt", "x");
        ImportRefusedException e = assertThrows(ImportRefusedException.class, () -> ImportPlan.of(List.of(text)));
        assertEquals(text + ": not a FHIR bundle (*.json) or an NDJSON file (*.ndjson)", e.getMessage());
        assertThrows(NoSuchFileException.class, () -> ImportPlan.of(List.of(dir.resolve("missing"))));
    }

    @Test
    void theManifestReadsBackAsWritten() {
        ExportManifest m = new ExportManifest(Instant.parse("2026-11-24T10:15:30.123Z"), List.of(
                new ExportManifest.Output("Observation", "Observation.ndjson", 12, "ab".repeat(32)),
                new ExportManifest.Output("Patient", "Patient.ndjson", 1, "cd".repeat(32))), 42);
        String json = m.toJson();
        assertEquals(m, ExportManifest.parse(json));
        assertTrue(json.contains("\"request\": \"custodian export\""), json);
        assertTrue(json.contains("\n    {\"count\":12,\"extension\":{\"sha256\":\"" + "ab".repeat(32) + "\"},\"type\":\"Observation\",\"url\":\"Observation.ndjson\"},\n"), json);
        assertThrows(IllegalArgumentException.class, () -> ExportManifest.parse("{\"request\":\"something else\"}"));
        assertThrows(IllegalArgumentException.class, () -> new ExportManifest.Output("Patient", "../Patient.ndjson", 1, "x"));
    }

    @Test
    void anExportWhoseFilesDifferFromItsManifestIsRefused() throws Exception {
        Path patients = file("export/Patient.ndjson", "{\"resourceType\":\"Patient\",\"id\":\"p1\"}\n");
        String digest = ImportPlan.of(List.of(patients)).get(0).sha256();
        ExportManifest m = new ExportManifest(Instant.now(), List.of(new ExportManifest.Output("Patient", "Patient.ndjson", 1, digest)), 7);
        Path manifest = file("export/manifest.json", m.toJson());
        assertEquals(List.of("Patient.ndjson"), names(ImportPlan.of(List.of(dir.resolve("export")))), "the manifest itself is not loaded");

        Files.writeString(patients, "{\"resourceType\":\"Patient\",\"id\":\"p2\"}\n");
        ImportRefusedException changed = assertThrows(ImportRefusedException.class, () -> ImportPlan.of(List.of(dir.resolve("export"))));
        assertEquals(patients, changed.file());
        assertTrue(changed.reason().startsWith("its SHA-256 is not the one " + manifest + " gives"), changed::getMessage);

        Files.delete(patients);
        ImportRefusedException missing = assertThrows(ImportRefusedException.class, () -> ImportPlan.of(List.of(dir.resolve("export"))));
        assertEquals(manifest + ": it lists Patient.ndjson, which is missing: the export is incomplete", missing.getMessage());
    }
}
