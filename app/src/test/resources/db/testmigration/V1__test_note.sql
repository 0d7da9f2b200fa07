-- Test-only migration (the product's migrations live in db/migration).
CREATE TABLE test_note (
    id   BIGSERIAL PRIMARY KEY,
    body TEXT NOT NULL
);
