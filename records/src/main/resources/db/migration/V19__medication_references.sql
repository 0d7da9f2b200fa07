-- Medication references (records module; package org.custodian.records.store owns record_versions).
-- A prescription, administration, dispense or statement whose medication[x] is a reference to a separate
-- Medication falls under that Medication's sensitive categories as well as its own (MedicationCategories):
-- a MedicationRequest for an HIV-coded Medication is HIV. Each version now says which Medication it refers
-- to, so that when a Medication is stored or changed the versions referring to it are found by index and
-- their categories widened in the same transaction.

-- "Medication/<id>" (relative, absolute and versioned references all read so, as MedicationLinks reads
-- them), or NULL: no medication[x] reference, a contained Medication ("#id"), or a medicationCodeableConcept.
ALTER TABLE record_versions ADD COLUMN medication text;

-- The versions stored before: their references, read from the JSON as stored (already resolved from any
-- urn:uuid:). Only the four R4 types with medication[x] can have one.
UPDATE record_versions
   SET medication = 'Medication/' || substring((content::jsonb) -> 'medicationReference' ->> 'reference'
                                               FROM '(?:^|/)Medication/([-A-Za-z0-9.]{1,64})(?:/_history/[^/]+)?$')
 WHERE res_type IN ('MedicationRequest', 'MedicationAdministration', 'MedicationDispense', 'MedicationStatement')
   AND content LIKE '%"medicationReference"%';

-- ... and the categories they should have had: those of the current version of their Medication, added.
-- (Categories only widen: see MedicationCategories.)
UPDATE record_versions v
   SET categories = ARRAY(SELECT DISTINCT x FROM unnest(v.categories || m.categories) AS x ORDER BY x)
  FROM record_resources r
  JOIN record_versions m ON m.vid = r.current_vid
 WHERE r.res_type = 'Medication'
   AND v.medication = 'Medication/' || r.res_id
   AND m.categories <> '{}'
   AND NOT (v.categories @> m.categories);

-- The referrers of one Medication, for the widening on every write of a Medication.
CREATE INDEX record_versions_medication ON record_versions (medication) WHERE medication IS NOT NULL;
