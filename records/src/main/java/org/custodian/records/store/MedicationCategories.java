package org.custodian.records.store;

import static org.custodian.records.index.MedicationLinks.MEDICATION;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.custodian.core.vocabulary.SensitiveCategory;

/**
 * Keeps every stored version's sensitive categories closed over the Medication it refers to
 * ({@code record_versions.medication}, migration V19): a prescription (or administration, dispense,
 * statement) whose {@code medicationReference} names an HIV-coded Medication is itself HIV, whether the
 * Medication comes in the same write, was stored before, or is stored or changed afterwards. Otherwise the
 * prescription would be released to a clinician the patient withholds HIV from, and say which medicine.
 *
 * <p>Three stages, inside the write's transaction:
 * <ol>
 *   <li>{@link #lock}: a writer of a Medication locks it exclusively, a writer of a resource referring to one
 *       shares the lock, so that a prescription written while its Medication is created or changed either
 *       sees the change or is seen by it (a row lock cannot do this: a Medication being created has no row).
 *   <li>{@link #inherit}: each new version adds the categories of its Medication as this write leaves it:
 *       the version of it written in the same write, else the current stored one. A Medication that is not
 *       stored (not yet, or never: another server's) adds nothing, until it is stored (stage 3).
 *   <li>{@link #widenReferrers}: every stored version, current or not, referring to a Medication this write
 *       stores gains that Medication's categories. Older versions too: history and vread serve them, and
 *       their reference names the same Medication, which now says what it says.
 * </ol>
 *
 * <p>Categories only ever widen here. A Medication whose sensitive code is removed leaves its referrers'
 * categories as they are: a version's categories are the union of its own labels, its codes, its
 * contained resources and its Medication, and the column does not say which contributed, so narrowing
 * could strip a category the resource has on its own. Withholding too much is corrected by writing the
 * referring resource again (its new version is classified afresh); releasing too much cannot be undone.
 */
final class MedicationCategories {
    private MedicationCategories() {}

    /** Takes the transaction-level locks stage 1 describes, in one order, so that two writers cannot deadlock on them. */
    static void lock(Connection c, List<NewVersion> versions) throws SQLException {
        TreeMap<String, Boolean> exclusive = new TreeMap<>();
        for (NewVersion v : versions) {
            if (MEDICATION.equals(v.type())) {
                exclusive.put(v.reference(), true);
            } else if (v.medication() != null) {
                exclusive.putIfAbsent(v.medication(), false);
            }
        }
        if (exclusive.isEmpty()) {
            return;
        }
        try (PreparedStatement writer = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended('custodian-medication:' || ?, 0))");
                PreparedStatement reader = c.prepareStatement("SELECT pg_advisory_xact_lock_shared(hashtextextended('custodian-medication:' || ?, 0))")) {
            for (Map.Entry<String, Boolean> e : exclusive.entrySet()) {
                PreparedStatement s = e.getValue() ? writer : reader;
                s.setString(1, e.getKey());
                s.execute();
            }
        }
    }

    /**
     * The categories each version is stored with, in order: its own and its Medication's (stage 2). MUST be
     * called after {@link #lock}, in a statement of its own, so that it reads what committed before the lock.
     */
    static List<Set<SensitiveCategory>> inherit(Connection c, List<NewVersion> toStore) throws SQLException {
        Map<String, Set<SensitiveCategory>> medications = new HashMap<>();
        Set<String> toRead = new TreeSet<>();
        for (NewVersion v : toStore) {
            if (v.medication() != null) {
                toRead.add(v.medication());
            }
        }
        medications.putAll(stored(c, toRead));
        medications.putAll(written(toStore)); // this write's version, where it writes one, is what stays
        List<Set<SensitiveCategory>> out = new ArrayList<>(toStore.size());
        for (NewVersion v : toStore) {
            Set<SensitiveCategory> inherited = v.medication() == null ? Set.of() : medications.getOrDefault(v.medication(), Set.of());
            if (inherited.isEmpty() || v.categories().containsAll(inherited)) {
                out.add(v.categories());
            } else {
                EnumSet<SensitiveCategory> both = EnumSet.noneOf(SensitiveCategory.class);
                both.addAll(v.categories());
                both.addAll(inherited);
                out.add(both);
            }
        }
        return out;
    }

    /** Stage 3: the stored versions referring to each Medication written gain its categories; returns how many changed. */
    static int widenReferrers(Connection c, List<NewVersion> toStore) throws SQLException {
        Map<String, Set<SensitiveCategory>> written = written(toStore);
        written.values().removeIf(Set::isEmpty);
        if (written.isEmpty()) {
            return 0;
        }
        // record_versions_medication finds the referrers; the @> test leaves alone those that already
        // have the categories (this write's own new versions among them), so nothing is rewritten twice.
        try (PreparedStatement s = c.prepareStatement("UPDATE record_versions SET categories ="
                + " ARRAY(SELECT DISTINCT x FROM unnest(categories || ?::text[]) AS x ORDER BY x)"
                + " WHERE medication = ? AND NOT (categories @> ?::text[])")) {
            for (Map.Entry<String, Set<SensitiveCategory>> e : written.entrySet()) {
                java.sql.Array codes = c.createArrayOf("text", e.getValue().stream().map(SensitiveCategory::code).toArray());
                s.setArray(1, codes);
                s.setString(2, e.getKey());
                s.setArray(3, codes);
                s.addBatch();
            }
            int changed = 0;
            for (int n : s.executeBatch()) {
                changed += Math.max(n, 0);
            }
            return changed;
        }
    }

    /** The categories of each Medication this write stores, as its last version in the write has them. */
    private static Map<String, Set<SensitiveCategory>> written(List<NewVersion> toStore) {
        Map<String, Set<SensitiveCategory>> out = new LinkedHashMap<>();
        for (NewVersion v : toStore) {
            if (MEDICATION.equals(v.type())) {
                out.put(v.reference(), v.categories());
            }
        }
        return out;
    }

    /** The categories of the current version of each of these Medications that is stored. */
    private static Map<String, Set<SensitiveCategory>> stored(Connection c, Set<String> medications) throws SQLException {
        Map<String, Set<SensitiveCategory>> out = new HashMap<>();
        if (medications.isEmpty()) {
            return out;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT r.res_id, v.categories FROM record_resources r"
                + " JOIN record_versions v ON v.vid = r.current_vid WHERE r.res_type = '" + MEDICATION + "' AND r.res_id = ANY(?)")) {
            s.setArray(1, c.createArrayOf("text", medications.stream().map(m -> m.substring(MEDICATION.length() + 1)).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    EnumSet<SensitiveCategory> categories = EnumSet.noneOf(SensitiveCategory.class);
                    for (String code : (String[]) rs.getArray(2).getArray()) {
                        SensitiveCategory.fromCode(code).ifPresent(categories::add);
                    }
                    out.put(MEDICATION + "/" + rs.getString(1), categories);
                }
            }
        }
        return out;
    }
}
