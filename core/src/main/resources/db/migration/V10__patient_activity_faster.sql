-- "Who used my data" for a patient with many entries, and the cost of indexing them (core module, package
-- org.custodian.core.activity owns patient_activity). Measured with `custodian bench activity`
-- (docs/benchmarks.md).

-- 1. Parse each entry once. In V6 the parsed JSON came from a LATERAL subquery, which the planner pulls up
--    into the select list: every `j ->> ...` then parsed the entry again, about twelve times an entry.
--    OFFSET 0 keeps the subquery as it is written. Same rows; about 130 µs of PostgreSQL CPU per entry about
--    a patient became about 17 µs (100,000 access decisions, 13.0 s against 1.7 s).
CREATE OR REPLACE FUNCTION patient_activity_index() RETURNS trigger LANGUAGE plpgsql AS $$
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
    -- and this keeps JSON parsing to those that might. OFFSET 0: parsed once (see above).
    CROSS JOIN LATERAL (SELECT convert_from(n.content, 'UTF8')::jsonb AS j OFFSET 0) parsed
    WHERE n.content IS NOT NULL
      AND position('"patient":"'::bytea IN n.content) > 0
      AND jsonb_typeof(j -> 'patient') = 'string'
    ON CONFLICT (nhs_number, idx) DO NOTHING;
    RETURN NULL;
END
$$;

-- 2. The filters' choices and filtered lists without reading all of a patient's rows. The page offers the
--    organisations and purposes found in the patient's entries; with 10,000 entries spread through the
--    ledger, DISTINCT over them read 10,000 heap pages twice (26 ms a page view). With these indexes the
--    distinct values are found by skipping through the index (PatientActivity.facets: a few probes per
--    value, about 0.3 ms), and a list or count filtered by organisation or purpose reads only the matching
--    entries, newest first, from the index. Erased entries (organisation and purpose NULL) are not indexed,
--    so they drop out of the choices as their details do.
CREATE INDEX patient_activity_organisation ON patient_activity (nhs_number, organisation, idx) WHERE organisation IS NOT NULL;
CREATE INDEX patient_activity_purpose ON patient_activity (nhs_number, purpose, idx) WHERE purpose IS NOT NULL;
