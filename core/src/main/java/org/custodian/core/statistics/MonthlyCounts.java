package org.custodian.core.statistics;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The raw counts of whole calendar months (Europe/London) from {@code first} to {@code last}, as the follower has
 * counted them (V14), with the consent counts of now, all read in one snapshot. Raw and private: everything taken
 * from here MUST go through {@link SmallNumbers} (or {@link Tabulation}) before it is published.
 *
 * @param entriesCounted every ledger entry with an index below this is counted, and none above
 * @param checkpointAt when the checkpoint of exactly {@code entriesCounted} entries was signed, if there is one
 * @param treeSize the integrated tree's size when read
 * @param decisions each decision's month, decision, purpose, requester's sector and organisation, with its count
 * @param refusalReasons each refusal reason's month and requester's sector, with its count
 * @param patientsRegistered patients registered now
 * @param optedOut purpose group code to the patients who said no to it now
 */
public record MonthlyCounts(long entriesCounted, Optional<Instant> checkpointAt, long treeSize, List<Decisions> decisions,
        List<Reasons> refusalReasons, long patientsRegistered, Map<String, Long> optedOut) {

    public MonthlyCounts {
        requireNonNull(checkpointAt, "checkpointAt is null");
        decisions = List.copyOf(decisions);
        refusalReasons = List.copyOf(refusalReasons);
        optedOut = Map.copyOf(optedOut);
    }

    /** Decisions of one kind in one month. */
    public record Decisions(YearMonth month, String decision, String purpose, String sector, String organisation, long count) {
        public boolean permitted() {
            return decision.equals("permit");
        }
    }

    /** Refusals giving one reason, to one sector, in one month. */
    public record Reasons(YearMonth month, String sector, String reason, long count) {}

    /** The counts of the months from {@code first} to {@code last}, both included. */
    public static MonthlyCounts read(DataSource dataSource, YearMonth first, YearMonth last) {
        requireNonNull(dataSource, "dataSource is null");
        if (last.isBefore(first)) {
            throw new IllegalArgumentException("the last month " + last + " is before the first " + first);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            // One snapshot: the counts, the cursor they belong to, and the tree, as of the same moment.
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                long counted = single(c, "SELECT next_idx FROM statistics_cursor WHERE id = 1");
                long size = single(c, "SELECT size FROM ledger_tree WHERE id = 1");
                Optional<Instant> checkpointAt = Optional.empty();
                try (PreparedStatement s = c.prepareStatement("SELECT created_at FROM ledger_checkpoints WHERE size = ?")) {
                    s.setLong(1, counted);
                    try (ResultSet rs = s.executeQuery()) {
                        if (rs.next()) {
                            checkpointAt = Optional.of(rs.getTimestamp(1).toInstant());
                        }
                    }
                }
                List<Decisions> decisions = new ArrayList<>();
                List<Reasons> reasons = new ArrayList<>();
                long patients = 0;
                Map<String, Long> optedOut = new HashMap<>();
                // Months as YYYY-MM sort as text, so the range is a range of the primary key.
                try (PreparedStatement s = c.prepareStatement("SELECT measure, grp, key, count FROM statistics_counts"
                        + " WHERE (measure IN ('month.access', 'month.deny.reason') AND grp BETWEEN ? AND ?)"
                        + " OR measure IN ('consent.patients', 'consent.opt-out') ORDER BY measure, grp, key")) {
                    s.setString(1, first.toString());
                    s.setString(2, last.toString());
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            String measure = rs.getString(1);
                            String key = rs.getString(3);
                            long count = Math.max(0, rs.getLong(4));
                            switch (measure) {
                                case "month.access" -> {
                                    String[] k = key.split("\\|", 4);
                                    if (k.length == 4) {
                                        decisions.add(new Decisions(YearMonth.parse(rs.getString(2)), k[0], k[1], k[2], k[3], count));
                                    }
                                }
                                case "month.deny.reason" -> {
                                    String[] k = key.split("\\|", 2);
                                    if (k.length == 2) {
                                        reasons.add(new Reasons(YearMonth.parse(rs.getString(2)), k[0], k[1], count));
                                    }
                                }
                                case "consent.patients" -> patients += count;
                                default -> optedOut.merge(key, count, Long::sum);
                            }
                        }
                    }
                }
                c.commit();
                return new MonthlyCounts(counted, checkpointAt, size, decisions, reasons, patients, optedOut);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setReadOnly(false);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StatisticsUnavailableException("cannot read the statistics: " + e.getMessage(), e);
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
