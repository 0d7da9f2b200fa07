package org.custodian.records.bulk;

import static java.util.Objects.requireNonNull;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.custodian.core.changes.Transactions;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.records.access.PatientAccess;
import org.custodian.records.store.RecordsUnavailableException;

/**
 * The export tables ({@code record_exports}, {@code record_export_patients}, {@code record_export_files},
 * migration V5) and the queries an export runs on {@code record_versions}, "as of" its snapshot as
 * {@code Search} does: every vid up to the snapshot, each version current at it.
 */
final class ExportStore {
    private static final String JOB_COLUMNS = "id, person_id, organisation, request_url, level, types, since, snapshot, status, progress,"
            + " error, created_at, ledger_index";
    private static final String AS_OF = " v.vid <= ? AND (v.superseded_by IS NULL OR v.superseded_by > ?)";
    private static final String UNFINISHED = "('queued', 'running')";

    private final DataSource ds;

    ExportStore(DataSource ds) {
        this.ds = requireNonNull(ds, "ds is null");
    }

    /** A version as exported: its place in the order of versions (for paging) and its JSON. */
    record Row(long vid, String content) {}

    // ---------------------------------------------------------------- jobs

    void insert(ExportJob job, String runner) {
        update("INSERT INTO record_exports (id, person_id, organisation, request_url, level, types, since, snapshot, status, progress,"
                + " created_at, runner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)", job.id(), job.personId(), job.organisation(),
                job.request().requestUrl(), job.request().level().code(),
                job.request().allTypes() ? null : job.request().types().toArray(String[]::new), job.request().since(), job.snapshot(),
                job.progress(), job.transactionTime(), runner);
    }

    Optional<ExportJob> find(String id) {
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + JOB_COLUMNS + " FROM record_exports WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(job(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static ExportJob job(ResultSet rs) throws SQLException {
        Array types = rs.getArray(6);
        Timestamp since = rs.getTimestamp(7);
        ExportRequest request = new ExportRequest(ExportRequest.Level.fromCode(rs.getString(5)),
                types == null ? List.of() : Arrays.asList((String[]) types.getArray()), since == null ? null : since.toInstant(),
                rs.getString(4));
        long ledgerIndex = rs.getLong(13);
        if (rs.wasNull()) {
            ledgerIndex = -1;
        }
        return new ExportJob(rs.getString(1), rs.getString(2), rs.getString(3), request, rs.getLong(8), rs.getTimestamp(12).toInstant(),
                ExportJob.Status.fromCode(rs.getString(9)), rs.getString(10), rs.getString(11), ledgerIndex);
    }

    /** Moves a queued job to running; false if it is no longer queued (cancelled, or failed as stale). */
    boolean claim(String id, String progress) {
        return update("UPDATE record_exports SET status = 'running', progress = ?, heartbeat_at = now() WHERE id = ? AND status = 'queued'",
                progress, id) == 1;
    }

    /** Records progress (and that the job is alive); false if the job is no longer running (cancelled or failed). */
    boolean progress(String id, String progress) {
        return update("UPDATE record_exports SET progress = ?, heartbeat_at = now() WHERE id = ? AND status = 'running'", progress, id) == 1;
    }

    /** Says that these jobs' process is alive. */
    void heartbeat(Collection<String> ids) {
        if (!ids.isEmpty()) {
            update("UPDATE record_exports SET heartbeat_at = now() WHERE id = ANY(?) AND status IN " + UNFINISHED, (Object) ids.toArray(String[]::new));
        }
    }

