-- The verifiable log (ledger module, package org.custodian.ledger.postgres owns these tables).
-- Public: tiles and checkpoints (hashes only). Private: entry contents.

-- The log's identity, fixed at first start: a different key or origin on the same database is refused.
CREATE TABLE ledger_log (
    id            smallint    PRIMARY KEY CHECK (id = 1),
    origin        text        NOT NULL,
    verifier_key  text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Indexes are handed out by a sequence, outside the appending transactions, so that many appending
-- transactions commit concurrently and share WAL flushes (PostgreSQL's group commit). An index whose
-- transaction failed is a gap; the sequencer fills a gap that outlives a grace period with a
-- 'ledger.gap' entry. The primary key arbitrates: whichever insert of an index commits first wins,
-- and the other fails (and is not acknowledged).
CREATE SEQUENCE ledger_index AS bigint MINVALUE 0 START WITH 0 NO CYCLE;

-- Entries. `leaf` is the public envelope (the Merkle leaf data, RFC 9162 leaf input);
-- `content` is the private canonical JSON it commits to, NULL once erased after its retention period.
CREATE TABLE ledger_entries (
    idx          bigint      PRIMARY KEY CHECK (idx >= 0),
    leaf         bytea       NOT NULL,
    content      bytea,
    -- clock_timestamp(), not now(): taken as the row is written, after its index was handed out,
    -- which is what lets the sequencer tell a dead gap from an append in flight.
    appended_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    erased_at    timestamptz
);

-- The integrated tree: size and root of the latest checkpoint. Updated by the one sequencer,
-- compare-and-set on size so that a deposed sequencer can never overwrite a newer tree.
CREATE TABLE ledger_tree (
    id     smallint PRIMARY KEY CHECK (id = 1),
    size   bigint   NOT NULL CHECK (size >= 0),
    root   bytea    NOT NULL CHECK (length(root) = 32)
);
INSERT INTO ledger_tree (id, size, root)
VALUES (1, 0, decode('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex'));

-- C2SP tlog-tiles: the latest (widest) version of every tile; a narrower width is always a prefix.
CREATE TABLE ledger_tiles (
    level   smallint NOT NULL CHECK (level >= 0 AND level < 64),
    idx     bigint   NOT NULL CHECK (idx >= 0),
    hashes  bytea    NOT NULL CHECK (length(hashes) > 0 AND length(hashes) <= 8192 AND length(hashes) % 32 = 0),
    PRIMARY KEY (level, idx)
);

-- Every checkpoint ever published, as the signed note served at /log/checkpoint.
CREATE TABLE ledger_checkpoints (
    size        bigint      PRIMARY KEY CHECK (size >= 0),
    root        bytea       NOT NULL CHECK (length(root) = 32),
    note        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Cosignatures collected from witnesses (C2SP tlog-cosignature), one line per witness and checkpoint.
CREATE TABLE ledger_cosignatures (
    size         bigint      NOT NULL REFERENCES ledger_checkpoints (size),
    witness      text        NOT NULL,
    line         text        NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (size, witness)
);
