package org.custodian.records.transfer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code record_imports} table (migration V5): per file content (SHA-256), how many units an import
 * has committed and whether it finished. Units are bundles (a bundle file is one) or NDJSON lines.
 *
 * <p>A unit's progress is written just after the unit's own transaction commits, not in it. A run that
 * stops between the two loads that unit again when resumed, which changes nothing: what it would write
 * is already current, and an import of unchanged content makes no new version.
 */
final class ImportJournal {
    private final DataSource ds;

    ImportJournal(DataSource ds) {
        this.ds = ds;
    }

    /** What earlier runs did with this content. */
    record Status(String name, long doneUnits, boolean finished, Instant updatedAt) {}

    Optional<Status> status(Connection c, String sha256) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT name, done_units, finished, updated_at FROM record_imports WHERE sha256 = ?")) {
            s.setString(1, sha256);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new Status(rs.getString(1), rs.getLong(2), rs.getBoolean(3), rs.getTimestamp(4).toInstant()))
                        : Optional.empty();
            }
        }
    }

    /** Notes that this content is being loaded (under this name), if no earlier run did. */
    void begin(Connection c, String sha256, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO record_imports (sha256, name) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING")) {
            s.setString(1, sha256);
            s.setString(2, name);
            s.executeUpdate();
        }
    }

    /** Records that the first {@code doneUnits} units are committed, and whether that is all of them. */
    void progress(String sha256, long doneUnits, boolean finished) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("UPDATE record_imports SET done_units = greatest(done_units, ?),"
                        + " finished = finished OR ?, updated_at = now() WHERE sha256 = ?")) {
            s.setLong(1, doneUnits);
            s.setBoolean(2, finished);
            s.setString(3, sha256);
            s.executeUpdate();
        }
    }

    /**
     * Holds a session lock on this content for as long as {@code c} holds it, so that two imports of the
     * same file at once take turns rather than both loading it: the second then finds it finished.
     */
    void lock(Connection c, String sha256) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_lock(hashtextextended('custodian-import:' || ?, 0))")) {
            s.setString(1, sha256);
            s.executeQuery().close();
        }
    }

    void unlock(Connection c, String sha256) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_unlock(hashtextextended('custodian-import:' || ?, 0))")) {
            s.setString(1, sha256);
            s.executeQuery().close();
        }
    }
}
