-- Sessions of people signed in to the pages (server module, package org.custodian.server.patients).
-- In the database, not in a process's memory, so that any server process behind a load balancer
-- serves a signed-in person, and signing out ends the session everywhere at once.
-- Only a SHA-256 of the cookie's secret is stored: a copy of this table signs nobody in.
CREATE TABLE web_sessions (
    token_hash    bytea       PRIMARY KEY CHECK (length(token_hash) = 32),
    person_id     text        NOT NULL,
    -- Whose record the person is acting on (their own, or one they are a proxy for); null until chosen.
    acting_for    text,
    csrf          text        NOT NULL,
    signed_in_by  text        NOT NULL,   -- 'demo-code' or 'oidc:<issuer>'
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);

-- One-time sign-in codes of the demonstration's sign-in (a real deployment signs in with OpenID Connect).
-- Hashed like sessions; used once; a few wrong guesses burn the code.
CREATE TABLE web_sign_in_codes (
    attempt_id    text        PRIMARY KEY,
    person_id     text        NOT NULL,
    code_hash     bytea       NOT NULL CHECK (length(code_hash) = 32),
    wrong_guesses integer     NOT NULL DEFAULT 0,
    expires_at    timestamptz NOT NULL
);
