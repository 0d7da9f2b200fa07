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
}
