package org.custodian.records.bulk;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.custodian.core.decisions.DecisionNotRecordedException;
import org.custodian.core.identity.Caller;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.records.access.PatientAccess;
import org.custodian.records.access.RecordAccess;
import org.custodian.records.fhir.FhirR4;
import org.custodian.records.index.Compartments;
import org.custodian.records.store.RecordsUnavailableException;

/**
 * One export, run once on a background thread, in three stages:
 * <ol>
 *   <li><b>decide</b>: the patients with records to export, a batch at a time, each decided by the gate
 *       (one decision, one ledger entry, per patient per job) before any of their data is read; the
 *       permitted ones, with the categories they withhold, go to the job's working list in the database,
 *       so that memory holds one batch, not every patient;
 *   <li><b>write</b>: per type, the versions current at the snapshot, of permitted patients only and not
 *       in a withheld category (directory data needs no decision), into NDJSON files of at most
 *       {@link BulkExports.Limits#resourcesPerFile()} resources, each stored as it fills;
 *   <li><b>complete</b>: the notes file (patients refused, categories withheld), then the
 *       {@value BulkExportEntry#TYPE} ledger entry and the status in one transaction.
 * </ol>
 * Between steps it reports progress, which also finds out whether the job was cancelled (it then stops
 * and deletes what it wrote). If a decision cannot be recorded, the job fails and nothing of it is served.
 */
final class ExportRun implements Runnable {
    private static final Logger LOG = Logger.getLogger(ExportRun.class.getName());
    /** Custodian's reason codes, as in the server's OperationOutcomes. */
    private static final String REASON_SYSTEM = "urn:custodian:reason";
    static final String NOTES_TYPE = "OperationOutcome";

    private final ExportStore db;
    private final RecordAccess access;
    private final PostgresLogStore ledger;
    private final Clock clock;
    private final BulkExports.Limits limits;
    private final ExportJob job;
    private final Caller caller;

    private final Map<String, Long> resources = new TreeMap<>();
    private final Set<String> refusalReasons = new TreeSet<>();
    private final List<String> fileDigests = new ArrayList<>();
    private long decisions;
    private long included;
    private long refused;
    private long categoriesWithheld;

    /** The job was cancelled (or failed by another process) while this one ran it. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    ExportRun(ExportStore db, RecordAccess access, PostgresLogStore ledger, Clock clock, BulkExports.Limits limits, ExportJob job, Caller caller) {
        this.db = requireNonNull(db, "db is null");
        this.access = requireNonNull(access, "access is null");
        this.ledger = requireNonNull(ledger, "ledger is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.job = requireNonNull(job, "job is null");
        this.caller = requireNonNull(caller, "caller is null");
    }

    @Override
    public void run() {
        if (!db.claim(job.id(), "deciding which patients' records may be exported")) {
            return; // cancelled while queued
        }
        try {
            decide();
            write();
            complete();
        } catch (Stopped stopped) {
            db.discard(job.id());
        } catch (DecisionNotRecordedException e) {
            // Fail closed: nothing of an export is served unless every decision it rests on is recorded.
            fail("a decision of the gate could not be recorded in the ledger, so the export was stopped and none of it is served;"
                    + " start it again later");
        } catch (RecordsUnavailableException e) {
            LOG.log(Level.WARNING, "export " + job.id() + " failed: " + e.getMessage());
            fail("the record store became unavailable, so the export was stopped and none of it is served; start it again later");
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "export " + job.id() + " failed", e);
            fail("the export failed with an unexpected error (it has been logged); none of it is served");
        }
    }

    private void fail(String why) {
        try {
            db.fail(job.id(), why);
        } catch (RuntimeException e) {
            // Another process marks it failed once its heartbeat is stale.
            LOG.log(Level.WARNING, "could not mark export " + job.id() + " failed: " + e.getMessage());
        }
    }

    /** Reports progress; stops the run if the job is no longer running. */
    private void step(String progress) {
        if (Thread.currentThread().isInterrupted() || !db.progress(job.id(), progress)) {
            throw new Stopped();
        }
    }

