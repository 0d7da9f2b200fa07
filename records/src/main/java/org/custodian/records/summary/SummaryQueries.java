package org.custodian.records.summary;

import static java.util.Objects.requireNonNull;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.records.fhir.FhirR4;
import org.custodian.records.index.TokenIndex;
import org.custodian.records.index.MedicationLinks;
import org.custodian.records.store.RecordQueries;
import org.custodian.records.store.RecordStore;
import org.custodian.records.store.StoredVersion;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;

/**
 * Reads what a summary of one patient's record needs, at a bounded cost whatever the record's size: the
 * current versions of the patient's Patient, Condition, MedicationRequest, AllergyIntolerance, Immunization,
 * Observation and Encounter resources, each section cut in SQL to its limit (one row more, so that the
 * summary can say there is more) in the order {@link Order} describes, and the Medications the requests
 * refer to. The sections are read in one statement, so they agree with each other; only Observations
 * without a value among the newest (rare: Synthea writes none) send it back for more, and the Medications
 * are a second, small read.
 *
 * <p>Cost: each section reads the patient's rows of its type through {@code record_versions_patient} and
 * keeps the newest by {@code sort_date} in a top-N sort, fetching content only for the rows kept. Measured
 * with 10,000 Observations for one patient (embedded PostgreSQL, 2 shared cores): 14 ms in PostgreSQL, most
 * of it visiting the 10,000 rows for their dates, and 18 ms for the whole read. An index on
 * {@code (patient_id, res_type, sort_date)} would make it a few rows' work, at a cost to every write; the
 * store chose not to have one for {@code _sort=date} either.
 *
 * <p>Callers MUST have asked the gate for this patient's record and MUST pass what it withheld: withheld
 * categories are left out in SQL, before the limits, so that a limit is never filled by lines that are
 * then dropped, and a Medication in a withheld category takes the requests naming it out with it.
 */
public final class SummaryQueries {
    /** However sparse a record's values, a summary reads at most this many Observations looking for its results. */
    static final int MAX_OBSERVATIONS_SCANNED = 2000;

    private final RecordStore store;

