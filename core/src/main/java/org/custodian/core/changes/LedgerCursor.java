package org.custodian.core.changes;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A follower's place in the ledger, in a one-row table ({@code id = 1, next_idx}), for work that must see every entry
 * exactly once however many server processes run it (the notifier, the statistics counter). Each pass, in one
 * transaction: {@link #claim} the cursor (or learn that another process holds it), read up to {@link #integratedSize}
 * (below which every index is an entry or a filled gap and nothing more can commit), do the work, {@link #advance}: the
 * work and the move commit together, so a pass that fails repeats and one that commits is never repeated.
 */
public final class LedgerCursor {
    private final String table;

    /** @param table the cursor's table, e.g. {@code notification_cursor}; a constant of the caller's, never user input */
    public LedgerCursor(String table) {
        requireNonNull(table, "table is null");
        if (!table.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        this.table = table;
    }

    /** The next index to follow, locked until the transaction ends; -1 when another process holds the cursor. */
    public long claim(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT next_idx FROM " + table + " WHERE id = 1 FOR UPDATE SKIP LOCKED");
                ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    /** The integrated tree's size: every index below it is an entry or a filled gap, and nothing more can commit there. */
    public static long integratedSize(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT size FROM ledger_tree WHERE id = 1"); ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the ledger has no tree row yet");
            }
            return rs.getLong(1);
        }
    }

    /** Moves the claimed cursor to {@code next}, in the transaction that did the work up to it. */
    public void advance(Connection c, long next) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE " + table + " SET next_idx = ? WHERE id = 1")) {
            s.setLong(1, next);
            s.executeUpdate();
        }
    }
}
