package org.custodian.core.decisions;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Role;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.postgres.PostgresLogStore;

/**
 * Break-glass accesses queued for review by the Caldicott Guardian of the organisation that broke the
 * glass. Queued before the data is returned; each review is itself a ledger entry ({@code
 * breakglass.review}), committed with the review.
 */
public final class BreakGlassReviews {
    private final DataSource dataSource;
    private final PostgresLogStore ledger;
    private final Clock clock;

    /** One queued (or reviewed) break-glass access. */
    public record Review(long decisionIndex, String patient, String person, String organisation, Instant decidedAt,
            String reviewedBy, Instant reviewedAt, String outcome) {}

    public BreakGlassReviews(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.ledger = new PostgresLogStore(dataSource);
        this.clock = requireNonNull(clock, "clock is null");
    }

    void queue(long decisionIndex, AccessRequest request, Instant decidedAt) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "INSERT INTO break_glass_reviews (ledger_index, patient, person, organisation, decided_at) VALUES (?, ?, ?, ?, ?) "
                                + "ON CONFLICT (ledger_index) DO NOTHING")) {
            s.setLong(1, decisionIndex);
            s.setString(2, request.patient().value());
            s.setString(3, request.requester().id());
            s.setString(4, request.organisation().id());
            s.setTimestamp(5, Timestamp.from(decidedAt));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot queue the break-glass access for review: " + e.getMessage(), e);
        }
    }

    /** Accesses of this organisation not yet reviewed, oldest first. */
    public List<Review> open(String organisation) {
        return query("WHERE organisation = ? AND reviewed_at IS NULL ORDER BY decided_at", organisation);
    }

    /** Every break-glass access to this patient's record, newest first. */
    public List<Review> forPatient(String nhsNumber) {
        return query("WHERE patient = ? ORDER BY decided_at DESC", nhsNumber);
    }

    private List<Review> query(String where, String value) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT ledger_index, patient, person, organisation, decided_at, reviewed_by, "
                        + "reviewed_at, outcome FROM break_glass_reviews " + where)) {
            s.setString(1, value);
            List<Review> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Timestamp reviewed = rs.getTimestamp(7);
                    out.add(new Review(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(),
                            rs.getString(6), reviewed == null ? null : reviewed.toInstant(), rs.getString(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read break-glass reviews: " + e.getMessage(), e);
        }
    }

    /**
     * Records a Caldicott Guardian's review of one break-glass access ({@code outcome}: "justified" or
     * "not-justified", with a note), with its ledger entry, in one transaction.
     */
    public Review review(long decisionIndex, Person reviewer, String outcome, String note) {
        requireNonNull(reviewer, "reviewer is null");
        if (reviewer.role() != Role.CALDICOTT_GUARDIAN) {
            throw new IllegalArgumentException("only a Caldicott Guardian reviews break-glass accesses");
        }
        if (!"justified".equals(outcome) && !"not-justified".equals(outcome)) {
            throw new IllegalArgumentException("outcome is \"justified\" or \"not-justified\"");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Review queued;
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT patient, person, organisation, decided_at, reviewed_at FROM break_glass_reviews WHERE ledger_index = ? FOR UPDATE")) {
                    s.setLong(1, decisionIndex);
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next()) {
                            throw new IllegalArgumentException("no break-glass access at ledger index " + decisionIndex);
                        }
                        if (rs.getTimestamp(5) != null) {
                            throw new IllegalArgumentException("the break-glass access at ledger index " + decisionIndex + " was already reviewed");
                        }
                        if (!rs.getString(3).equals(reviewer.organisation())) {
                            throw new IllegalArgumentException("a Caldicott Guardian reviews their own organisation's accesses only");
                        }
                        queued = new Review(decisionIndex, rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getTimestamp(4).toInstant(), reviewer.id(), now, outcome);
                    }
                }
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("decision", decisionIndex);
                fields.put("patient", queued.patient());
                fields.put("reviewer", reviewer.id());
                fields.put("organisation", reviewer.organisation());
                fields.put("outcome", outcome);
                fields.put("note", note == null ? "" : note);
                long index = ledger.appendWithin(c, LedgerEntry.create("breakglass.review", 1, now, fields));
                try (PreparedStatement u = c.prepareStatement(
                        "UPDATE break_glass_reviews SET reviewed_by = ?, reviewed_at = ?, outcome = ?, review_index = ? WHERE ledger_index = ?")) {
                    u.setString(1, reviewer.id());
                    u.setTimestamp(2, Timestamp.from(now));
                    u.setString(3, outcome);
                    u.setLong(4, index);
                    u.setLong(5, decisionIndex);
                    u.executeUpdate();
                }
                c.commit();
                return queued;
            } catch (SQLException | RuntimeException e) {
                org.custodian.core.changes.Transactions.rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the review: " + e.getMessage(), e);
        }
    }
}
