package org.custodian.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.custodian.core.identity.Caller;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.postgres.PostgresPerClass;
import org.custodian.records.bulk.BulkExportEntry;
import org.custodian.records.bulk.BulkExports;
import org.custodian.records.bulk.ExportFile;
import org.custodian.records.bulk.ExportJob;
import org.custodian.records.bulk.ExportRequest;
import org.custodian.records.fhir.FhirJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bulk Data export jobs on a real PostgreSQL, without HTTP: what the job decides, writes and records,
 * and how it fails. (Kick-off, polling and downloads over HTTP are tested in the app module.)
 */
class TestBulkExports {
    private static final String CARL = "9434765005";
    /** Small files and batches, so that a few resources make several of each. */
    private static final BulkExports.Limits SMALL = new BulkExports.Limits(1, 5, 2, 2, 3, 1 << 20, Duration.ofMillis(200),
            Duration.ofSeconds(2));

    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    private static final Caller GP = RecordsWorld.caller(RecordsWorld.GP_DOCTOR, RecordsWorld.GP, Purpose.TREAT);

    /** Ada (5 observations) and Ben, in the practice's care; Carl, who is not; Dan, with no NHS number; a practitioner. */
    private static void load(RecordsWorld w) {
        put(w, patient("ada", RecordsWorld.ADA.value()));
        put(w, patient("ben", RecordsWorld.BEN.value()));
        put(w, patient("carl", CARL));
        put(w, patient("dan", null));
        for (int i = 1; i <= 5; i++) {
            put(w, observation("ada-obs-" + i, "ada"));
        }
        put(w, observation("carl-obs-1", "carl"));
        put(w, observation("dan-obs-1", "dan"));
        put(w, "{\"resourceType\":\"Practitioner\",\"id\":\"pr-1\",\"name\":[{\"family\":\"Okafor\"}]}");
    }

    static String patient(String id, String nhs) {
        return "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\"" + (nhs == null ? ""
                : ",\"identifier\":[{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\",\"value\":\"" + nhs + "\"}]")
                + ",\"name\":[{\"family\":\"" + id + "\"}]}";
    }

    static String observation(String id, String patient) {
        return "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\",\"code\":{\"text\":\"weight\"},"
                + "\"subject\":{\"reference\":\"Patient/" + patient + "\"}}";
    }

    private static void put(RecordsWorld w, String json) {
        var r = FhirJson.parse(json);
        w.writer.update(RecordsWorld.operator(), r.fhirType(), r.getIdElement().getIdPart(), r, 0);
    }

    private static BulkExports exports(RecordsWorld w, BulkExports.Limits limits) {
        return BulkExports.start(w.store, w.access, new PostgresLogStore(w.ds), w.clock, limits);
    }

    private static ExportJob awaitFinished(BulkExports exports, ExportJob job) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            ExportJob now = exports.find(job.id(), GP).orElseThrow();
            if (now.status().finished()) {
                return now;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the export did not finish");
    }

