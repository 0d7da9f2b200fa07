-- Public statistics (core module, package org.custodian.core.statistics owns these tables): accesses by
-- purpose, sector, organisation and month, refusals by reason, break-glass by month, opt-outs by purpose
-- group. The page reads only these few rows, never the ledger, so its cost does not grow with the ledger.
-- The counts are raw and private: only SmallNumbers' suppressed and rounded figures leave the server.
--
-- Ledger counts are kept by a FOLLOWER (StatisticsCounter), not by a trigger on ledger_entries. Why:
--  1. The figures can say exactly what they count: every entry with an index below statistics_cursor.next_idx,
--     which only moves up to the integrated tree size (ledger_tree.size), below which every index is a committed
--     entry or a filled gap. So the page can name the checkpoint its figures are as of, and anyone with the
--     entries can recount them. A trigger would count entries not yet in any tree, and gaps still open.
--  2. Counters are hot rows (this month, TREAT, the busiest organisation). Updated by an AFTER INSERT trigger,
--     every append transaction would take their row locks and hold them until its commit, so the ledger's
--     concurrent writers (group commit, several per process, several processes) would queue behind one another's
--     fsyncs. The follower updates them in one transaction per batch, off the append path.
--  3. As in the notifier (V9), one pass is one transaction that takes the cursor FOR UPDATE SKIP LOCKED and moves
--     it with the counts it adds: across restarts and processes no entry is counted twice and none is missed.
-- The cost: figures lag the ledger by a checkpoint (a quarter of a second) plus the follower's period (a second).
--
-- Erasure: an entry is counted from its content once, when the follower reaches it; erasing the content later
-- (an UPDATE after its retention period, V6) changes nothing here. An entry whose content was already erased
-- when it was reached (a follower that was stopped for longer than the retention period, or this migration on
-- a ledger with erased entries) cannot be classified: it is counted under 'erased-uncounted', which is published.
--
-- Consent counts are different: they are counts of patients in the current state (consent_choices and the
-- registered patients), not of entries, so they are kept by row triggers on those tables, in the transaction
-- that changes them. Consent changes are rare next to accesses; their counter rows are locked briefly.
CREATE TABLE statistics_counts (
    measure  text   NOT NULL,            -- e.g. 'access.purpose', 'deny.reason', 'consent.opt-out'
    grp      text   NOT NULL DEFAULT '', -- the group a row adds up within ('access.organisation': its sector)
    key      text   NOT NULL DEFAULT '', -- e.g. 'TREAT', '2026-05', 'statutory.no-sale'; '' for a total
    count    bigint NOT NULL CHECK (count >= 0),
    PRIMARY KEY (measure, grp, key)
);

-- How far the follower has counted: every entry with an index below next_idx, and none above.
CREATE TABLE statistics_cursor (
    id        smallint PRIMARY KEY CHECK (id = 1),
    next_idx  bigint   NOT NULL CHECK (next_idx >= 0)
);
-- From the start of the ledger: an existing deployment's history is counted once, in batches, in the background.
INSERT INTO statistics_cursor (id, next_idx) VALUES (1, 0);

-- ------------------------------------------------------------------ consent

-- Opted-out patients per purpose group ('consent.opt-out', key = the group's code) from consent_choices.choices
-- (ConsentJson: {"refusedPurposes":["research",...],...}).
CREATE FUNCTION statistics_consent_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE statistics_counts s SET count = s.count - 1
          FROM jsonb_array_elements_text(OLD.choices::jsonb -> 'refusedPurposes') g
         WHERE s.measure = 'consent.opt-out' AND s.grp = '' AND s.key = g;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO statistics_counts (measure, grp, key, count)
        SELECT 'consent.opt-out', '', g, 1 FROM jsonb_array_elements_text(NEW.choices::jsonb -> 'refusedPurposes') g
        ON CONFLICT (measure, grp, key) DO UPDATE SET count = statistics_counts.count + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER statistics_on_consent
    AFTER INSERT OR UPDATE OR DELETE ON consent_choices
    FOR EACH ROW EXECUTE FUNCTION statistics_consent_change();

-- Registered patients ('consent.patients'): people with an NHS number in the registers.
CREATE FUNCTION statistics_patients_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.nhs_number IS NOT NULL THEN
        UPDATE statistics_counts SET count = count - 1 WHERE measure = 'consent.patients' AND grp = '' AND key = '';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.nhs_number IS NOT NULL THEN
        INSERT INTO statistics_counts (measure, grp, key, count) VALUES ('consent.patients', '', '', 1)
        ON CONFLICT (measure, grp, key) DO UPDATE SET count = statistics_counts.count + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER statistics_on_patients
    AFTER INSERT OR UPDATE OF nhs_number OR DELETE ON register_people
    FOR EACH ROW EXECUTE FUNCTION statistics_patients_change();

-- The state before this migration.
INSERT INTO statistics_counts (measure, grp, key, count)
SELECT 'consent.opt-out', '', g, count(*) FROM consent_choices, jsonb_array_elements_text(choices::jsonb -> 'refusedPurposes') g GROUP BY g;
INSERT INTO statistics_counts (measure, grp, key, count)
SELECT 'consent.patients', '', '', count(*) FROM register_people WHERE nhs_number IS NOT NULL;
