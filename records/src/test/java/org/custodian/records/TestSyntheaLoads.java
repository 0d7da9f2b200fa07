package org.custodian.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.custodian.ledger.postgres.PostgresPerClass;
import org.custodian.ledger.testing.SharedData;
import org.custodian.records.fhir.FhirJson;
import org.custodian.records.write.RecordWriter;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Synthea bundles load as a FHIR server must load them: the provider batches first (conditional
 * creates), then the patients' transactions with urn:uuid and conditional references resolved, the
 * 3,177-entry one included, every version recorded in the ledger.
 */
class TestSyntheaLoads {
    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    @Test
    void everyBundleLoadsWithItsReferencesResolvedAndRecorded() throws Exception {
        try (RecordsWorld w = new RecordsWorld(postgres.server())) {
            List<Path> files;
            try (Stream<Path> s = Files.list(SharedData.locate("shared/data/fhir/synthea"))) {
                files = s.sorted().toList();
            }
            int entries = 0;
            for (Path f : files) {
                Bundle b = (Bundle) FhirJson.parse(Files.readString(f));
                entries += b.getEntry().size();
                RecordWriter.BundleResult r = w.writer.bundle(RecordsWorld.operator(), b);
                assertEquals(b.getEntry().size(), r.response().getEntry().size(), f.toString());
                for (var e : r.response().getEntry()) {
                    assertTrue(e.getResponse().getStatus().startsWith("20"), f + ": " + e.getResponse().getStatus());
                }
            }
            long versions = count(w, "SELECT count(*) FROM record_versions");
            assertEquals(entries, versions, "one version per entry");
            assertEquals(0, count(w, "SELECT count(*) FROM record_versions WHERE content LIKE '%\"reference\":\"urn:uuid:%'"), "no urn:uuid reference is left");
            assertEquals(0, count(w, "SELECT count(*) FROM record_versions WHERE content LIKE '%?identifier=%'"), "no conditional reference is left");
            assertEquals(0, count(w, "SELECT count(*) FROM record_versions WHERE ledger_index IS NULL"), "every version is recorded");
            assertEquals(5, count(w, "SELECT count(*) FROM record_patients"));

            // Loading the providers again creates nothing: their entries are conditional creates.
            Path providers = RecordsWorld.synthea("0-practitioner");
            Bundle again = (Bundle) FhirJson.parse(Files.readString(providers));
            RecordWriter.BundleResult r = w.writer.bundle(RecordsWorld.operator(), again);
            assertEquals(195, r.response().getEntry().stream().filter(e -> e.getResponse().getStatus().equals("200 OK")).count(),
                    "every Practitioner is found by its identifier, not created again");
            assertEquals(versions + 195, count(w, "SELECT count(*) FROM record_versions"),
                    "only the PractitionerRoles, which have no condition, are created again");
        }
    }

    static long count(RecordsWorld w, String sql) throws Exception {
        try (var c = w.ds.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