    private static List<String> lines(BulkExports exports, ExportJob job, String name) {
        String text = new String(exports.content(job.id(), name, GP).orElseThrow(), StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n"), "every line ends with a newline");
        return List.of(text.split("\n"));
    }

    @Test
    void aSystemExportSplitsFilesDecidesEachPatientOnceAndRecordsItself() throws Exception {
        try (RecordsWorld w = new RecordsWorld(postgres.server()); BulkExports exports = exports(w, SMALL)) {
            load(w);
            ExportJob job = awaitFinished(exports, exports.start(GP, new ExportRequest(ExportRequest.Level.SYSTEM, List.of(), null, "test")));
            assertEquals(ExportJob.Status.COMPLETE, job.status(), String.valueOf(job.error()));

            Map<String, Integer> counts = new TreeMap<>();
            List<String> ids = new ArrayList<>();
            String notes = null;
            for (ExportFile f : exports.files(job)) {
                assertTrue(f.count() <= 3, "at most three resources per file: " + f);
                List<String> lines = lines(exports, job, f.name());
                assertEquals(f.count(), lines.size());
                if (f.error()) {
                    notes = String.join("\n", lines);
                    continue;
                }
                counts.merge(f.type(), f.count(), Integer::sum);
                for (String line : lines) {
                    var r = FhirJson.parse(line);
                    assertEquals(f.type(), r.fhirType());
                    ids.add(r.getIdElement().getIdPart());
                }
            }
            assertEquals(Map.of("Observation", 5, "Patient", 2, "Practitioner", 1), counts);
            assertEquals(List.of("Observation-1.ndjson", "Observation-2.ndjson"),
                    exports.files(job).stream().filter(f -> f.type().equals("Observation")).map(ExportFile::name).toList());
            assertFalse(ids.stream().anyMatch(id -> id.startsWith("carl") || id.startsWith("dan")), "refused patients are left out: " + ids);
            assertTrue(notes != null && notes.contains("The records of 2 patients were left out"), String.valueOf(notes));
            assertTrue(notes.contains("record.unlinked"), notes);

            // One decision per patient for this job (Dan's, unlinked, is a recorded refusal), and the export itself.
            List<Map<?, ?>> entries = ledger(w);
            for (String nhs : List.of(RecordsWorld.ADA.value(), RecordsWorld.BEN.value(), CARL)) {
                assertEquals(1, entries.stream().filter(e -> "access.decision".equals(e.get("type")) && nhs.equals(e.get("patient"))
                        && BulkExports.VIA.equals(e.get("via"))).count(), nhs);
            }
            assertEquals(1, entries.stream().filter(e -> "access.refused".equals(e.get("type")) && "Patient/dan".equals(e.get("record"))).count());
            Map<?, ?> export = entries.stream().filter(e -> BulkExportEntry.TYPE.equals(e.get("type"))).findFirst().orElseThrow();
            assertEquals(job.ledgerIndex(), index(w, export));
            assertEquals(Map.of("Observation", 5L, "Patient", 2L, "Practitioner", 1L), export.get("resources"));
            assertEquals(Map.of("included", 2L, "refused", 2L, "categoriesWithheld", 0L), export.get("patients"));
            assertEquals(4L, export.get("decisions"));
            assertEquals("dr-okafor", ((Map<?, ?>) export.get("requester")).get("person"));
            assertEquals(List.of("*"), export.get("types"));
            assertEquals(job.snapshot(), export.get("snapshot"));
        }
    }

    @Test
    void anExportHoldsTheVersionsCurrentAtKickOffWhateverIsWrittenAfter() throws Exception {
        try (RecordsWorld w = new RecordsWorld(postgres.server()); BulkExports exports = exports(w, SMALL)) {
            load(w);
            ExportJob job = exports.start(GP, new ExportRequest(ExportRequest.Level.PATIENT, List.of("Observation"), null, "test"));
            put(w, observation("ada-obs-6", "ada"));
            put(w, "{\"resourceType\":\"Observation\",\"id\":\"ada-obs-1\",\"status\":\"amended\",\"code\":{\"text\":\"weight\"},"
                    + "\"subject\":{\"reference\":\"Patient/ada\"}}");
            job = awaitFinished(exports, job);
            assertEquals(ExportJob.Status.COMPLETE, job.status(), String.valueOf(job.error()));
            List<String> all = new ArrayList<>();
            for (ExportFile f : exports.files(job)) {
                if (!f.error()) {
                    all.addAll(lines(exports, job, f.name()));
                }
            }
            assertEquals(5, all.size(), String.join("\n", all));
            assertFalse(all.stream().anyMatch(l -> l.contains("ada-obs-6")), "written after kick-off");
            assertFalse(all.stream().anyMatch(l -> l.contains("amended")), "the version current at kick-off, not the newer one");
        }
    }

    @Test
    void whenADecisionCannotBeRecordedTheExportFailsAndNoneOfItIsServed() throws Exception {
        try (RecordsWorld w = new RecordsWorld(postgres.server()); BulkExports exports = exports(w, SMALL)) {
            load(w);
            sql(w, "ALTER TABLE ledger_entries ADD CONSTRAINT broken_for_test CHECK (idx < 0) NOT VALID");
            ExportJob job;
            try {
                job = awaitFinished(exports, exports.start(GP, new ExportRequest(ExportRequest.Level.SYSTEM, List.of(), null, "test")));
            } finally {
                sql(w, "ALTER TABLE ledger_entries DROP CONSTRAINT broken_for_test");
            }
            assertEquals(ExportJob.Status.FAILED, job.status());
            assertTrue(job.error().contains("could not be recorded"), job.error());
            assertEquals(List.of(), exports.files(job));
            assertEquals(0, TestSyntheaLoads.count(w, "SELECT count(*) FROM record_export_files WHERE export_id = '" + job.id() + "'"));
            assertEquals(0, TestSyntheaLoads.count(w, "SELECT count(*) FROM record_export_patients WHERE export_id = '" + job.id() + "'"));
        }
    }

    @Test
    void aJobLeftRunningByAStoppedProcessIsMarkedFailedAtStartUp() throws Exception {
        try (RecordsWorld w = new RecordsWorld(postgres.server())) {
            sql(w, "INSERT INTO record_exports (id, person_id, organisation, request_url, level, snapshot, status, runner, heartbeat_at)"
                    + " VALUES ('crashed', 'dr-okafor', 'A99001', 'test', 'system', 0, 'running', 'gone', now() - interval '1 hour')");
            try (BulkExports exports = exports(w, SMALL)) {
                ExportJob job = exports.find("crashed", GP).orElseThrow();
                assertEquals(ExportJob.Status.FAILED, job.status());
                assertTrue(job.error().contains("stopped before it finished"), job.error());
            }
        }
    }

    @Test
    void cancellingACompleteExportDeletesItsFilesAndOnlyItsRequesterMayDoIt() throws Exception {
        try (RecordsWorld w = new RecordsWorld(postgres.server()); BulkExports exports = exports(w, SMALL)) {
            load(w);
            ExportJob job = awaitFinished(exports, exports.start(GP, new ExportRequest(ExportRequest.Level.PATIENT, List.of(), null, "test")));
            assertEquals(ExportJob.Status.COMPLETE, job.status(), String.valueOf(job.error()));
            String file = exports.files(job).get(0).name();
            Caller reception = RecordsWorld.caller(RecordsWorld.GP_RECEPTION, RecordsWorld.GP, Purpose.TREAT);
            assertTrue(exports.find(job.id(), reception).isEmpty(), "another person does not see it");
            assertTrue(exports.content(job.id(), file, reception).isEmpty());
            assertFalse(exports.cancel(job.id(), reception));

            assertTrue(exports.cancel(job.id(), GP));
            assertTrue(exports.find(job.id(), GP).isEmpty(), "gone once cancelled");
            assertTrue(exports.content(job.id(), file, GP).isEmpty());
            assertEquals(0, TestSyntheaLoads.count(w, "SELECT count(*) FROM record_export_files WHERE export_id = '" + job.id() + "'"));
            assertFalse(exports.cancel(job.id(), GP), "cancelled once");
        }
    }

    private static List<Map<?, ?>> ledger(RecordsWorld w) throws Exception {
        List<Map<?, ?>> out = new ArrayList<>();
        try (var c = w.ds.getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("SELECT idx, convert_from(content, 'UTF8') FROM ledger_entries WHERE content IS NOT NULL ORDER BY idx")) {
            while (rs.next()) {
                Map<Object, Object> m = new java.util.LinkedHashMap<>((Map<?, ?>) CanonicalJson.parse(rs.getString(2)));
                m.put("_index", rs.getLong(1));
                out.add(m);
            }
        }
        return out;
    }

    private static long index(RecordsWorld w, Map<?, ?> entry) {
        return (Long) entry.get("_index");
    }

    private static void sql(RecordsWorld w, String sql) throws Exception {
        try (var c = w.ds.getConnection(); var s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
