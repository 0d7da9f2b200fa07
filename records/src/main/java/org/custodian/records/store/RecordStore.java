package org.custodian.records.store;

import static java.util.Objects.requireNonNull;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.custodian.core.changes.Transactions;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.records.index.FhirDates;
import org.custodian.records.index.IndexValues;
import org.custodian.records.index.MedicationLinks;

/**
 * FHIR resources in PostgreSQL, every version kept (tables {@code record_*}, migration V5). Writes are
 * all or nothing and carry their ledger entries in the same transaction: a version exists if and only if
 * the entry recording it does (invariant 2). A version's sensitive categories include those of the
 * Medication it refers to, kept so as Medications change ({@link MedicationCategories}). Reads return
 * versions as stored; deciding who may see them is the caller's business ({@code RecordAccess}).
 */
public final class RecordStore {
    private static final String VERSION_COLUMNS = RecordQueries.COLUMNS;
    private static final String VERSION_FROM = RecordQueries.FROM;

    private final DataSource ds;
    private final PostgresLogStore ledger;
    private final Clock clock;

    public RecordStore(DataSource ds, PostgresLogStore ledger, Clock clock) {
        this.ds = requireNonNull(ds, "ds is null");
        this.ledger = requireNonNull(ledger, "ledger is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public DataSource dataSource() {
        return ds;
    }

    /** Builds the ledger entries that record a write, once its versions are known. */
    public interface Recorder {
        /**
         * @param changed the outcomes that made a new version (never empty)
         * @return one entry per patient compartment, keyed by patient id ("" for directory data)
         */
        Map<String, LedgerEntry> entries(List<WriteOutcome> changed);
    }

    // ---------------------------------------------------------------- reads

    /** The current version, if the resource exists. */
    public Optional<StoredVersion> read(String type, String id) {
        return one("SELECT " + VERSION_COLUMNS + VERSION_FROM
                + " JOIN record_resources r ON r.current_vid = v.vid WHERE r.res_type = ? AND r.res_id = ?", type, id);
    }

    /**
     * The current versions of many resources in one statement ({@link CoalescedReads} gathers concurrent reads
     * into it), by reference ({@code Type/id}); resources that do not exist are absent from the answer.
     */
    public Map<String, StoredVersion> readCurrent(Collection<String> references) {
        Map<String, StoredVersion> out = new HashMap<>();
        if (references.isEmpty()) {
            return out;
        }
        TypesAndIds keys = TypesAndIds.of(references);
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement("SELECT " + VERSION_COLUMNS
                + " FROM unnest(?::text[], ?::text[]) AS q(res_type, res_id)"
                + " JOIN record_resources r ON r.res_type = q.res_type AND r.res_id = q.res_id"
                + " JOIN record_versions v ON v.vid = r.current_vid LEFT JOIN record_patients p ON p.patient_id = v.patient_id")) {
            keys.bind(c, s);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    StoredVersion v = version(rs);
                    out.put(v.reference(), v);
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    public Optional<StoredVersion> vread(String type, String id, int version) {
        return one("SELECT " + VERSION_COLUMNS + VERSION_FROM + " WHERE v.res_type = ? AND v.res_id = ? AND v.version = ?", type, id, version);
    }

    /** Every version of one resource, newest first. */
    public List<StoredVersion> history(String type, String id, int offset, int count) {
        return many("SELECT " + VERSION_COLUMNS + VERSION_FROM + " WHERE v.res_type = ? AND v.res_id = ? ORDER BY v.version DESC LIMIT ? OFFSET ?",
                type, id, count, offset);
    }

    /** How many versions the resource has (0: it does not exist). */
    public int versionCount(String type, String id) {
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT current_version FROM record_resources WHERE res_type = ? AND res_id = ?")) {
            s.setString(1, type);
            s.setString(2, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The newest vid: a search "as of" it sees every version committed so far. */
    public long snapshot() {
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT coalesce(max(vid), 0) FROM record_versions");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The NHS number a Patient is linked by, if it has one. */
    public Optional<NhsNumber> nhsNumber(String patientId) {
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT nhs_number FROM record_patients WHERE patient_id = ?")) {
            s.setString(1, patientId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getString(1) != null ? Optional.of(new NhsNumber(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The Patient ids linked to this NHS number, sorted (usually one; more if a record was duplicated). */
    public List<String> patientIds(NhsNumber nhsNumber) {
        return ids("SELECT patient_id FROM record_patients WHERE nhs_number = ? ORDER BY patient_id", List.of(nhsNumber.value()));
    }

    /**
     * For each of these Patients that exists, its NHS number (empty when it has none); Patients that do
     * not exist are absent from the answer.
     */
    public Map<String, Optional<NhsNumber>> patientLinks(Collection<String> patientIds) {
        Map<String, Optional<NhsNumber>> out = new HashMap<>();
        if (patientIds.isEmpty()) {
            return out;
        }
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT patient_id, nhs_number FROM record_patients WHERE patient_id = ANY(?)")) {
            s.setArray(1, c.createArrayOf("text", patientIds.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String nhs = rs.getString(2);
                    out.put(rs.getString(1), nhs == null ? Optional.empty() : Optional.of(new NhsNumber(nhs)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** For each of these resources (Type/id) that exists, the patient its current version belongs to (directory data absent). */
    public Map<String, String> currentPatients(Collection<String> references) {
        Map<String, String> out = new HashMap<>();
        if (references.isEmpty()) {
            return out;
        }
        TypesAndIds keys = TypesAndIds.of(references);
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement("SELECT r.res_type, r.res_id, v.patient_id"
                + " FROM record_resources r JOIN record_versions v ON v.vid = r.current_vid"
                + " WHERE (r.res_type, r.res_id) IN (SELECT * FROM unnest(?::text[], ?::text[])) AND v.patient_id IS NOT NULL")) {
            keys.bind(c, s);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1) + "/" + rs.getString(2), rs.getString(3));
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The ids a query selecting one text column returns. */
    public List<String> ids(String sql, List<Object> params) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(c, s, params.toArray());
            List<String> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Runs a query whose select list is {@link RecordQueries#COLUMNS}. */
    public List<StoredVersion> query(String sql, List<Object> params) {
        return many(sql, params.toArray());
    }

    /** Runs a query returning one number (a count). */
    public long count(String sql, List<Object> params) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(c, s, params.toArray());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private Optional<StoredVersion> one(String sql, Object... params) {
        List<StoredVersion> l = many(sql, params);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    private List<StoredVersion> many(String sql, Object... params) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(c, s, params);
            List<StoredVersion> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(version(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    static StoredVersion version(ResultSet rs) throws SQLException {
        String nhs = rs.getString(7);
        return new StoredVersion(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getTimestamp(5).toInstant(),
                rs.getString(6), nhs == null ? null : new NhsNumber(nhs), categories(rs.getArray(8)), rs.getString(9));
    }

    private static Set<SensitiveCategory> categories(Array a) throws SQLException {
        String[] codes = (String[]) a.getArray();
        if (codes.length == 0) {
            return Set.of();
        }
        EnumSet<SensitiveCategory> s = EnumSet.noneOf(SensitiveCategory.class);
        for (String code : codes) {
            SensitiveCategory.fromCode(code).ifPresent(s::add);
        }
        return s;
    }

    private static void bind(Connection c, PreparedStatement s, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant t) {
                s.setTimestamp(i + 1, Timestamp.from(t));
            } else if (p instanceof String[] a) {
                s.setArray(i + 1, c.createArrayOf("text", a));
            } else {
                s.setObject(i + 1, p);
            }
        }
    }

    // ---------------------------------------------------------------- writes

    /**
     * Stores the versions in one transaction with the ledger entries that record them, and returns what
     * happened to each, in order. Nothing is stored if anything fails.
     *
     * @throws VersionConflictException if an expected version is not current, or a concurrent write to the same resource won
     */
    public List<WriteOutcome> write(List<NewVersion> versions, Recorder recorder) {
        requireNonNull(recorder, "recorder is null");
        if (versions.isEmpty()) {
            return List.of();
        }
        try {
            return Transactions.run(ds, c -> writeWithin(c, versions, recorder));
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new VersionConflictException("another write to the same resource committed first; retry");
            }
            throw unavailable(e);
        }
    }

    private record Current(int version, long vid, byte[] hash, String content, Instant lastUpdated, String patientId) {}

    private List<WriteOutcome> writeWithin(Connection c, List<NewVersion> versions, Recorder recorder) throws SQLException {
        Map<String, Current> current = lockCurrent(c, versions);
        MedicationCategories.lock(c, versions);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String lastUpdated = DateTimeFormatter.ISO_INSTANT.format(now);

        // 1. What each write does: a new resource, a new version, or nothing.
        List<WriteOutcome> outcomes = new ArrayList<>(versions.size());
        List<NewVersion> toStore = new ArrayList<>();
        List<WriteOutcome> stored = new ArrayList<>();
        List<Integer> storedAt = new ArrayList<>();
        Map<String, Integer> nextVersion = new HashMap<>();
        for (NewVersion v : versions) {
            String ref = v.reference();
            Current cur = current.get(ref);
            Integer planned = nextVersion.get(ref);
            int base = planned != null ? planned : (cur == null ? 0 : cur.version());
            if (v.mode() == NewVersion.Mode.CREATE && base > 0) {
                throw new VersionConflictException(ref + " already exists");
            }
            if (cur != null && cur.patientId() != null && !cur.patientId().equals(v.patientId()) && MedicationLinks.MEDICATION.equals(v.type())) {
                // The writer gave the Medication the patient it read as current before this transaction; a
                // write since has put it in a patient's record, which it MUST NOT leave this way.
                throw new VersionConflictException(ref + " was put in a patient's record by another write meanwhile; retry");
            }
            if (v.expectedVersion() > 0 && v.expectedVersion() != base) {
                throw new VersionConflictException(ref + " is at version " + base + ", not " + v.expectedVersion());
            }
            if (planned == null && cur != null && Arrays.equals(cur.hash(), v.contentHash())) {
                outcomes.add(new WriteOutcome(v.type(), v.id(), cur.version(), cur.lastUpdated(), WriteOutcome.Status.UNCHANGED, cur.content(),
                        v.patientId(), -1));
                continue;
            }
            int version = base + 1;
            Instant updated = now;
            String updatedText = lastUpdated;
            if (base == 0 && v.imported() != null) {
                // New here and moved from another deployment: it keeps its version and time.
                version = v.imported().version();
                updated = v.imported().lastUpdated();
                updatedText = DateTimeFormatter.ISO_INSTANT.format(updated);
            }
            nextVersion.put(ref, version);
            String content = MetaSplice.withVersion(v.json(), v.type(), v.id(), version, updatedText);
            WriteOutcome o = new WriteOutcome(v.type(), v.id(), version, updated,
                    base == 0 ? WriteOutcome.Status.CREATED : WriteOutcome.Status.UPDATED, content, v.patientId(), -1);
            storedAt.add(outcomes.size());
            outcomes.add(o);
            toStore.add(v);
            stored.add(o);
        }
        if (toStore.isEmpty()) {
            return outcomes;
        }

        // 2. The ledger entries first, in this transaction: the rows below carry their indexes.
        Map<String, Long> ledgerIndex = new HashMap<>();
        for (Map.Entry<String, LedgerEntry> e : recorder.entries(stored).entrySet()) {
            ledgerIndex.put(e.getKey(), ledger.appendWithin(c, e.getValue()));
        }

        for (int i = 0; i < stored.size(); i++) {
            WriteOutcome o = stored.get(i);
            Long index = ledgerIndex.get(o.patientId() == null ? "" : o.patientId());
            WriteOutcome recorded = o.recordedAt(index == null ? -1 : index);
            stored.set(i, recorded);
            outcomes.set(storedAt.get(i), recorded);
        }

        // 3. The versions, their index values, and the resources' current pointers.
        long[] vids = allocateVids(c, toStore.size());
        insertVersions(c, toStore, MedicationCategories.inherit(c, toStore), stored, vids, now, ledgerIndex);
        insertIndexValues(c, toStore, vids);
        Map<String, Long> previous = new HashMap<>();
        for (Map.Entry<String, Current> e : current.entrySet()) {
            previous.put(e.getKey(), e.getValue().vid());
        }
        try (PreparedStatement supersede = c.prepareStatement("UPDATE record_versions SET superseded_by = ? WHERE vid = ?");
                PreparedStatement upsert = c.prepareStatement("INSERT INTO record_resources (res_type, res_id, current_version, current_vid)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT (res_type, res_id) DO UPDATE"
                        + " SET current_version = excluded.current_version, current_vid = excluded.current_vid")) {
            for (int i = 0; i < toStore.size(); i++) {
                NewVersion v = toStore.get(i);
                Long prev = previous.put(v.reference(), vids[i]);
                if (prev != null) {
                    supersede.setLong(1, vids[i]);
                    supersede.setLong(2, prev);
                    supersede.addBatch();
                }
                upsert.setString(1, v.type());
                upsert.setString(2, v.id());
                upsert.setInt(3, stored.get(i).version());
                upsert.setLong(4, vids[i]);
                upsert.addBatch();
            }
            supersede.executeBatch();
            upsert.executeBatch();
        }
        linkPatients(c, toStore);
        // 4. Resources already stored that refer to a Medication written here take on its categories.
        MedicationCategories.widenReferrers(c, toStore);
        return outcomes;
    }

    private Map<String, Current> lockCurrent(Connection c, List<NewVersion> versions) throws SQLException {
        Map<String, NewVersion> distinct = new LinkedHashMap<>();
        for (NewVersion v : versions) {
            if (v.mode() == NewVersion.Mode.PUT || v.expectedVersion() > 0) {
                distinct.putIfAbsent(v.reference(), v);
            }
        }
        Map<String, Current> out = new HashMap<>();
        if (distinct.isEmpty()) {
            return out;
        }
        TypesAndIds keys = new TypesAndIds(distinct.values().stream().map(NewVersion::type).toArray(String[]::new),
                distinct.values().stream().map(NewVersion::id).toArray(String[]::new));
        // Locked in one order, so that two writers of overlapping resources cannot deadlock.
        try (PreparedStatement s = c.prepareStatement("SELECT r.res_type, r.res_id, r.current_version, r.current_vid, v.content_hash,"
                + " v.content, v.last_updated, v.patient_id FROM record_resources r JOIN record_versions v ON v.vid = r.current_vid"
                + " WHERE (r.res_type, r.res_id) IN (SELECT * FROM unnest(?::text[], ?::text[]))"
                + " ORDER BY r.res_type, r.res_id FOR UPDATE OF r")) {
            keys.bind(c, s);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1) + "/" + rs.getString(2),
                            new Current(rs.getInt(3), rs.getLong(4), rs.getBytes(5), rs.getString(6), rs.getTimestamp(7).toInstant(),
                            rs.getString(8)));
                }
            }
        }
        return out;
    }

    private static long[] allocateVids(Connection c, int n) throws SQLException {
        long[] vids = new long[n];
        try (PreparedStatement s = c.prepareStatement("SELECT nextval('record_versions_vid_seq') FROM generate_series(1, ?)")) {
            s.setInt(1, n);
            try (ResultSet rs = s.executeQuery()) {
                for (int i = 0; i < n; i++) {
                    rs.next();
                    vids[i] = rs.getLong(1);
                }
            }
        }
        Arrays.sort(vids);
        return vids;
    }

    /** @param categories each version's categories, its Medication's included ({@link MedicationCategories#inherit}) */
    private static void insertVersions(Connection c, List<NewVersion> toStore, List<Set<SensitiveCategory>> categories, List<WriteOutcome> stored,
            long[] vids, Instant now, Map<String, Long> ledgerIndex) throws SQLException {
        CopyText rows = new CopyText();
        for (int i = 0; i < toStore.size(); i++) {
            NewVersion v = toStore.get(i);
            IndexValues ix = v.index();
            Long index = ledgerIndex.get(v.patientId() == null ? "" : v.patientId());
            rows.column(vids[i]).column(v.type()).column(v.id()).column(stored.get(i).version()).column(stored.get(i).lastUpdated())
                    .column(v.patientId()).array(categories.get(i).stream().map(SensitiveCategory::code).toList()).array(ix.tokens())
                    .column(ix.sortDate()).column(stored.get(i).content()).hex(v.contentHash())
                    .column(index == null ? null : Long.toString(index)).column(v.medication()).endRow();
        }
        copy(c, "COPY record_versions (vid, res_type, res_id, version, last_updated, patient_id, categories, tokens, sort_date, content,"
                + " content_hash, ledger_index, medication) FROM STDIN", rows);
    }

    private static void insertIndexValues(Connection c, List<NewVersion> toStore, long[] vids) throws SQLException {
        CopyText strings = new CopyText();
        CopyText dates = new CopyText();
        boolean anyStrings = false;
        boolean anyDates = false;
        for (int i = 0; i < toStore.size(); i++) {
            IndexValues ix = toStore.get(i).index();
            for (IndexValues.Named<String> s : ix.strings()) {
                strings.column(vids[i]).column(s.param()).column(s.value()).endRow();
                anyStrings = true;
            }
            for (IndexValues.Named<FhirDates.Range> d : ix.dates()) {
                dates.column(vids[i]).column(d.param()).column(d.value().low()).column(d.value().high()).endRow();
                anyDates = true;
            }
        }
        if (anyStrings) {
            copy(c, "COPY record_strings (vid, param, value) FROM STDIN", strings);
        }
        if (anyDates) {
            copy(c, "COPY record_dates (vid, param, low, high) FROM STDIN", dates);
        }
    }

    private static void copy(Connection c, String sql, CopyText rows) throws SQLException {
        try {
            c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn(sql, new java.io.StringReader(rows.text()));
        } catch (java.io.IOException e) {
            throw new SQLException("COPY failed: " + e.getMessage(), e);
        }
    }

    private static void linkPatients(Connection c, Collection<NewVersion> toStore) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO record_patients (patient_id, nhs_number) VALUES (?, ?)"
                + " ON CONFLICT (patient_id) DO UPDATE SET nhs_number = excluded.nhs_number")) {
            int n = 0;
            for (NewVersion v : toStore) {
                if ("Patient".equals(v.type())) {
                    s.setString(1, v.id());
                    s.setString(2, v.nhsNumber() == null ? null : v.nhsNumber().value());
                    s.addBatch();
                    n++;
                }
            }
            if (n > 0) {
                s.executeBatch();
            }
        }
    }

    /** Checks that {@code reference} is {@code Type/id} with a type, as every look-up by reference needs. */
    public static void checkReference(String reference) {
        if (reference.indexOf('/') <= 0) {
            throw new IllegalArgumentException("not a reference Type/id: " + reference);
        }
    }

    /** Resources by type and id, side by side, for the {@code unnest(?::text[], ?::text[])} of a look-up. */
    private record TypesAndIds(String[] types, String[] ids) {
        static TypesAndIds of(Collection<String> references) {
            String[] types = new String[references.size()];
            String[] ids = new String[references.size()];
            int i = 0;
            for (String r : references) {
                checkReference(r);
                int slash = r.indexOf('/');
                types[i] = r.substring(0, slash);
                ids[i++] = r.substring(slash + 1);
            }
            return new TypesAndIds(types, ids);
        }

        /** Binds the types and the ids as the statement's first two parameters. */
        void bind(Connection c, PreparedStatement s) throws SQLException {
            s.setArray(1, c.createArrayOf("text", types));
            s.setArray(2, c.createArrayOf("text", ids));
        }
    }

    static RecordsUnavailableException unavailable(SQLException e) {
        return new RecordsUnavailableException("the record store is unavailable: " + e.getMessage(), e);
    }
}