    // ---------------------------------------------------------------- 1. decide

    private void decide() {
        String[] types = patientTypes();
        if (types != null && types.length == 0) {
            return; // only directory data was asked for
        }
        List<String> asked = job.request().allTypes() ? List.of("*") : job.request().types();
        String after = "";
        while (true) {
            List<String> batch = db.patientsAfter(job.snapshot(), after, types, job.request().since(), limits.patientsPerBatch());
            if (batch.isEmpty()) {
                return;
            }
            after = batch.get(batch.size() - 1);
            Map<String, PatientAccess> answers = access.decide(caller, batch, asked, BulkExports.VIA);
            List<PatientAccess> permitted = new ArrayList<>();
            for (PatientAccess a : answers.values()) {
                decisions++;
                if (a.permitted()) {
                    permitted.add(a);
                    if (!a.withheld().isEmpty()) {
                        categoriesWithheld++;
                    }
                } else {
                    refused++;
                    a.reasons().forEach(r -> refusalReasons.add(r.code()));
                }
            }
            db.permit(job.id(), permitted);
            included += permitted.size();
            step("deciding which patients' records may be exported: " + decisions + " decided");
            if (batch.size() < limits.patientsPerBatch()) {
                return;
            }
        }
    }

    /** The patient-data types to decide for: null for any, empty for none. */
    private String[] patientTypes() {
        if (job.request().allTypes()) {
            return null;
        }
        return job.request().types().stream().filter(Compartments::mayBePatientData).toArray(String[]::new);
    }

    // ---------------------------------------------------------------- 2. write

    private void write() {
        for (String type : exportTypes()) {
            // Directory data (only at system level), then the permitted patients' records: a Medication can
            // be either (written on its own, or with one patient's records), and each row is one or the other.
            boolean directory = Compartments.isDirectory(type) && job.request().level() == ExportRequest.Level.SYSTEM;
            boolean patientData = Compartments.mayBePatientData(type) && included > 0;
            Pass pass = new Pass(type);
            if (directory) {
                pass.write(null);
            }
            if (patientData) {
                pass.write(job.id());
            }
            pass.finish();
        }
    }

    /** The files of one type: directory rows and patients' rows go into the same files, one after the other. */
    private final class Pass {
        private final String type;
        private NdjsonFile file;
        private int files;
        private long count;

        Pass(String type) {
            this.type = type;
        }

        /** @param exportId the job, for its permitted patients' rows; null for directory rows */
        void write(String exportId) {
            long after = 0;
            while (true) {
                List<ExportStore.Row> rows = db.page(exportId, type, job.snapshot(), after, job.request().since(), limits.pageSize());
                for (ExportStore.Row row : rows) {
                    if (file == null) {
                        file = new NdjsonFile(type + "-" + (++files) + ".ndjson", type);
                    }
                    file.add(row.content());
                    count++;
                    if (file.count() >= limits.resourcesPerFile() || file.size() >= limits.maxFileBytes()) {
                        store(file, false);
                        file = null;
                    }
                    after = row.vid();
                }
                if (!rows.isEmpty()) {
                    step("writing " + type + ": " + count + " resources");
                }
                if (rows.size() < limits.pageSize()) {
                    return;
                }
            }
        }

        void finish() {
            if (file != null) {
                store(file, false);
            }
            if (count > 0) {
                resources.put(type, count);
            }
        }
    }

    /** The types to write, in order: those asked for, or every type stored here (directory data only at system level). */
    private List<String> exportTypes() {
        if (!job.request().allTypes()) {
            return job.request().types();
        }
        List<String> out = new ArrayList<>();
        for (String type : new TreeSet<>(FhirR4.context().getResourceTypes())) {
            if (ExportRequest.isStoredType(type)
                    && (job.request().level() == ExportRequest.Level.SYSTEM || Compartments.mayBePatientData(type))) {
                out.add(type);
            }
        }
        return out;
    }

