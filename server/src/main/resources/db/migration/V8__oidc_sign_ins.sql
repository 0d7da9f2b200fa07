-- Sign-ins in progress with the deployment's OpenID Connect provider (server module, package
-- org.custodian.server.patients, OidcSignIns): from the moment a browser is sent to the provider until
-- it comes back, ten minutes at most. Here rather than in a process's memory so that the browser may
-- come back to any server process.
-- The state (OpenID Connect Core 1.0 §3.1.2.1) travels in URLs and may end up in logs, so only its
-- SHA-256 is kept; the browser that started the sign-in holds a second secret in an HttpOnly cookie,
-- also kept as a SHA-256, and must bring it back with the state. The nonce and the PKCE code verifier
-- (RFC 7636) are needed in clear to finish the sign-in. Each row is used once: the callback deletes it.
CREATE TABLE web_oidc_sign_ins (
    state_hash    bytea       PRIMARY KEY CHECK (length(state_hash) = 32),
    browser_hash  bytea       NOT NULL CHECK (length(browser_hash) = 32),
    nonce         text        NOT NULL,
    code_verifier text        NOT NULL,
    started_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);
CREATE INDEX web_oidc_sign_ins_expiry ON web_oidc_sign_ins (expires_at);
