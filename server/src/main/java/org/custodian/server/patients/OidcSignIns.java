package org.custodian.server.patients;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.sql.DataSource;

/**
 * Sign-ins in progress with the OpenID Connect provider, in PostgreSQL ({@code web_oidc_sign_ins}) so
 * that the browser may come back to any server process. Each holds the three one-time values of the
 * authorization code flow: the {@code state} that ties the provider's answer to this sign-in (OpenID
 * Connect Core 1.0 §3.1.2.1), the {@code nonce} the ID token must carry back (§3.1.2.1, §3.1.3.7 step
 * 11), and the PKCE code verifier (RFC 7636 §4.1), plus a fourth secret for the browser's cookie.
 *
 * <p>A sign-in MUST be finished within {@link #LIFETIME}, by the browser that started it (the one
 * holding the cookie), once: {@link #take} deletes it whatever it finds, so a state seen twice is
 * refused the second time. And it MUST be finished on the side that started it: the patients' and the
 * staff's sign-ins share the table, but each side hashes its states with its own prefix, so a state
 * one side issued is unknown to the other.
 */
final class OidcSignIns {
    static final Duration LIFETIME = Duration.ofMinutes(10);

    private final DataSource dataSource;
    private final OidcClient.Who who;
    private final Clock clock;

    OidcSignIns(DataSource dataSource, OidcClient.Who who, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.who = requireNonNull(who, "who is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The key a state is kept under: SHA-256 of the side's prefix ({@code oidc:}, {@code staff-oidc:}) and the state. */
    private byte[] stateHash(String state) {
        return WebSessions.sha256(who.signedInByPrefix() + state);
    }

    /**
     * A new sign-in: the state and nonce to send to the provider, the code verifier to send to the
     * token endpoint, and the secret to put in the browser's cookie. Each is 256 random bits, base64url
     * (43 characters: a valid RFC 7636 code verifier).
     */
    record Started(String state, String nonce, String codeVerifier, String browserSecret) {
        /** The PKCE code challenge, S256: BASE64URL(SHA256(ASCII(code_verifier))) (RFC 7636 §4.2). */
        String codeChallenge() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(WebSessions.sha256(codeVerifier));
        }
    }

    Started start() {
        Started s = new Started(WebSessions.randomToken(), WebSessions.randomToken(), WebSessions.randomToken(), WebSessions.randomToken());
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            // Abandoned sign-ins go on the way: nobody comes back for them.
            try (PreparedStatement purge = c.prepareStatement("DELETE FROM web_oidc_sign_ins WHERE expires_at < ?")) {
                purge.setTimestamp(1, Timestamp.from(now));
                purge.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO web_oidc_sign_ins (state_hash, browser_hash, nonce, code_verifier,"
                    + " started_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setBytes(1, stateHash(s.state()));
                ps.setBytes(2, WebSessions.sha256(s.browserSecret()));
                ps.setString(3, s.nonce());
                ps.setString(4, s.codeVerifier());
                ps.setTimestamp(5, Timestamp.from(now));
                ps.setTimestamp(6, Timestamp.from(now.plus(LIFETIME)));
                ps.executeUpdate();
            }
            return s;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record a sign-in in progress", e);
        }
    }

    /** What {@link #take} found. */
    enum Outcome {
        /** The sign-in, live, and this browser started it. */
        FOUND,
        /** No such sign-in: never started, or already finished (a state used twice). */
        UNKNOWN,
        EXPIRED,
        /** Started in another browser (or this browser's cookie is gone): a forged or leaked state. */
        OTHER_BROWSER
    }

    /** @param nonce and the other values are null unless the outcome is FOUND */
    record Taken(Outcome outcome, String nonce, String codeVerifier, Instant startedAt) {}

    /**
     * Ends the sign-in named by {@code state} (it can never be taken again) and says whether it may be
     * finished: live, and started by the browser holding {@code browserSecret}.
     */
    Taken take(String state, String browserSecret) {
        if (state == null || state.isEmpty() || state.length() > 512) {
            return new Taken(Outcome.UNKNOWN, null, null, null);
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM web_oidc_sign_ins WHERE state_hash = ?"
                        + " RETURNING browser_hash, nonce, code_verifier, started_at, expires_at")) {
            ps.setBytes(1, stateHash(state));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Taken(Outcome.UNKNOWN, null, null, null);
                }
                if (!clock.instant().isBefore(rs.getTimestamp(5).toInstant())) {
                    return new Taken(Outcome.EXPIRED, null, null, null);
                }
                byte[] presented = WebSessions.sha256(browserSecret == null ? "" : browserSecret);
                if (browserSecret == null || !MessageDigest.isEqual(rs.getBytes(1), presented)) {
                    return new Taken(Outcome.OTHER_BROWSER, null, null, null);
                }
                return new Taken(Outcome.FOUND, rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read a sign-in in progress", e);
        }
    }
}
