-- The registers (core module; package org.custodian.core.registers owns these tables): organisations,
-- people, care relationships, proxies and projects, as the gate reads them.
--
-- Rows are written only by RegisterStore.apply, in the transaction that appends the 'register.change'
-- ledger entry recording the change; `ledger_index` is that entry's index and `updated_at` its time.
-- The ledger keeps every earlier version (each entry holds the item's values before and after), so the
-- tables hold only the current one. Nothing is ever deleted: a relationship, proxy or project ends by
-- its dates or status.
--
-- Codes (sector, role, kind, scope, purpose, form, status) are checked by the Java vocabularies, not
-- here, so that adding a code does not need a migration.

CREATE TABLE register_organisations (
    id            text        PRIMARY KEY,
    name          text        NOT NULL,
    sector        text        NOT NULL,
    ledger_index  bigint      NOT NULL,
    updated_at    timestamptz NOT NULL
);

CREATE TABLE register_people (
    id            text        PRIMARY KEY,
    name          text        NOT NULL,
    role          text        NOT NULL,
    organisation  text        NOT NULL REFERENCES register_organisations (id),
    -- Patients only; UNIQUE allows any number of NULLs.
    nhs_number    text        UNIQUE CHECK (nhs_number ~ '^[0-9]{10}$'),
    ledger_index  bigint      NOT NULL,
    updated_at    timestamptz NOT NULL
);

CREATE TABLE register_care_relationships (
    patient       text        NOT NULL REFERENCES register_people (nhs_number),
    organisation  text        NOT NULL REFERENCES register_organisations (id),
    valid_from    date        NOT NULL,
    valid_to      date        CHECK (valid_to >= valid_from),
    kind          text        NOT NULL,
    ledger_index  bigint      NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (patient, organisation, valid_from)
);

CREATE TABLE register_proxies (
    proxy         text        NOT NULL REFERENCES register_people (id),
    patient       text        NOT NULL REFERENCES register_people (nhs_number),
    valid_from    date        NOT NULL,
    valid_to      date        CHECK (valid_to >= valid_from),
    scope         text        NOT NULL,
    ledger_index  bigint      NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (proxy, patient, valid_from)
);

CREATE TABLE register_projects (
    id                text        PRIMARY KEY,
    organisation      text        NOT NULL REFERENCES register_organisations (id),
    purpose           text        NOT NULL,
    form              text        NOT NULL,
    status            text        NOT NULL,
    approved_until    date        NOT NULL,
    ethics_reference  text,
    ledger_index      bigint      NOT NULL,
    updated_at        timestamptz NOT NULL
);
