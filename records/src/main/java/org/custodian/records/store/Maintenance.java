package org.custodian.records.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Upkeep after a bulk load. PostgreSQL's autovacuum gets to new rows in its own time; until it does, a
 * count of a patient's records (a search's total) visits every row in the table rather than only the
 * index, and the planner's statistics predate the load. {@code VACUUM (ANALYZE)} does both at once.
 */
public final class Maintenance {
    /** Loads smaller than this are left to autovacuum. */
    public static final long BULK_LOAD = 10_000;

    private static final String[] TABLES = {"record_versions", "record_resources", "record_strings", "record_dates", "record_patients"};

    private Maintenance() {}

    /**
     * Vacuums and analyses the records' tables (outside any transaction; other work goes on meanwhile).
     *
     * @throws RecordsUnavailableException if the database fails
     */
    public static void vacuumAnalyze(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("VACUUM (ANALYZE) " + String.join(", ", TABLES));
        } catch (SQLException e) {
            throw new RecordsUnavailableException("cannot vacuum the records' tables: " + e.getMessage(), e);
        }
    }
}
