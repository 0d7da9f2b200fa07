-- Clinical records (records module, package org.custodian.records.store owns these tables).
-- FHIR R4 resources, every version kept. A version is one row of record_versions; its search index
-- values live beside it (tokens in an array, strings and dates in their own tables), keyed by the
-- version, so that a search can be answered "as of" a snapshot (every vid up to S, each version
-- current at S): that is what keeps paging links correct while data changes.

-- One row per resource: its current version, and the patient whose record it belongs to.
CREATE TABLE record_resources (
    res_type        text    NOT NULL,
    res_id          text    NOT NULL,
    current_version integer NOT NULL CHECK (current_version >= 1),
    current_vid     bigint  NOT NULL,
    PRIMARY KEY (res_type, res_id)
);

-- Every version of every resource. vid orders all versions ever written; superseded_by is the vid of
-- the next version (NULL while this one is current).
CREATE TABLE record_versions (
    vid           bigserial   PRIMARY KEY,
    res_type      text        NOT NULL,
    res_id        text        NOT NULL,
    version       integer     NOT NULL CHECK (version >= 1),
    last_updated  timestamptz NOT NULL,
    -- The Patient (logical id) whose compartment the resource is in; NULL for directory data
    -- (Practitioner, Organization, Location, Medication, ...). A Patient's own id for a Patient.
    patient_id    text,
    -- HL7 InformationSensitivityPolicy codes (PSY, SEX, HIV, ETH, SDV, GDIS) the resource falls under.
    categories    text[]      NOT NULL DEFAULT '{}',
    -- Token search values, "param|system|code", "param|*|code" and "param|system|*" (see TokenIndex).
    tokens        text[]      NOT NULL DEFAULT '{}',
    -- The low bound of the type's principal date, for _sort=date.
    sort_date     timestamptz,
    -- The resource as served (meta.versionId and meta.lastUpdated included), and the SHA-256 of its
    -- form without them: an update or import that changes nothing makes no new version.
    content       text        NOT NULL,
    content_hash  bytea       NOT NULL,
    superseded_by bigint,
    -- The ledger entry that recorded this write.
    ledger_index  bigint,
    UNIQUE (res_type, res_id, version)
);
-- A patient's resources of one type in vid order: the default sort, so a first page reads 50 entries and
-- stops; superseded_by included so that counting needs few table visits. (_sort=date sorts the patient's
-- matches: one index more on every write was judged not worth it.)
CREATE INDEX record_versions_patient ON record_versions (patient_id, res_type, vid) INCLUDE (superseded_by) WHERE patient_id IS NOT NULL;
CREATE INDEX record_versions_type ON record_versions (res_type, vid);
CREATE INDEX record_versions_tokens ON record_versions USING gin (tokens);
CREATE INDEX record_versions_updated ON record_versions (last_updated);

-- String search values (Patient names), normalised: lower case, accents removed.
CREATE TABLE record_strings (
    vid    bigint NOT NULL REFERENCES record_versions (vid),
    param  text   NOT NULL,
    value  text   NOT NULL
);
CREATE INDEX record_strings_value ON record_strings (param, value text_pattern_ops);
CREATE INDEX record_strings_vid ON record_strings (vid);

-- Date search values as the instant range they cover ("2021-04" covers the whole month).
CREATE TABLE record_dates (
    vid    bigint      NOT NULL REFERENCES record_versions (vid),
    param  text        NOT NULL,
    low    timestamptz NOT NULL,
    high   timestamptz NOT NULL
);
CREATE INDEX record_dates_vid ON record_dates (vid, param);
CREATE INDEX record_dates_low ON record_dates (param, low);

-- Patients and their NHS numbers: how a record is linked to the gate (consent, care relationships).
-- A Patient without a valid NHS number is stored but unlinked, and nobody is given its record: the
-- gate could not check anyone's consent or care relationship for it.
CREATE TABLE record_patients (
    patient_id  text PRIMARY KEY,
    nhs_number  text
);
CREATE INDEX record_patients_nhs ON record_patients (nhs_number);

-- Files loaded by `custodian import`, by content digest: re-running skips what is done, and a run
-- that stopped part way resumes after the last bundle or line committed.
CREATE TABLE record_imports (
    sha256      text        PRIMARY KEY,
    name        text        NOT NULL,
    done_units  integer     NOT NULL DEFAULT 0,
    finished    boolean     NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Bulk Data exports ($export, package org.custodian.records.bulk): asynchronous jobs, their requester,
-- the patients the gate permitted, and their output files. Files are kept here rather than on a server's
-- disk so that any server process behind a load balancer can answer a poll, a download or a DELETE.
CREATE TABLE record_exports (
    id             text        PRIMARY KEY,
    person_id      text        NOT NULL,
    organisation   text        NOT NULL,
    request_url    text        NOT NULL,
    -- 'system' (GET /fhir/$export) or 'patient' (GET /fhir/Patient/$export: no directory data).
    level          text        NOT NULL CHECK (level IN ('system', 'patient')),
    -- The _type list, or NULL for every type.
    types          text[],
    since          timestamptz,
    -- The newest vid at kick-off: the export is of the versions current as of it.
    snapshot       bigint      NOT NULL,
    status         text        NOT NULL CHECK (status IN ('queued', 'running', 'complete', 'failed', 'cancelled')),
    progress       text,
    error          text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz,
    -- The server process holding the job, and when it last said so: a job whose process stopped is
    -- marked failed by any process once its heartbeat is stale.
    runner         text        NOT NULL,
    heartbeat_at   timestamptz NOT NULL DEFAULT now(),
    -- The records.bulk-export ledger entry, written in the transaction that completes the job.
    ledger_index   bigint
);
CREATE INDEX record_exports_unfinished ON record_exports (heartbeat_at) WHERE status IN ('queued', 'running');

-- The patients the gate permitted in one job, with the categories each withholds from the requester:
-- working state while the job runs (the decisions themselves are in the ledger), deleted when it ends.
CREATE TABLE record_export_patients (
    export_id   text   NOT NULL REFERENCES record_exports (id) ON DELETE CASCADE,
    patient_id  text   NOT NULL,
    withheld    text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (export_id, patient_id)
);

-- Output files (NDJSON, one resource per line), served only once their job is complete.
CREATE TABLE record_export_files (
    export_id      text    NOT NULL REFERENCES record_exports (id) ON DELETE CASCADE,
    name           text    NOT NULL,
    kind           text    NOT NULL CHECK (kind IN ('output', 'error')),
    res_type       text    NOT NULL,
    resource_count integer NOT NULL,
    sha256         bytea   NOT NULL,
    content        bytea   NOT NULL,
    PRIMARY KEY (export_id, name)
);
