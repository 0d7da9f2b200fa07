-- The agreements register (core module; package org.custodian.core.registers owns it): data-sharing
-- agreements and partnerships, as the gate holds requests to them and the public registers show them.
--
-- As with the other registers (V2), rows are written only by RegisterStore.apply, in the transaction that
-- appends the 'register.change' ledger entry recording the change (ledger_index), and never deleted: an
-- agreement ends by its status or dates. The columns the gate and the registers' pages select by are
-- columns; the rest of the agreement (processors, purposes, data, categories, legal basis, payments) is
-- its wire form, exactly as in the register file and the ledger entry, checked by RegisterFile before it
-- is written.
CREATE TABLE register_agreements (
    id            text        PRIMARY KEY,
    partner       text        NOT NULL REFERENCES register_organisations (id),
    status        text        NOT NULL,
    valid_from    date        NOT NULL,
    valid_to      date        CHECK (valid_to >= valid_from),
    item          jsonb       NOT NULL,
    ledger_index  bigint      NOT NULL,
    updated_at    timestamptz NOT NULL
);

CREATE INDEX register_agreements_partner ON register_agreements (partner);
