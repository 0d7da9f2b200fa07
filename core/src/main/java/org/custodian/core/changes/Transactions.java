package org.custodian.core.changes;

import java.sql.Connection;
import java.sql.SQLException;

/** Small helpers for the explicit transactions the stores use. */
public final class Transactions {
    private Transactions() {}

    /**
     * Rolls back after {@code failure} without hiding it: a rollback that fails too (the connection
     * is gone, which is often why the transaction failed) is attached as suppressed.
     */
    public static void rollback(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** Work done on a connection inside one transaction. */
    public interface Work<T> {
        T run(java.sql.Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on a connection from {@code ds}: committed if it returns,
     * rolled back if it throws (the failure passed on, a failed rollback attached to it), and the
     * connection handed back in autocommit either way.
     */
    public static <T> T run(javax.sql.DataSource ds, Work<T> work) throws SQLException {
        Connection c = ds.getConnection();
        try {
            c.setAutoCommit(false);
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollback(c, e);
            throw e;
        } finally {
            try {
                c.setAutoCommit(true);
                c.close();
            } catch (SQLException ignored) {
                // the pool discards a broken connection
            }
        }
    }
}
