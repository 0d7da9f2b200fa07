-- Patients' choices (consent). The current choices per patient, and every version ever recorded,
-- each with the ledger entry that records it (appended in the same transaction).
CREATE TABLE consent_choices (
    patient       text PRIMARY KEY,           -- NHS number
    version       integer NOT NULL CHECK (version > 0),
    choices       text NOT NULL,              -- canonical JSON (ConsentJson)
    recorded_by   text NOT NULL,              -- person id
    channel       text NOT NULL CHECK (channel IN ('patient', 'proxy', 'assisted')),
    recorded_at   timestamptz NOT NULL,
    ledger_index  bigint NOT NULL
);

CREATE TABLE consent_history (
    patient       text NOT NULL,
    version       integer NOT NULL,
    choices       text NOT NULL,
    recorded_by   text NOT NULL,
    channel       text NOT NULL,
    recorded_at   timestamptz NOT NULL,
    ledger_index  bigint NOT NULL,
    PRIMARY KEY (patient, version)
);
