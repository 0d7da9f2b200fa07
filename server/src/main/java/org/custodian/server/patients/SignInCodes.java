package org.custodian.server.patients;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The demonstration's sign-in: a one-time six-digit code for a chosen demo person, which a real
 * service would send by text message and the demonstration shows on screen (and says so). Codes are
 * stored hashed, live {@link #LIFETIME}, are used once, and {@link #MAX_WRONG_GUESSES} wrong guesses
 * burn them.
 */
final class SignInCodes {
    static final Duration LIFETIME = Duration.ofMinutes(5);
    static final int MAX_WRONG_GUESSES = 3;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource dataSource;
    private final Clock clock;

    SignInCodes(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A new attempt for this person: its id (safe to put in a page) and the code. */
    record Attempt(String id, String code) {}

    Attempt issue(String personId) {
        String id = WebSessions.randomToken();
        String code = String.format("%06d", RANDOM.nextInt(1_000_000));
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO web_sign_in_codes (attempt_id, person_id, code_hash, expires_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, personId);
            ps.setBytes(3, WebSessions.sha256(id + ":" + code));
            ps.setTimestamp(4, Timestamp.from(clock.instant().plus(LIFETIME)));
            ps.executeUpdate();
            return new Attempt(id, code);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot issue a sign-in code", e);
        }
    }

    /** The person the code signs in, if it is right and live; the attempt is used up either way once right. */
    Optional<String> redeem(String attemptId, String code) {
        if (attemptId == null || code == null) {
            return Optional.empty();
        }
        String digits = code.replaceAll("\\s", "");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT person_id, code_hash FROM web_sign_in_codes WHERE attempt_id = ?"
                    + " AND expires_at > ? AND wrong_guesses < ? FOR UPDATE")) {
                ps.setString(1, attemptId);
                ps.setTimestamp(2, Timestamp.from(clock.instant()));
                ps.setInt(3, MAX_WRONG_GUESSES);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        c.rollback();
                        return Optional.empty();
                    }
                    String person = rs.getString(1);
                    boolean right = MessageDigest.isEqual(rs.getBytes(2), WebSessions.sha256(attemptId + ":" + digits));
                    String sql = right ? "DELETE FROM web_sign_in_codes WHERE attempt_id = ? OR expires_at < now()"
                            : "UPDATE web_sign_in_codes SET wrong_guesses = wrong_guesses + 1 WHERE attempt_id = ?";
                    try (PreparedStatement u = c.prepareStatement(sql)) {
                        u.setString(1, attemptId);
                        u.executeUpdate();
                    }
                    c.commit();
                    return right ? Optional.of(person) : Optional.empty();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check a sign-in code", e);
        }
    }
}
