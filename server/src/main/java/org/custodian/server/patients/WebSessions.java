package org.custodian.server.patients;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.sql.DataSource;
import org.custodian.core.registers.NhsNumber;

/**
 * Sessions in PostgreSQL ({@code web_sessions}), shared by every server process. The browser holds a
 * random 256-bit secret in an HttpOnly cookie; the table holds its SHA-256. A session ends after
 * {@link #IDLE} without use (to the minute) or {@link #LIFETIME} after sign-in, whichever is first.
 */
final class WebSessions {
    static final Duration IDLE = Duration.ofMinutes(30);
    static final Duration LIFETIME = Duration.ofHours(12);
    /** How stale the idle clock may get: an idle session ends between IDLE and IDLE plus this. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource dataSource;
    private final Clock clock;

    WebSessions(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A new session for a person who has just signed in; the secret to set as the cookie. */
    String start(String personId, Optional<NhsNumber> actingFor, String signedInBy) {
        String secret = randomToken();
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO web_sessions (token_hash, person_id, acting_for, csrf, signed_in_by,"
                        + " created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setBytes(1, sha256(secret));
            ps.setString(2, personId);
            ps.setString(3, actingFor.map(NhsNumber::value).orElse(null));
            ps.setString(4, randomToken());
            ps.setString(5, signedInBy);
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setTimestamp(7, Timestamp.from(now));
            ps.setTimestamp(8, Timestamp.from(now.plus(LIFETIME)));
            ps.executeUpdate();
            return secret;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start a session", e);
        }
    }

    /**
     * The live session this cookie secret names; empty if none or expired. Its idle clock is restarted at
     * most once every {@link #TOUCH_EVERY}: a page view reads the session, and writes it only then, so that
     * browsing is not a durable commit per page.
     */
    Optional<WebSession> find(String secret) {
        if (secret == null || secret.length() != 43) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        byte[] hash = sha256(secret);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT token_hash, person_id, acting_for, csrf, signed_in_by, last_seen_at"
                        + " FROM web_sessions WHERE token_hash = ? AND expires_at > ? AND last_seen_at > ?")) {
            ps.setBytes(1, hash);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setTimestamp(3, Timestamp.from(now.minus(IDLE)));
            WebSession session;
            Instant lastSeen;
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String acting = rs.getString(3);
                session = new WebSession(rs.getBytes(1), rs.getString(2), Optional.ofNullable(acting).map(NhsNumber::new), rs.getString(4),
                        rs.getString(5));
                lastSeen = rs.getTimestamp(6).toInstant();
            }
            if (lastSeen.isBefore(now.minus(TOUCH_EVERY))) {
                try (PreparedStatement touch = c.prepareStatement("UPDATE web_sessions SET last_seen_at = ? WHERE token_hash = ?")) {
                    touch.setTimestamp(1, Timestamp.from(now));
                    touch.setBytes(2, hash);
                    touch.executeUpdate();
                }
            }
            return Optional.of(session);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read sessions", e);
        }
    }

    /** Records whose record the person now acts on (checked by the caller against the registers). */
    void actFor(WebSession session, NhsNumber patient) {
        update("UPDATE web_sessions SET acting_for = ? WHERE token_hash = ?", patient.value(), session.tokenHash());
    }

    /** Signs out: the session ends in every process at once. Expired sessions are cleared on the way. */
    void end(WebSession session) {
        update("DELETE FROM web_sessions WHERE token_hash = ? OR expires_at < now() - interval '1 day'", null, session.tokenHash());
    }

    private void update(String sql, String text, byte[] hash) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (text != null) {
                ps.setString(i++, text);
            }
            ps.setBytes(i, hash);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update a session", e);
        }
    }

    /** 256 random bits, base64url without padding (43 characters). */
    static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