    public SummaryQueries(RecordStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** The summary of one patient's record: {@link #current} given to {@link RecordSummaries#of(List, SummaryLimits)}. */
    public RecordSummary summary(String patientId, Set<SensitiveCategory> withheld, SummaryLimits limits) {
        return RecordSummaries.of(current(patientId, withheld, limits), limits);
    }

    /**
     * The current versions a summary of this patient needs, in no particular order.
     *
     * @param withheld the categories the gate withheld from the viewer ({@code PatientAccess.withheld()})
     * @throws org.custodian.records.store.RecordsUnavailableException if the database cannot be read
     */
    public List<StoredVersion> current(String patientId, Set<SensitiveCategory> withheld, SummaryLimits limits) {
        requireNonNull(patientId, "patientId is null");
        requireNonNull(withheld, "withheld is null");
        requireNonNull(limits, "limits is null");
        String[] hidden = withheld.stream().map(SensitiveCategory::code).sorted().toArray(String[]::new);
        IParser parser = FhirR4.context().newJsonParser();

        // 1. Every section in one statement, each cut to its limit plus one.
        List<Object> params = new ArrayList<>();
        StringBuilder vids = new StringBuilder();
        patientBranch(vids, params, patientId, hidden);
        branch(vids, params, patientId, "Condition", tokens("clinical-status", Order.CURRENT_CONDITION), hidden, limits.others() + 1, 0);
        branch(vids, params, patientId, "MedicationRequest", tokens("status", Order.CURRENT_MEDICINE), hidden, limits.medicines() + 1, 0);
        branch(vids, params, patientId, "AllergyIntolerance", tokens("clinical-status", Order.ACTIVE_ALLERGY), hidden, limits.others() + 1, 0);
        branch(vids, params, patientId, "Immunization", null, hidden, limits.others() + 1, 0);
        branch(vids, params, patientId, "Observation", null, hidden, limits.results() + 1, 0);
        branch(vids, params, patientId, "Encounter", null, hidden, limits.encounters() + 1, 0);
        List<StoredVersion> found = store.query(select(vids), params);

        List<StoredVersion> out = new ArrayList<>(found.size());
        List<StoredVersion> observations = new ArrayList<>();
        for (StoredVersion v : found) {
            (v.type().equals("Observation") ? observations : out).add(v);
        }
        // 2. Results are Observations with a value; when the newest rows include some without, read on.
        out.addAll(results(patientId, hidden, limits.results() + 1, observations, parser));
        // 3. The Medications that requests name by reference: directory data, or in this patient's record
        //    (written with it), read here by reference rather than with the sections above.
        return withMedications(out, patientId, withheld, parser);
    }

    private List<StoredVersion> results(String patientId, String[] hidden, int wanted, List<StoredVersion> firstRows, IParser parser) {
        List<StoredVersion> valued = new ArrayList<>();
        List<StoredVersion> batch = firstRows;
        int scanned = 0;
        int batchSize = wanted;
        while (true) {
            for (StoredVersion v : batch) {
                if (valued.size() < wanted && hasValue(v, parser)) {
                    valued.add(v);
                }
            }
            scanned += batch.size();
            if (valued.size() >= wanted || batch.size() < batchSize || scanned >= MAX_OBSERVATIONS_SCANNED) {
                return valued;
            }
            // Rows written meanwhile may shift the offset by a row or two: a summary can live with that.
            batchSize = Math.min(Math.max(batchSize * 2, 100), MAX_OBSERVATIONS_SCANNED - scanned);
            List<Object> params = new ArrayList<>();
            StringBuilder vids = new StringBuilder();
            branch(vids, params, patientId, "Observation", null, hidden, batchSize, scanned);
            batch = store.query(select(vids), params);
        }
    }

    /** Whether the Observation has a value; one that cannot be read is kept, for the summary to name. */
    private static boolean hasValue(StoredVersion v, IParser parser) {
        try {
            IBaseResource r = parser.parseResource(v.content());
            return !(r instanceof Observation o) || ResultItem.hasValue(o);
        } catch (DataFormatException | IllegalArgumentException e) {
            return true;
        }
    }

    private List<StoredVersion> withMedications(List<StoredVersion> resources, String patientId, Set<SensitiveCategory> withheld,
            IParser parser) {
        Map<String, List<StoredVersion>> requestsByMedication = new HashMap<>();
        for (StoredVersion v : resources) {
            if (!v.type().equals("MedicationRequest")) {
                continue;
            }
            String target = medicationReference(v, parser);
            if (target != null) {
                requestsByMedication.computeIfAbsent(target, k -> new ArrayList<>()).add(v);
            }
        }
        if (requestsByMedication.isEmpty()) {
            return resources;
        }
        String[] ids = requestsByMedication.keySet().stream().map(r -> r.substring("Medication/".length())).toArray(String[]::new);
        List<StoredVersion> medications = store.query("SELECT " + RecordQueries.COLUMNS + RecordQueries.FROM
                + " JOIN record_resources r ON r.current_vid = v.vid WHERE r.res_type = 'Medication' AND r.res_id = ANY(?)"
                // Directory data, or this patient's own: a Medication in another patient's record is theirs
                // (the gate was asked about this patient only), so a request naming it shows without it.
                + " AND (v.patient_id IS NULL OR v.patient_id = ?)",
                List.of(ids, patientId));
        List<StoredVersion> out = new ArrayList<>(resources);
        for (StoredVersion m : medications) {
            if (intersects(m.categories(), withheld)) {
                // The request would show a withheld medicine as "Unknown": it goes too.
                out.removeAll(requestsByMedication.getOrDefault(m.reference(), List.of()));
            } else {
                out.add(m);
            }
        }
        return out;
    }

    private static String medicationReference(StoredVersion v, IParser parser) {
        try {
            IBaseResource r = parser.parseResource(v.content());
            if (r instanceof MedicationRequest m && m.hasMedicationReference() && m.getMedicationReference().hasReference()) {
                // Read as the store reads it when it gives the request its Medication's categories.
                return MedicationLinks.target(m.getMedicationReference().getReference());
            }
        } catch (DataFormatException | IllegalArgumentException e) {
            // named as unreadable by the summary
        }
        return null;
    }

    private static boolean intersects(Set<SensitiveCategory> a, Set<SensitiveCategory> b) {
        for (SensitiveCategory c : a) {
            if (b.contains(c)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- SQL

    /** The versions the branches chose, newest first: the Observations are read on in that order. */
    private static String select(StringBuilder vids) {
        return "SELECT " + RecordQueries.COLUMNS + RecordQueries.FROM + " WHERE v.vid IN (" + vids + ")"
                + " ORDER BY v.sort_date DESC NULLS LAST, v.vid DESC";
    }

    private static void patientBranch(StringBuilder sql, List<Object> params, String patientId, String[] hidden) {
        sql.append("(SELECT x.vid FROM record_versions x WHERE x.patient_id = ? AND x.res_type = 'Patient' AND x.res_id = ?"
                + " AND x.superseded_by IS NULL");
        params.add(patientId);
        params.add(patientId);
        withheld(sql, params, hidden);
        sql.append(")");
    }

    /**
     * One section's rows: the patient's current versions of one type, outside the withheld categories, those
     * with a {@code first} token first, then by {@code sort_date} newest first, then newest written first.
     * A scalar patient id and type, so the planner reads {@code record_versions_patient} for just these rows.
     */
    private static void branch(StringBuilder sql, List<Object> params, String patientId, String type, String[] first, String[] hidden,
            int limit, int offset) {
        if (!sql.isEmpty()) {
            sql.append(" UNION ALL ");
        }
        sql.append("(SELECT x.vid FROM record_versions x WHERE x.patient_id = ? AND x.res_type = ? AND x.superseded_by IS NULL");
        params.add(patientId);
        params.add(type);
        withheld(sql, params, hidden);
        sql.append(" ORDER BY ");
        if (first != null) {
            sql.append("x.tokens && ? DESC, ");
            params.add(first);
        }
        sql.append("x.sort_date DESC NULLS LAST, x.vid DESC LIMIT ? OFFSET ?)");
        params.add(limit);
        params.add(offset);
    }

    private static void withheld(StringBuilder sql, List<Object> params, String[] hidden) {
        if (hidden.length > 0) {
            sql.append(" AND NOT (x.categories && ?)");
            params.add(hidden);
        }
    }

    /** The index values of a token parameter with any of these codes, whatever the system. */
    private static String[] tokens(String param, Collection<String> codes) {
        Set<String> out = new LinkedHashSet<>();
        for (String code : codes.stream().sorted().toList()) {
            out.add(TokenIndex.lookup(param, code));
        }
        return out.toArray(String[]::new);
    }
}