    private void store(NdjsonFile file, boolean error) {
        byte[] sha = file.sha256();
        db.insertFile(job.id(), file.name(), error, file.type(), file.count(), sha, file.bytes());
        fileDigests.add(file.name() + " " + HexFormat.of().formatHex(sha));
    }

    // ---------------------------------------------------------------- 3. complete

    private void complete() {
        List<String> notes = notes();
        if (!notes.isEmpty()) {
            NdjsonFile file = new NdjsonFile(NOTES_TYPE + "-1.ndjson", NOTES_TYPE);
            notes.forEach(file::add);
            store(file, true);
        }
        BulkExportEntry.Counts counts = new BulkExportEntry.Counts(resources, included, refused, categoriesWithheld, decisions,
                digest(fileDigests));
        long index = db.complete(job.id(), BulkExportEntry.of(caller, job, counts, clock.instant()), ledger);
        if (index < 0) {
            db.discard(job.id()); // cancelled at the last moment
        }
    }

    /**
     * OperationOutcomes saying what was left out and why, without saying whose: how many patients the
     * gate refused (with the reason codes), and for how many patients categories they withhold from the
     * requester were left out, if they had any (as the FHIR search does, so that the note does not reveal
     * that sensitive records exist).
     */
    private List<String> notes() {
        List<String> out = new ArrayList<>();
        if (refused > 0) {
            out.add(outcome("warning", "The records of " + refused + (refused == 1 ? " patient were" : " patients were")
                    + " left out of this export: the gate refused them. Each decision, permit or refusal, is recorded in the ledger.",
                    refusalReasons));
        }
        if (categoriesWithheld > 0) {
            out.add(outcome("information", "For " + categoriesWithheld + (categoriesWithheld == 1 ? " patient" : " patients")
                    + ", resources in categories the patient withholds from you are left out, if there are any.",
                    Set.of("consent.categories-left-out")));
        }
        return out;
    }

    private static String outcome(String severity, String text, Set<String> reasons) {
        List<Object> issues = new ArrayList<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("severity", severity);
        summary.put("code", "suppressed");
        summary.put("diagnostics", text);
        issues.add(summary);
        for (String reason : reasons) {
            Map<String, Object> issue = new LinkedHashMap<>();
            issue.put("severity", severity);
            issue.put("code", "suppressed");
            issue.put("details", Map.of("coding", List.of(Map.of("system", REASON_SYSTEM, "code", reason))));
            issues.add(issue);
        }
        return CanonicalJson.canonicalString(Map.of("resourceType", "OperationOutcome", "issue", issues));
    }

    /** SHA-256 (hex) of the sorted lines, each followed by a newline. */
    private static String digest(List<String> lines) {
        MessageDigest md = newSha256();
        for (String line : new TreeSet<>(lines)) {
            md.update((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One NDJSON file being filled: one resource per line, each line ending in a newline. */
    private static final class NdjsonFile {
        private final String name;
        private final String type;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final MessageDigest sha = newSha256();
        private int count;

        NdjsonFile(String name, String type) {
            this.name = name;
            this.type = type;
        }

        void add(String json) {
            // A line break in JSON can only be whitespace between tokens (inside strings it is escaped), so
            // a resource stored pretty-printed still makes one line.
            String line = json.indexOf('\n') < 0 && json.indexOf('\r') < 0 ? json : json.replace('\n', ' ').replace('\r', ' ');
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
            out.write('\n');
            sha.update(b);
            sha.update((byte) '\n');
            count++;
        }

        String name() {
            return name;
        }

        String type() {
            return type;
        }

        int count() {
            return count;
        }

        long size() {
            return out.size();
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        byte[] sha256() {
            return sha.digest();
        }
    }
}
