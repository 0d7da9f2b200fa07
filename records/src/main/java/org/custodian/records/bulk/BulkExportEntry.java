package org.custodian.records.bulk;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.custodian.core.identity.Caller;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.records.write.Author;

/**
 * The ledger entry recording a complete Bulk Data export, type {@value #TYPE} version 1, committed in the
 * transaction that makes the export's files available: who exported (person, role, organisation,
 * sector, purpose, project), the job, its level, the types asked for ({@code ["*"]} for all), {@code since},
 * the snapshot and transaction time it was taken as of, how many resources of each type it holds, how many
 * patients were included, refused by the gate, or had categories withheld, how many decisions were
 * recorded for it (one per patient, each its own {@code access.decision} entry), and the SHA-256 of its
 * files ({@code name sha256hex}, one per line, sorted), which an auditor can recompute from what was
 * downloaded.
 */
public final class BulkExportEntry {
    public static final String TYPE = "records.bulk-export";
    public static final int VERSION = 1;

    private BulkExportEntry() {}

    /** What a run counted. */
    record Counts(Map<String, Long> resources, long included, long refused, long categoriesWithheld, long decisions, String filesDigest) {}

    static LedgerEntry of(Caller caller, ExportJob job, Counts counts, Instant time) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("requester", Author.of(caller).fields());
        if (caller.project() != null) {
            f.put("project", caller.project().id());
        }
        f.put("export", job.id());
        f.put("level", job.request().level().code());
        f.put("types", job.request().allTypes() ? List.of("*") : job.request().types());
        if (job.request().since() != null) {
            f.put("since", DateTimeFormatter.ISO_INSTANT.format(job.request().since()));
        }
        f.put("snapshot", job.snapshot());
        f.put("transactionTime", DateTimeFormatter.ISO_INSTANT.format(job.transactionTime()));
        f.put("resources", new TreeMap<>(counts.resources()));
        Map<String, Object> patients = new LinkedHashMap<>();
        patients.put("included", counts.included());
        patients.put("refused", counts.refused());
        patients.put("categoriesWithheld", counts.categoriesWithheld());
        f.put("patients", patients);
        f.put("decisions", counts.decisions());
        f.put("files", counts.filesDigest());
        f.put("via", BulkExports.VIA);
        return LedgerEntry.create(TYPE, VERSION, time, f);
    }
}
