-- Governed rules: versioned data, every version kept with the ledger entry recording it.
CREATE TABLE governed_rules (
    version       integer PRIMARY KEY CHECK (version > 0),
    rules         text NOT NULL,               -- canonical JSON (GovernedRuleSet.toJson)
    recorded_by   text NOT NULL,
    recorded_at   timestamptz NOT NULL,
    ledger_index  bigint NOT NULL
);

-- Break-glass accesses waiting for (or given) review by the organisation's Caldicott Guardian.
CREATE TABLE break_glass_reviews (
    ledger_index  bigint PRIMARY KEY,          -- the access.decision entry
    patient       text NOT NULL,
    person        text NOT NULL,
    organisation  text NOT NULL,
    decided_at    timestamptz NOT NULL,
    reviewed_by   text,
    reviewed_at   timestamptz,
    outcome       text,
    review_index  bigint                       -- the ledger entry recording the review
);
CREATE INDEX break_glass_reviews_open ON break_glass_reviews (organisation) WHERE reviewed_at IS NULL;
CREATE INDEX break_glass_reviews_patient ON break_glass_reviews (patient);
