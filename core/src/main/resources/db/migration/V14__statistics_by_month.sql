-- Statistics by month for answers over a period (core, org.custodian.core.statistics; read by the FOI answers,
-- org.custodian.core.foi). V11's counts are totals, or by month alone; an answer for a period (which organisations
-- were allowed secondary use, how many requests were refused for a patient's choice, what other government bodies
-- asked for) needs each decision's month with its purpose, sector and organisation. StatisticsCounter adds, per
-- access.decision entry:
--   'month.access'       grp = the Europe/London month (YYYY-MM), key = decision|purpose|sector|organisation
--   'month.deny.reason'  grp = the month,                       key = sector|reason (one row per reason of a denial)
-- The rows stay few: months x organisations x purposes x 2, whatever the ledger's length.
--
-- This migration counts the entries the follower had already counted (below statistics_cursor.next_idx) the same
-- way, in the same transaction that holds the cursor, so that no entry is counted twice or missed: the follower
-- continues from the cursor with the new measures. Entries whose content was erased before this migration cannot be
-- counted by month; they were already counted under 'erased-uncounted' if erased before the follower reached them,
-- and otherwise are left out of the monthly counts (V11's totals still hold them).
DO $$
DECLARE
    upto bigint;
BEGIN
    SELECT next_idx INTO upto FROM statistics_cursor WHERE id = 1 FOR UPDATE;
    WITH parsed AS (
        SELECT convert_from(content, 'UTF8')::jsonb AS j FROM ledger_entries
        WHERE idx < upto AND content IS NOT NULL AND position('"type":"access.'::bytea IN content) > 0
    ), decisions AS (
        SELECT j, to_char((j ->> 'time')::timestamptz AT TIME ZONE 'Europe/London', 'YYYY-MM') AS month
        FROM parsed WHERE j ->> 'type' = 'access.decision' AND j ->> 'decision' IN ('permit', 'deny')
    ), facts (measure, grp, key) AS (
        SELECT 'month.access', month, concat_ws('|', j ->> 'decision', coalesce(j ->> 'purpose', ''),
            coalesce(j -> 'requester' ->> 'sector', ''), coalesce(j -> 'requester' ->> 'organisation', ''))
        FROM decisions
        UNION ALL
        SELECT 'month.deny.reason', month, concat_ws('|', coalesce(j -> 'requester' ->> 'sector', ''), r) FROM decisions
        CROSS JOIN LATERAL jsonb_array_elements_text(CASE jsonb_typeof(j -> 'reasons') WHEN 'array' THEN j -> 'reasons' ELSE '[]' END) r
        WHERE j ->> 'decision' = 'deny'
    )
    INSERT INTO statistics_counts (measure, grp, key, count)
    SELECT measure, grp, key, count(*) FROM facts GROUP BY measure, grp, key
    ON CONFLICT (measure, grp, key) DO UPDATE SET count = statistics_counts.count + EXCLUDED.count;
END
$$;
