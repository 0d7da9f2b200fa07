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
     * materialises it), turn each into the rows it counts towards, and add them up.
     */
    private static final String COUNT = """
            WITH batch AS (
                SELECT idx, content FROM ledger_entries WHERE idx >= ? AND idx < ?
            ), parsed AS (
                SELECT j FROM batch
                CROSS JOIN LATERAL (SELECT convert_from(batch.content, 'UTF8')::jsonb AS j OFFSET 0) p
                WHERE batch.content IS NOT NULL AND batch.content LIKE '%%"type":"access.%%'::bytea
            ), decisions AS (
                SELECT j, to_char((j ->> 'time')::timestamptz AT TIME ZONE 'Europe/London', 'YYYY-MM') AS month
                FROM parsed WHERE j ->> 'type' = 'access.decision' AND j ->> 'decision' IN ('permit', 'deny')
            ), facts (measure, grp, key) AS (
                SELECT f.measure, f.grp, f.key FROM decisions
                CROSS JOIN LATERAL (VALUES
                    ('access', '', ''),
                    ('access.month', '', month),
                    ('access.purpose', '', coalesce(j ->> 'purpose', '')),
                    ('access.sector', '', coalesce(j -> 'requester' ->> 'sector', '')),
                    ('access.organisation', coalesce(j -> 'requester' ->> 'sector', ''), coalesce(j -> 'requester' ->> 'organisation', ''))
                ) f (measure, grp, key)
                UNION ALL
                SELECT 'deny', '', '' FROM decisions WHERE j ->> 'decision' = 'deny'
                UNION ALL
                SELECT 'deny.reason', '', r FROM decisions
                CROSS JOIN LATERAL jsonb_array_elements_text(CASE jsonb_typeof(j -> 'reasons') WHEN 'array' THEN j -> 'reasons' ELSE '[]' END) r
                WHERE j ->> 'decision' = 'deny'
                UNION ALL
                SELECT 'month.access', month, concat_ws('|', j ->> 'decision', coalesce(j ->> 'purpose', ''),
                    coalesce(j -> 'requester' ->> 'sector', ''), coalesce(j -> 'requester' ->> 'organisation', ''))
                FROM decisions
                UNION ALL
                SELECT 'month.deny.reason', month, concat_ws('|', coalesce(j -> 'requester' ->> 'sector', ''), r) FROM decisions
                CROSS JOIN LATERAL jsonb_array_elements_text(CASE jsonb_typeof(j -> 'reasons') WHEN 'array' THEN j -> 'reasons' ELSE '[]' END) r
                WHERE j ->> 'decision' = 'deny'
                UNION ALL
                SELECT f.measure, '', f.key FROM decisions
                CROSS JOIN LATERAL (VALUES ('breakglass', ''), ('breakglass.month', month)) f (measure, key)
                WHERE j ->> 'breakGlass' = 'true'
                UNION ALL
                SELECT f.measure, '', f.key FROM parsed
                CROSS JOIN LATERAL (VALUES ('refused', ''),
                    ('refused.reason', CASE WHEN j ->> 'reason' ~ %s THEN j ->> 'reason' ELSE 'other' END)) f (measure, key)
                WHERE j ->> 'type' = 'access.refused'
                UNION ALL
                SELECT 'erased-uncounted', '', '' FROM batch WHERE content IS NULL
            )
            INSERT INTO statistics_counts (measure, grp, key, count)
            SELECT measure, grp, key, count(*) FROM facts GROUP BY measure, grp, key
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
