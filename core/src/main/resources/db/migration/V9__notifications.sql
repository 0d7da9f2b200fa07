-- Notifications for patients (core module, package org.custodian.core.notifications owns these tables):
-- a patient asks to be told, by e-mail or by letter, when a break-glass access happens or an organisation
-- uses their data for the first time. Private, like entry contents: they name patients and say what happened.

-- Each patient's current preferences, and every version ever set, each with the ledger entry that records
-- it (a 'notifications.change', appended in the same transaction). The notifier applies the version in
-- force at an entry's index: the newest whose ledger_index is below it.
CREATE TABLE notification_preferences (
    patient           text        PRIMARY KEY,     -- NHS number
    version           integer     NOT NULL CHECK (version > 0),
    break_glass       boolean     NOT NULL,
    new_organisation  boolean     NOT NULL,
    channel           text        NOT NULL CHECK (channel IN ('email', 'letter')),
    email             text        CHECK ((channel = 'email') = (email IS NOT NULL)),
    set_by            text        NOT NULL,        -- person id
    set_via           text        NOT NULL CHECK (set_via IN ('patient', 'proxy', 'assisted')),
    set_at            timestamptz NOT NULL,
    ledger_index      bigint      NOT NULL
);

CREATE TABLE notification_preference_history (
    patient           text        NOT NULL,
    version           integer     NOT NULL,
    break_glass       boolean     NOT NULL,
    new_organisation  boolean     NOT NULL,
    channel           text        NOT NULL,
    email             text,
    set_by            text        NOT NULL,
    set_via           text        NOT NULL,
    set_at            timestamptz NOT NULL,
    ledger_index      bigint      NOT NULL,
    PRIMARY KEY (patient, version)
);
CREATE INDEX notification_preference_history_by_index ON notification_preference_history (patient, ledger_index);

-- How far the notifier has read the ledger: every entry with an index below next_idx has been considered.
-- One row. It moves in the same transaction as the notifications it queues, and only up to the integrated
-- tree size (ledger_tree.size): below that every index is a committed entry or a filled gap, so no entry
-- about a patient can still appear there. A process takes the row FOR UPDATE SKIP LOCKED: one at a time.
CREATE TABLE notification_cursor (
    id        smallint PRIMARY KEY CHECK (id = 1),
    next_idx  bigint   NOT NULL CHECK (next_idx >= 0)
);
-- Nobody has asked to be told of anything before this table exists: start at the tree as it is.
INSERT INTO notification_cursor (id, next_idx) SELECT 1, size FROM ledger_tree WHERE id = 1;

-- The notifier reads patient_activity by index across patients; its primary key leads with the patient.
-- One more index entry per entry about a patient, on the append path.
CREATE INDEX patient_activity_by_idx ON patient_activity (idx);

-- Notifications: queued by the notifier, sent by the delivery loop (e-mail) or taken into the next
-- letter batch (letter). At most one per patient and ledger entry: an entry that is both break-glass and
-- an organisation's first use is one notification that says both.
CREATE TABLE notifications (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient          text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('break-glass', 'new-organisation')),
    ledger_index     bigint      NOT NULL,
    created_at       timestamptz NOT NULL,
    channel          text        NOT NULL CHECK (channel IN ('email', 'letter')),
    email            text        CHECK ((channel = 'email') = (email IS NOT NULL)),
    subject          text        NOT NULL,
    body             text        NOT NULL,
    status           text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL,
    last_error       text,
    sent_at          timestamptz,
    letter_batch     text,                         -- the letter batch that carried it, if one did
    UNIQUE (patient, ledger_index)
);
CREATE INDEX notifications_to_send ON notifications (next_attempt_at) WHERE status = 'queued' AND channel = 'email';
CREATE INDEX notifications_for_letters ON notifications (patient) WHERE letter_batch IS NULL
    AND ((channel = 'letter' AND status = 'queued') OR (channel = 'email' AND status = 'failed'));
