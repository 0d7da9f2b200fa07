-- Each patient's entries in the ledger, found without scanning it (core module, package
-- org.custodian.core.activity owns this table): what "who used my data" lists and paper letters report.
--
-- Kept by triggers on ledger_entries, so that every way an entry is written (a batch of decisions, an
-- entry appended inside a consent change's transaction, a filled gap, any server process) indexes it in
-- the same statement and transaction: an entry about a patient can never exist without its row here.
-- The convention: an entry about a patient names them in its top-level "patient" member, by NHS number
-- (access.decision, access.refused, consent.change, breakglass.review, record.write all do).
--
-- The row copies the few members a patient filters by; the page reads the entry itself for the rest.
-- Private, like entry contents: when an entry's content is erased after its retention period, the copied
-- members are erased with it and only (patient, idx, at, type) remain.
CREATE TABLE patient_activity (
    nhs_number    text        NOT NULL,
    idx           bigint      NOT NULL,
    at            timestamptz NOT NULL,
    type          text        NOT NULL,
    organisation  text,
    purpose       text,
    decision      text,
    break_glass   boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (nhs_number, idx)
);

-- Filters by date use the primary key's order (idx grows with time, near enough) with at checked;
-- filters by organisation or purpose scan one patient's rows, which the primary key bounds.

CREATE FUNCTION patient_activity_index() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO patient_activity (nhs_number, idx, at, type, organisation, purpose, decision, break_glass)
    SELECT j ->> 'patient',
           n.idx,
           (j ->> 'time')::timestamptz,
           j ->> 'type',
           coalesce(j -> 'requester' ->> 'organisation', j -> 'author' ->> 'organisation',
                    j ->> 'organisation', j ->> 'claimedOrganisation'),
           coalesce(j ->> 'purpose', j -> 'author' ->> 'purpose'),
           CASE j ->> 'type' WHEN 'access.decision' THEN j ->> 'decision'
                             WHEN 'access.refused' THEN 'deny' END,
           coalesce((j ->> 'breakGlass')::boolean, false)
    FROM new_entries n
    -- A byte search first: most entries (and every entry of a busy log's other kinds) name no patient,
    -- and this keeps JSON parsing to those that might.
    CROSS JOIN LATERAL (SELECT convert_from(n.content, 'UTF8')::jsonb AS j) parsed
    WHERE n.content IS NOT NULL
      AND position('"patient":"'::bytea IN n.content) > 0
      AND jsonb_typeof(j -> 'patient') = 'string'
    ON CONFLICT (nhs_number, idx) DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER patient_activity_on_append
    AFTER INSERT ON ledger_entries
    REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION patient_activity_index();

CREATE FUNCTION patient_activity_erase() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE patient_activity a
       SET organisation = NULL, purpose = NULL, decision = NULL, break_glass = false
      FROM old_entries o
      JOIN new_entries n ON n.idx = o.idx
     WHERE o.content IS NOT NULL AND n.content IS NULL
       AND position('"patient":"'::bytea IN o.content) > 0
       AND a.nhs_number = convert_from(o.content, 'UTF8')::jsonb ->> 'patient'
       AND a.idx = o.idx;
    RETURN NULL;
END
$$;

CREATE TRIGGER patient_activity_on_erase
    AFTER UPDATE ON ledger_entries
    REFERENCING OLD TABLE AS old_entries NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION patient_activity_erase();

-- Entries appended before this table existed.
INSERT INTO patient_activity (nhs_number, idx, at, type, organisation, purpose, decision, break_glass)
SELECT j ->> 'patient', e.idx, (j ->> 'time')::timestamptz, j ->> 'type',
       coalesce(j -> 'requester' ->> 'organisation', j -> 'author' ->> 'organisation',
                j ->> 'organisation', j ->> 'claimedOrganisation'),
       coalesce(j ->> 'purpose', j -> 'author' ->> 'purpose'),
       CASE j ->> 'type' WHEN 'access.decision' THEN j ->> 'decision' WHEN 'access.refused' THEN 'deny' END,
       coalesce((j ->> 'breakGlass')::boolean, false)
FROM ledger_entries e
CROSS JOIN LATERAL (SELECT convert_from(e.content, 'UTF8')::jsonb AS j) parsed
WHERE e.content IS NOT NULL
  AND position('"patient":"'::bytea IN e.content) > 0
  AND jsonb_typeof(j -> 'patient') = 'string';
