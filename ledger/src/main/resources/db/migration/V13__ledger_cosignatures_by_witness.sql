-- The public page of the log (/transparency/log) shows, for every configured witness, the newest
-- checkpoint it has cosigned. The primary key (size, witness) cannot find that without walking back
-- through every checkpoint since; this index finds it in one look-up, however long the log.
CREATE INDEX ledger_cosignatures_by_witness ON ledger_cosignatures (witness, size DESC);
