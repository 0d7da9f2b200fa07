package org.custodian.core.notifications;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.custodian.core.changes.Transactions;
import org.custodian.core.registers.NhsNumber;

/**
 * The {@code notifications} table: queued by the {@link Notifier}, sent by e-mail here, or taken into the next
 * letter batch.
 *
 * <p>E-mail is sent at least once: a notification is claimed with {@code FOR UPDATE SKIP LOCKED} (so two server
 * processes never send the same one at the same time), handed to the delivery, and marked sent in the same
 * transaction. A process that dies between the hand-over and the commit leaves it queued, and it is sent again;
 * the outbox writes the same file again under the same name, and an SMTP adapter MUST reuse the Message-ID
 * ({@link EmailMessage#messageId}) so a receiving system can tell.
 */
public final class NotificationQueue {
    private static final String COLUMNS = "id, patient, kind, ledger_index, created_at, channel, email, subject, body, status, attempts,"
            + " sent_at, letter_batch";

    /** How sending by e-mail is retried: after {@code first}, doubling up to {@code longest}, {@code attempts} times in all. */
    public record Retry(int attempts, Duration first, Duration longest) {
        public static final Retry DEFAULT = new Retry(10, Duration.ofMinutes(1), Duration.ofHours(4));

        public Retry {
            requireNonNull(first, "first is null");
            requireNonNull(longest, "longest is null");
            if (attempts < 1) {
                throw new IllegalArgumentException("at least one attempt");
            }
        }

        Duration after(int attemptsMade) {
            Duration d = first;
            for (int i = 1; i < attemptsMade && d.compareTo(longest) < 0; i++) {
                d = d.multipliedBy(2);
            }
            return d.compareTo(longest) > 0 ? longest : d;
        }
    }

    /** What one pass of sending did. */
    public record Sent(int sent, int retrying, int failed) {}

    /** Where a letter batch puts what it takes: the notifications are marked taken only if this returns. */
    public interface LetterSink {
        void include(NhsNumber patient, List<Notification> notifications) throws IOException;
    }

    private final DataSource dataSource;
    private final Clock clock;

