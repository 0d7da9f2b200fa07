-- Medications in patients' records (records module; package org.custodian.records.store owns record_versions).
-- Since this change a Medication version written with one patient's records (referred to by medication[x]
-- of resources of exactly one patient in the same write) is in that patient's record (write/MedicationOwners):
-- every version of one write has the same last_updated, so as directory data it told anyone who could see one
-- of the patient's resources what was written with it. This puts the Medications stored before in the
-- records they would have been put in.
--
-- "The same write", as the store can still tell it: the same last_updated (an imported version keeps the time
-- it had where it was written, with the rest of that write, so it is matched with them too). Two writes in
-- the same millisecond can be taken for one; that can only put a directory Medication in a patient's record,
-- which withholds more from others, never less. A Medication whose same-instant referrers are of several
-- patients stays directory data (a write would now be refused; what is stored cannot be). The ledger entries
-- that recorded these writes are unchanged: the Medication stays counted in its write's directory entry.

-- 1. A Medication version whose same-instant referrers are all one patient's is in that patient's record.
WITH owners AS (
    SELECT m.vid, min(r.patient_id) AS patient_id
      FROM record_versions m
      JOIN record_versions r ON r.medication = 'Medication/' || m.res_id
                            AND r.last_updated = m.last_updated
                            AND r.patient_id IS NOT NULL
     WHERE m.res_type = 'Medication' AND m.patient_id IS NULL
     GROUP BY m.vid
    HAVING count(DISTINCT r.patient_id) = 1)
UPDATE record_versions m
   SET patient_id = o.patient_id
  FROM owners o
 WHERE m.vid = o.vid;

-- 2. A Medication in a patient's record stays there: its later versions (written on their own) are that
--    patient's too, the patient of the newest earlier version in one.
UPDATE record_versions m
   SET patient_id = (SELECT e.patient_id FROM record_versions e
                      WHERE e.res_type = 'Medication' AND e.res_id = m.res_id AND e.version < m.version AND e.patient_id IS NOT NULL
                      ORDER BY e.version DESC LIMIT 1)
 WHERE m.res_type = 'Medication' AND m.patient_id IS NULL
   AND EXISTS (SELECT 1 FROM record_versions e
                WHERE e.res_type = 'Medication' AND e.res_id = m.res_id AND e.version < m.version AND e.patient_id IS NOT NULL);
