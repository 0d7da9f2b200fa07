-- Each data-sharing agreement's entries in the ledger, found without scanning it (core module, package
-- org.custodian.core.audit owns this table): what the audit of one partnership reads (`custodian audit
-- agreement`, the auditor's page /audit).
--
-- An entry belongs to an agreement when it names it in its top-level "agreement" member (every access.decision the
-- gate makes for a partner's secondary-use request under the agreement's purposes, permit or refusal, and every
-- audit.run of it), or when it is the register.change recording a version of it (register "agreements", its "id").
--
-- Kept by a statement-level trigger on ledger_entries, like patient_activity (V6, V10), so that every way an
-- entry is written (a batch of decisions, an entry appended inside a register change's transaction, a filled gap,
-- any server process) indexes it in the same statement and transaction. The audit counts only rows below the
-- checkpoint it names, where every index is a committed entry or a filled gap, so an entry still in flight is
-- never half-counted.
--
-- Only (agreement, idx, at, type) are copied: nothing here identifies a patient, so erasing an entry's content
-- after its retention period leaves the row as it is (the audit then reports that entry as erased).
CREATE TABLE agreement_activity (
    agreement  text        NOT NULL,
    idx        bigint      NOT NULL,
    at         timestamptz NOT NULL,
    type       text        NOT NULL,
    PRIMARY KEY (agreement, idx)
);

-- An agreement's decisions in a period: by time, within the agreement.
CREATE INDEX agreement_activity_at ON agreement_activity (agreement, type, at);

CREATE FUNCTION agreement_activity_index() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO agreement_activity (agreement, idx, at, type)
    SELECT CASE WHEN jsonb_typeof(j -> 'agreement') = 'string' THEN j ->> 'agreement' ELSE j ->> 'id' END,
           n.idx,
           (j ->> 'time')::timestamptz,
           j ->> 'type'
    FROM new_entries n
    -- A byte search first: most entries name no agreement, and this keeps JSON parsing to those that might.
    -- OFFSET 0: the entry is parsed once, not once per member read (see V10).
    CROSS JOIN LATERAL (SELECT convert_from(n.content, 'UTF8')::jsonb AS j OFFSET 0) parsed
    WHERE n.content IS NOT NULL
      AND (position('"agreement":"'::bytea IN n.content) > 0 OR position('"register":"agreements"'::bytea IN n.content) > 0)
      AND (jsonb_typeof(j -> 'agreement') = 'string'
           OR (j ->> 'type' = 'register.change' AND j ->> 'register' = 'agreements' AND jsonb_typeof(j -> 'id') = 'string'))
    ON CONFLICT (agreement, idx) DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER agreement_activity_on_append
    AFTER INSERT ON ledger_entries
    REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION agreement_activity_index();

-- Entries appended before this table existed.
INSERT INTO agreement_activity (agreement, idx, at, type)
SELECT CASE WHEN jsonb_typeof(j -> 'agreement') = 'string' THEN j ->> 'agreement' ELSE j ->> 'id' END,
       e.idx, (j ->> 'time')::timestamptz, j ->> 'type'
FROM ledger_entries e
CROSS JOIN LATERAL (SELECT convert_from(e.content, 'UTF8')::jsonb AS j OFFSET 0) parsed
WHERE e.content IS NOT NULL
  AND (position('"agreement":"'::bytea IN e.content) > 0 OR position('"register":"agreements"'::bytea IN e.content) > 0)
  AND (jsonb_typeof(j -> 'agreement') = 'string'
       OR (j ->> 'type' = 'register.change' AND j ->> 'register' = 'agreements' AND jsonb_typeof(j -> 'id') = 'string'))
ON CONFLICT (agreement, idx) DO NOTHING;

-- The audit checks each permit against the patient's choices as they stood then: every consent.change of each
-- patient with a permit. patient_activity's primary key would read all of a patient's rows (mostly accesses) to
-- find the few consent changes; this partial index reads only those.
CREATE INDEX patient_activity_consent ON patient_activity (nhs_number, idx) WHERE type = 'consent.change';
