-- What the public projects register shows about a project beyond what the gate needs (core module; package
-- org.custodian.core.registers owns register_projects, V2), modelled on NHS England's Data Uses Register: the lead,
-- the public-benefit statement, the first day of the approval and the project's outputs.
--
-- Every new column may be empty: projects registered before this migration have none of them stated, and a register
-- file may still leave them out. As for every register, rows are written only by RegisterStore.apply with the
-- 'register.change' ledger entry that records them, and the text is checked by RegisterFile before it is written
-- (lengths, https links, no NHS numbers); the constraints here hold only what no version may ever store.
ALTER TABLE register_projects
    -- First day of the approval (inclusive); approved_until stays the last.
    ADD COLUMN approved_from   date,
    -- The person who answers for the project in public (chief investigator, responsible officer), as the project
    -- states them: a name and a role, never a patient, and not a reference to register_people (which is private).
    ADD COLUMN lead_name       text,
    ADD COLUMN lead_role       text,
    ADD COLUMN public_benefit  text,
    -- The outputs in their register-file form: [{"title": ..., "url": ...}], the url optional.
    ADD COLUMN outputs         jsonb NOT NULL DEFAULT '[]',
    ADD CONSTRAINT register_projects_approval_order CHECK (approved_from <= approved_until),
    ADD CONSTRAINT register_projects_lead_whole CHECK ((lead_name IS NULL) = (lead_role IS NULL)),
    ADD CONSTRAINT register_projects_outputs_array CHECK (jsonb_typeof(outputs) = 'array');
