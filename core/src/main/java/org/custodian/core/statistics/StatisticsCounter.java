package org.custodian.core.statistics;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.custodian.core.changes.LedgerCursor;
import org.custodian.core.changes.Transactions;

/**
 * Follows the ledger in index order and adds each entry to the public statistics' raw counts
 * ({@code statistics_counts}, V11), so that the statistics page never reads the ledger.
 *
 * <p>No entry is counted twice and none is missed, across restarts and with any number of server processes (as in
 * the notifier): one pass is one transaction that takes the cursor row {@code FOR UPDATE SKIP LOCKED}, counts only
 * entries below the integrated tree size (below which nothing more can commit), and moves the cursor in the same
 * commit as the counts. What is counted, per entry:
 * <ul>
 *   <li>{@code access.decision}: the decision ({@code access}) by month (Europe/London calendar month of its
 *       {@code time}), purpose, the requester's sector and organisation (grouped by that sector); a denial also
 *       ({@code deny}) under each of its reason codes; a break-glass access ({@code breakglass}) by month.
 *   <li>the same decisions by month for answers over a period (the FOI answers, V14): {@code month.access} with the
 *       month as its group and {@code decision|purpose|sector|organisation} as its key, and {@code month.deny.reason}
 *       with {@code sector|reason} (a reason code, sector code or purpose code holds no {@code |}; an organisation id
 *       may only be last).
 *   <li>{@code access.refused} (a request refused before the gate could decide: a bad token, a consent change by
 *       someone not entitled): by reason code only. Such an entry has no purpose, and its organisation is the one
 *       the request <em>claimed</em>, unverified when the token was bad: publishing it would let anyone with a
 *       forged token write into the public figures. A reason code that is not a plain code counts as {@code other}.
 *   <li>an entry whose content was erased before it was reached: {@code erased-uncounted}.
 * </ul>
 */
public final class StatisticsCounter {
    /** Entries per transaction at most; a pass that fills it is followed by another at once. */
    static final int BATCH = 20_000;
    private static final LedgerCursor CURSOR = new LedgerCursor("statistics_cursor");

    /** Reason codes as the rules write them; anything else in an access.refused entry is 'other'. */
    private static final String PLAIN_CODE = "'^[a-z][a-z0-9]*([.-][a-z0-9]+)*$'";