    /**
     * Marks failed every unfinished job whose process has not said it is alive for {@code age} (it
     * stopped, or lost its database), and deletes what they had written; returns their ids.
     */
    List<String> failStale(Duration age, String error) {
        return inTransaction(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("UPDATE record_exports SET status = 'failed', error = ?, progress = NULL,"
                    + " finished_at = now() WHERE status IN " + UNFINISHED + " AND heartbeat_at < now() - ? * interval '1 millisecond'"
                    + " RETURNING id")) {
                s.setString(1, error);
                s.setLong(2, age.toMillis());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            for (String id : ids) {
                deleteWorking(c, id);
            }
            return ids;
        });
    }

    /** Marks a queued or running job failed and deletes what it wrote; false if it had already finished. */
    boolean fail(String id, String error) {
        return inTransaction(c -> {
            boolean failed = update(c, "UPDATE record_exports SET status = 'failed', error = ?, progress = NULL, finished_at = now()"
                    + " WHERE id = ? AND status IN " + UNFINISHED, error, id) == 1;
            deleteWorking(c, id);
            return failed;
        });
    }

    /**
     * Cancels a job, whatever its state, and deletes its files (a complete export's too, as the IG's
     * DELETE asks); false if it was already cancelled. A running job notices at its next step and stops.
     */
    boolean cancel(String id) {
        return inTransaction(c -> {
            boolean cancelled = update(c, "UPDATE record_exports SET status = 'cancelled', progress = NULL,"
                    + " finished_at = coalesce(finished_at, now()) WHERE id = ? AND status <> 'cancelled'", id) == 1;
            deleteWorking(c, id);
            return cancelled;
        });
    }

    /** Deletes what a job that stopped had written (files and its permitted patients). */
    void discard(String id) {
        inTransaction(c -> {
            deleteWorking(c, id);
            return null;
        });
    }

    private static void deleteWorking(Connection c, String id) throws SQLException {
        update(c, "DELETE FROM record_export_files WHERE export_id = ?", id);
        update(c, "DELETE FROM record_export_patients WHERE export_id = ?", id);
    }

    /**
     * Completes a running job: appends its ledger entry and marks it complete in one transaction (the
     * files are served if and only if the entry exists), and drops its working list of patients.
     *
     * @return the entry's ledger index, or -1 if the job was no longer running (cancelled meanwhile)
     */
    long complete(String id, LedgerEntry entry, PostgresLogStore ledger) {
        return inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT status FROM record_exports WHERE id = ? FOR UPDATE")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next() || !rs.getString(1).equals("running")) {
                        return -1L;
                    }
                }
            }
            long index = ledger.appendWithin(c, entry);
            update(c, "UPDATE record_exports SET status = 'complete', progress = NULL, finished_at = now(), ledger_index = ? WHERE id = ?",
                    index, id);
            update(c, "DELETE FROM record_export_patients WHERE export_id = ?", id);
            return index;
        });
    }

    // ---------------------------------------------------------------- the export's queries

    /**
     * The next {@code limit} patients (by id, after {@code after}) with a version current at the snapshot
     * of one of these types (null: any) changed at or after {@code since} (null: ever).
     */
    List<String> patientsAfter(long snapshot, String after, String[] types, Instant since, int limit) {
        StringBuilder sql = new StringBuilder("SELECT DISTINCT v.patient_id FROM record_versions v WHERE v.patient_id IS NOT NULL"
                + " AND v.patient_id > ? AND" + AS_OF);
        List<Object> p = new ArrayList<>(List.of(after, snapshot, snapshot));
        if (types != null) {
            sql.append(" AND v.res_type = ANY(?)");
            p.add(types);
        }
        if (since != null) {
            sql.append(" AND v.last_updated >= ?");
            p.add(since);
        }
        sql.append(" ORDER BY v.patient_id LIMIT ?");
        p.add(limit);
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql.toString())) {
            bind(c, s, p.toArray());
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

    /** Adds patients the gate permitted to the job's working list, with the categories each withholds. */
    void permit(String id, Collection<PatientAccess> permitted) {
        if (permitted.isEmpty()) {
            return;
        }
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO record_export_patients (export_id, patient_id, withheld) VALUES (?, ?, ?)")) {
            for (PatientAccess a : permitted) {
                s.setString(1, id);
                s.setString(2, a.patientId());
                s.setArray(3, c.createArrayOf("text", a.withheld().stream().map(SensitiveCategory::code).toArray()));
                s.addBatch();
            }
            s.executeBatch();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * The next {@code limit} versions of {@code type} current at the snapshot (by vid, after
     * {@code afterVid}), changed at or after {@code since} (null: ever). With {@code exportId}, only those
     * in the records of that job's permitted patients and not in a category the patient withholds;
     * without, directory data (versions in no patient's record).
     */
    List<Row> page(String exportId, String type, long snapshot, long afterVid, Instant since, int limit) {
        StringBuilder sql = new StringBuilder("SELECT v.vid, v.content FROM record_versions v");
        List<Object> p = new ArrayList<>();
        if (exportId != null) {
            sql.append(" JOIN record_export_patients e ON e.export_id = ? AND e.patient_id = v.patient_id");
            p.add(exportId);
        }
        sql.append(" WHERE v.res_type = ? AND v.vid > ? AND").append(AS_OF);
        p.addAll(List.of(type, afterVid, snapshot, snapshot));
        if (exportId != null) {
            sql.append(" AND NOT (v.categories && e.withheld)");
        } else {
            // Directory data only: a Medication in a patient's record goes out with that record, if at all.
            sql.append(" AND v.patient_id IS NULL");
        }
        if (since != null) {
            sql.append(" AND v.last_updated >= ?");
            p.add(since);
        }
        sql.append(" ORDER BY v.vid LIMIT ?");
        p.add(limit);
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql.toString())) {
            bind(c, s, p.toArray());
            List<Row> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(rs.getLong(1), rs.getString(2)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    // ---------------------------------------------------------------- files

    void insertFile(String id, String name, boolean error, String type, int count, byte[] sha256, byte[] content) {
        update("INSERT INTO record_export_files (export_id, name, kind, res_type, resource_count, sha256, content) VALUES (?, ?, ?, ?, ?, ?, ?)",
                id, name, error ? "error" : "output", type, count, sha256, content);
    }

    /** A complete job's files, outputs first, each kind in the order written. */
    List<ExportFile> files(String id) {
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT f.name, f.kind, f.res_type, f.resource_count FROM record_export_files f"
                        + " JOIN record_exports e ON e.id = f.export_id WHERE f.export_id = ? AND e.status = 'complete'"
                        + " ORDER BY f.kind DESC, f.res_type, length(f.name), f.name")) {
            s.setString(1, id);
            List<ExportFile> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new ExportFile(rs.getString(1), rs.getString(2).equals("error"), rs.getString(3), rs.getInt(4)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** A file's bytes, if it exists and its job is complete. */
    Optional<byte[]> content(String id, String name) {
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT f.content FROM record_export_files f JOIN record_exports e ON e.id = f.export_id"
                        + " WHERE f.export_id = ? AND f.name = ? AND e.status = 'complete'")) {
            s.setString(1, id);
            s.setString(2, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    // ---------------------------------------------------------------- helpers

    private <T> T inTransaction(Transactions.Work<T> work) {
        try {
            return Transactions.run(ds, work);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private int update(String sql, Object... params) {
        try (Connection c = ds.getConnection()) {
            return update(c, sql, params);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(c, s, params);
            return s.executeUpdate();
        }
    }

    private static void bind(Connection c, PreparedStatement s, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant t) {
                s.setTimestamp(i + 1, Timestamp.from(t));
            } else if (p instanceof String[] a) {
                s.setArray(i + 1, c.createArrayOf("text", a));
            } else if (p == null) {
                s.setNull(i + 1, java.sql.Types.NULL);
            } else {
                s.setObject(i + 1, p);
            }
        }
    }

    private static RecordsUnavailableException unavailable(SQLException e) {
        return new RecordsUnavailableException("the export tables are unavailable: " + e.getMessage(), e);
    }
}