    public NotificationQueue(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Queues one, inside the notifier's transaction; false if that entry already has a notification for that patient. */
    static boolean queue(Connection c, NhsNumber patient, Notification.Kind kind, long ledgerIndex, Instant now, NotificationChoices choices,
            NotificationText.Text text) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO notifications (patient, kind, ledger_index, created_at, channel, email,"
                + " subject, body, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (patient, ledger_index) DO NOTHING")) {
            s.setString(1, patient.value());
            s.setString(2, kind.code());
            s.setLong(3, ledgerIndex);
            s.setTimestamp(4, Timestamp.from(now));
            s.setString(5, choices.channel().code());
            s.setString(6, choices.email().orElse(null));
            s.setString(7, text.subject());
            s.setString(8, text.body());
            s.setTimestamp(9, Timestamp.from(now));
            return s.executeUpdate() == 1;
        }
    }

    /**
     * Sends the queued e-mail notifications that are due, one transaction each, at most {@code max}. A failed
     * send is tried again later ({@code retry}); after the last attempt it is marked failed, and the next letter
     * batch carries it instead ({@link #takeForLetter}): a patient who asked to be told is told, one way or the other.
     */
    public Sent sendDueEmails(NotificationDelivery delivery, Retry retry, int max) {
        requireNonNull(delivery, "delivery is null");
        requireNonNull(retry, "retry is null");
        int sent = 0;
        int retrying = 0;
        int failed = 0;
        for (int i = 0; i < max; i++) {
            Optional<Notification.Status> outcome;
            try {
                outcome = Transactions.run(dataSource, c -> sendOne(c, delivery, retry));
            } catch (SQLException e) {
                throw new NotificationsUnavailableException("cannot send notifications: " + e.getMessage(), e);
            }
            if (outcome.isEmpty()) {
                break;
            }
            switch (outcome.get()) {
                case SENT -> sent++;
                case QUEUED -> retrying++;
                case FAILED -> failed++;
            }
        }
        return new Sent(sent, retrying, failed);
    }

    private Optional<Notification.Status> sendOne(Connection c, NotificationDelivery delivery, Retry retry) throws SQLException {
        Instant now = clock.instant();
        Notification n;
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM notifications WHERE status = 'queued' AND channel = 'email'"
                + " AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
            s.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                n = read(rs);
            }
        }
        try {
            delivery.email(n);
        } catch (IOException | RuntimeException e) {
            int attempts = n.attempts() + 1;
            boolean last = attempts >= retry.attempts();
            try (PreparedStatement s = c.prepareStatement("UPDATE notifications SET attempts = ?, status = ?, next_attempt_at = ?, last_error = ?"
                    + " WHERE id = ?")) {
                s.setInt(1, attempts);
                s.setString(2, (last ? Notification.Status.FAILED : Notification.Status.QUEUED).code());
                s.setTimestamp(3, Timestamp.from(now.plus(retry.after(attempts))));
                s.setString(4, String.valueOf(e.getMessage()));
                s.setLong(5, n.id());
                s.executeUpdate();
            }
            return Optional.of(last ? Notification.Status.FAILED : Notification.Status.QUEUED);
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE notifications SET attempts = attempts + 1, status = 'sent', sent_at = ?,"
                + " last_error = NULL WHERE id = ?")) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            s.setLong(2, n.id());
            s.executeUpdate();
        }
        return Optional.of(Notification.Status.SENT);
    }

    /** Patients with something waiting for the next letter batch. */
    public List<NhsNumber> awaitingLetter() {
        List<NhsNumber> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT DISTINCT patient FROM notifications WHERE " + FOR_LETTER + " ORDER BY 1");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(new NhsNumber(rs.getString(1)));
            }
            return out;
        } catch (SQLException e) {
            throw new NotificationsUnavailableException("cannot list the patients with notifications for a letter: " + e.getMessage(), e);
        }
    }

    /** Letter-channel notifications still queued, and e-mails that failed for good. */
    private static final String FOR_LETTER = "letter_batch IS NULL AND ((channel = 'letter' AND status = 'queued')"
            + " OR (channel = 'email' AND status = 'failed'))";

    /**
     * Takes the patient's notifications waiting for a letter (oldest first), hands them to {@code sink}, and
     * marks them included in {@code batch}, all in one transaction: if the sink throws, none is marked, and the
     * next batch takes them. Locked while the sink runs, so two batches cannot both take the same ones.
     *
     * @return what was included (empty if there was nothing; the sink is not called then)
     */
    public List<Notification> takeForLetter(NhsNumber patient, String batch, LetterSink sink) throws IOException {
        requireNonNull(patient, "patient is null");
        requireNonNull(batch, "batch is null");
        requireNonNull(sink, "sink is null");
        IOException[] failure = new IOException[1];
        List<Notification> taken;
        try {
            taken = Transactions.run(dataSource, c -> {
                List<Notification> list = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM notifications WHERE patient = ? AND " + FOR_LETTER
                        + " ORDER BY ledger_index FOR UPDATE")) {
                    s.setString(1, patient.value());
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            list.add(read(rs));
                        }
                    }
                }
                if (list.isEmpty()) {
                    return list;
                }
                try {
                    sink.include(patient, List.copyOf(list));
                } catch (IOException e) {
                    failure[0] = e;
                    throw new SQLException("the letter could not be written", e);
                }
                try (PreparedStatement s = c.prepareStatement("UPDATE notifications SET status = 'sent', sent_at = ?, letter_batch = ?"
                        + " WHERE id = ANY (?)")) {
                    s.setTimestamp(1, Timestamp.from(clock.instant()));
                    s.setString(2, batch);
                    s.setArray(3, c.createArrayOf("bigint", list.stream().map(Notification::id).toArray(Long[]::new)));
                    s.executeUpdate();
                }
                return list;
            });
        } catch (SQLException e) {
            if (failure[0] != null) {
                throw failure[0];
            }
            throw new NotificationsUnavailableException("cannot take notifications for a letter: " + e.getMessage(), e);
        }
        return taken;
    }

    /** As {@link #takeForLetter(NhsNumber, String, LetterSink)}, the letter written by {@code delivery}. */
    public List<Notification> takeForLetter(NhsNumber patient, String batch, NotificationDelivery delivery) throws IOException {
        requireNonNull(delivery, "delivery is null");
        return takeForLetter(patient, batch, (p, list) -> delivery.letter(batch, p, list));
    }

    /** The patient's notifications, newest first. */
    public List<Notification> forPatient(NhsNumber patient, int limit) {
        requireNonNull(patient, "patient is null");
        List<Notification> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM notifications WHERE patient = ? ORDER BY ledger_index DESC LIMIT ?")) {
            s.setString(1, patient.value());
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new NotificationsUnavailableException("cannot read the patient's notifications: " + e.getMessage(), e);
        }
    }

    private static Notification read(ResultSet rs) throws SQLException {
        Timestamp sent = rs.getTimestamp(12);
        return new Notification(rs.getLong(1), new NhsNumber(rs.getString(2)), Notification.Kind.fromCode(rs.getString(3)).orElseThrow(),
                rs.getLong(4), rs.getTimestamp(5).toInstant(), NotificationChoices.Channel.fromCode(rs.getString(6)).orElseThrow(),
                Optional.ofNullable(rs.getString(7)), rs.getString(8), rs.getString(9), Notification.Status.fromCode(rs.getString(10)).orElseThrow(),
                rs.getInt(11), Optional.ofNullable(sent).map(Timestamp::toInstant), Optional.ofNullable(rs.getString(13)));
    }
}
