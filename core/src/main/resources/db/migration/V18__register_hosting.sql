-- The hosting register (core module; package org.custodian.core.registers owns it): where the operator of this
-- deployment declares its data is hosted, one row per site (primary, backup, disaster recovery), with the country and
-- who runs the machines. Custodian cannot see a country or a provider for itself; this is the operator's word, quoted
-- as such by the FOI answers and the public registers.
--
-- As with the other registers (V2), rows are written only by RegisterStore.apply, in the transaction that appends
-- the 'register.change' ledger entry recording the change (ledger_index), and never deleted. The text is checked by
-- RegisterFile before it is written (lengths, one line, no NHS numbers); the constraints here hold only what no
-- version may ever store. A register file without a "hosting" section leaves this table as it is.
CREATE TABLE register_hosting (
    id            text        PRIMARY KEY,
    role          text        NOT NULL,
    country       text        NOT NULL CHECK (country <> ''),
    provider      text        NOT NULL CHECK (provider <> ''),
    -- The provider's entry in the organisations register, when it has one (a private company here is a processor).
    organisation  text        REFERENCES register_organisations (id),
    description   text        CHECK (char_length(description) <= 1000),
    ledger_index  bigint      NOT NULL,
    updated_at    timestamptz NOT NULL
);