    /**
     * One statement: parse the batch's access entries once (the CTE is referenced several times, so PostgreSQL
     * materialises it), reduce the decisions to the fields that are counted and group them, turn each group into
     * the rows it counts towards, and add them up.
     *
     * <p>Grouping first: a busy ledger's decisions share a handful of combinations of hour, decision, purpose,
     * sector, organisation and break-glass, so the facts (about seven rows a decision) are made and summed per
     * group instead of per entry: a third less time on 20,000 decisions (docs/benchmarks.md). The
     * month is taken from the UTC hour: Europe/London is always a whole number of hours from UTC, so an hour never
     * straddles a London month, and {@code date_trunc} is told UTC so that the session's time zone cannot move it.
     */
    private static final String COUNT = """
            WITH batch AS (
                SELECT idx, content FROM ledger_entries WHERE idx >= ? AND idx < ?
            ), parsed AS (
                SELECT j FROM batch
                CROSS JOIN LATERAL (SELECT convert_from(batch.content, 'UTF8')::jsonb AS j OFFSET 0) p
                WHERE batch.content IS NOT NULL AND batch.content LIKE '%%"type":"access.%%'::bytea
            ), grouped AS (
                SELECT date_trunc('hour', (j ->> 'time')::timestamptz, 'UTC') AS hour,
                       j ->> 'decision' AS decision,
                       coalesce(j ->> 'purpose', '') AS purpose,
                       coalesce(j -> 'requester' ->> 'sector', '') AS sector,
                       coalesce(j -> 'requester' ->> 'organisation', '') AS organisation,
                       coalesce(j ->> 'breakGlass' = 'true', false) AS break_glass,
                       CASE WHEN j ->> 'decision' = 'deny' AND jsonb_typeof(j -> 'reasons') = 'array'
                            THEN j -> 'reasons' ELSE '[]'::jsonb END AS reasons,
                       count(*) AS n
                FROM parsed WHERE j ->> 'type' = 'access.decision' AND j ->> 'decision' IN ('permit', 'deny')
                GROUP BY 1, 2, 3, 4, 5, 6, 7
            ), decisions AS (
                SELECT to_char(hour AT TIME ZONE 'Europe/London', 'YYYY-MM') AS month,
                       decision, purpose, sector, organisation, break_glass, reasons, n
                FROM grouped
            ), facts (measure, grp, key, n) AS (
                SELECT f.measure, f.grp, f.key, n FROM decisions
                CROSS JOIN LATERAL (VALUES
                    ('access', '', ''),
                    ('access.month', '', month),
                    ('access.purpose', '', purpose),
                    ('access.sector', '', sector),
                    ('access.organisation', sector, organisation)
                ) f (measure, grp, key)
                UNION ALL
                SELECT 'deny', '', '', n FROM decisions WHERE decision = 'deny'
                UNION ALL
                SELECT 'deny.reason', '', r, n FROM decisions
                CROSS JOIN LATERAL jsonb_array_elements_text(reasons) r
                WHERE decision = 'deny'
                UNION ALL
                SELECT 'month.access', month, concat_ws('|', decision, purpose, sector, organisation), n FROM decisions
                UNION ALL
                SELECT 'month.deny.reason', month, concat_ws('|', sector, r), n FROM decisions
                CROSS JOIN LATERAL jsonb_array_elements_text(reasons) r
                WHERE decision = 'deny'
                UNION ALL
                SELECT f.measure, '', f.key, n FROM decisions
                CROSS JOIN LATERAL (VALUES ('breakglass', ''), ('breakglass.month', month)) f (measure, key)
                WHERE break_glass
                UNION ALL
                SELECT f.measure, '', f.key, 1 FROM parsed
                CROSS JOIN LATERAL (VALUES ('refused', ''),
                    ('refused.reason', CASE WHEN j ->> 'reason' ~ %s THEN j ->> 'reason' ELSE 'other' END)) f (measure, key)
                WHERE j ->> 'type' = 'access.refused'
                UNION ALL
                SELECT 'erased-uncounted', '', '', 1 FROM batch WHERE content IS NULL
            )
            INSERT INTO statistics_counts (measure, grp, key, count)
            SELECT measure, grp, key, sum(n) FROM facts GROUP BY measure, grp, key
            ON CONFLICT (measure, grp, key) DO UPDATE SET count = statistics_counts.count + EXCLUDED.count
            """.formatted(PLAIN_CODE);

    /**
     * What one pass did.
     *
     * @param ran false when another process held the cursor (nothing was done)
     * @param from entries from this index were counted
     * @param to entries below this index have now been counted
     * @param full the pass stopped at its batch size: there is more to count now
     */
    public record Pass(boolean ran, long from, long to, boolean full) {}

    private final DataSource dataSource;
    private final int batch;

    public StatisticsCounter(DataSource dataSource) {
        this(dataSource, BATCH);
    }

    StatisticsCounter(DataSource dataSource, int batch) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1");
        }
        this.batch = batch;
    }

    /** Passes until caught up with the integrated tree, or until another process holds the cursor. */
    public void catchUp() {
        Pass p;
        do {
            p = runOnce();
        } while (p.ran() && p.full());
    }

    /** One pass, one transaction (see the class comment for why it neither repeats nor misses). */
    public Pass runOnce() {
        try {
            return Transactions.run(dataSource, this::pass);
        } catch (SQLException e) {
            throw new StatisticsUnavailableException("cannot count the ledger for the statistics: " + e.getMessage(), e);
        }
    }

    private Pass pass(Connection c) throws SQLException {
        // 1. The cursor, or nothing: another process is counting.
        long from = CURSOR.claim(c);
        if (from < 0) {
            return new Pass(false, -1, -1, false);
        }
        // 2. How far: the integrated tree, below which every index is an entry or a filled gap, and nothing more can commit.
        long size = LedgerCursor.integratedSize(c);
        if (size <= from) {
            return new Pass(true, from, from, false);
        }
        long to = Math.min(size, from + batch);
        // 3. Count [from, to).
        try (PreparedStatement s = c.prepareStatement(COUNT)) {
            s.setLong(1, from);
            s.setLong(2, to);
            s.executeUpdate();
        }
        // 4. The cursor moves with the counts, in the same commit.
        CURSOR.advance(c, to);
        return new Pass(true, from, to, to < size);
    }
}
