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
-- A decision's row also copies the few members the audit reads (decision, patient, organisation, purpose, form, the
-- resources, categories and reasons as JSON array text, the consent version), so that an audit of hundreds of
-- thousands of decisions reads this narrow table and parses no entry (it parsed each entry's JSON at audit time
-- before: 6 to 9 s over 1M entries). Private, like entry contents: when an entry's content is erased after its
-- retention period, the copied members are erased with it and `erased` is set (the audit reports such entries).
CREATE TABLE agreement_activity (
    agreement        text        NOT NULL,
    idx              bigint      NOT NULL,
    at               timestamptz NOT NULL,
    type             text        NOT NULL,
    decision         text,
    patient          text,
    organisation     text,
    purpose          text,
    form             text,
    resources        text,
    categories       text,
    reasons          text,
    consent_version  bigint,
    erased           boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (agreement, idx)
);

-- An agreement's decisions in a period: by time, within the agreement.
CREATE INDEX agreement_activity_at ON agreement_activity (agreement, type, at);

-- The members an audit reads, for an access.decision (all null for other entries).
CREATE FUNCTION agreement_activity_members(j jsonb, OUT decision text, OUT patient text, OUT organisation text, OUT purpose text,
        OUT form text, OUT resources text, OUT categories text, OUT reasons text, OUT consent_version bigint)
    LANGUAGE sql IMMUTABLE AS $$
    SELECT j ->> 'decision', j ->> 'patient', j -> 'requester' ->> 'organisation', j ->> 'purpose', j ->> 'form',
           j ->> 'resources', j ->> 'categories', j ->> 'reasons', (j ->> 'consentVersion')::bigint
    WHERE j ->> 'type' = 'access.decision'
    UNION ALL
    SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    WHERE j ->> 'type' IS DISTINCT FROM 'access.decision'
$$;

CREATE FUNCTION agreement_activity_index() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO agreement_activity (agreement, idx, at, type, decision, patient, organisation, purpose, form, resources,
                                    categories, reasons, consent_version)
    SELECT CASE WHEN jsonb_typeof(j -> 'agreement') = 'string' THEN j ->> 'agreement' ELSE j ->> 'id' END,
           n.idx,
           (j ->> 'time')::timestamptz,
           j ->> 'type',
           d.decision, d.patient, d.organisation, d.purpose, d.form, d.resources, d.categories, d.reasons, d.consent_version
    FROM new_entries n
    -- A byte search first: most entries name no agreement, and this keeps JSON parsing to those that might.
    -- OFFSET 0: the entry is parsed once, not once per member read (see V10).
    CROSS JOIN LATERAL (SELECT convert_from(n.content, 'UTF8')::jsonb AS j OFFSET 0) parsed
    CROSS JOIN LATERAL agreement_activity_members(j) d
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

-- An entry's content erased after its retention period: the copied members go with it.
CREATE FUNCTION agreement_activity_erase() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE agreement_activity a
       SET decision = NULL, patient = NULL, organisation = NULL, purpose = NULL, form = NULL, resources = NULL,
           categories = NULL, reasons = NULL, consent_version = NULL, erased = true
      FROM old_entries o
      JOIN new_entries n ON n.idx = o.idx
     CROSS JOIN LATERAL (SELECT convert_from(o.content, 'UTF8')::jsonb AS j OFFSET 0) parsed
     WHERE o.content IS NOT NULL AND n.content IS NULL
       AND (position('"agreement":"'::bytea IN o.content) > 0 OR position('"register":"agreements"'::bytea IN o.content) > 0)
       AND a.agreement = CASE WHEN jsonb_typeof(j -> 'agreement') = 'string' THEN j ->> 'agreement' ELSE j ->> 'id' END
       AND a.idx = o.idx;
    RETURN NULL;
END
$$;

CREATE TRIGGER agreement_activity_on_erase
    AFTER UPDATE ON ledger_entries
    REFERENCING OLD TABLE AS old_entries NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION agreement_activity_erase();

-- Entries appended before this table existed.
INSERT INTO agreement_activity (agreement, idx, at, type, decision, patient, organisation, purpose, form, resources,
                                categories, reasons, consent_version)
SELECT CASE WHEN jsonb_typeof(j -> 'agreement') = 'string' THEN j ->> 'agreement' ELSE j ->> 'id' END,
       e.idx, (j ->> 'time')::timestamptz, j ->> 'type',
       d.decision, d.patient, d.organisation, d.purpose, d.form, d.resources, d.categories, d.reasons, d.consent_version
FROM ledger_entries e
CROSS JOIN LATERAL (SELECT convert_from(e.content, 'UTF8')::jsonb AS j OFFSET 0) parsed
CROSS JOIN LATERAL agreement_activity_members(j) d
WHERE e.content IS NOT NULL
  AND (position('"agreement":"'::bytea IN e.content) > 0 OR position('"register":"agreements"'::bytea IN e.content) > 0)
  AND (jsonb_typeof(j -> 'agreement') = 'string'
       OR (j ->> 'type' = 'register.change' AND j ->> 'register' = 'agreements' AND jsonb_typeof(j -> 'id') = 'string'))
ON CONFLICT (agreement, idx) DO NOTHING;

-- The audit checks each permit against the patient's choices as they stood then: every consent.change of each
-- patient with a permit. patient_activity's primary key would read all of a patient's rows (mostly accesses) to
-- find the few consent changes; this partial index reads only those.
CREATE INDEX patient_activity_consent ON patient_activity (nhs_number, idx) WHERE type = 'consent.change';
