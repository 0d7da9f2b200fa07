package org.custodian.core.notifications;

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
import java.util.Optional;
import javax.sql.DataSource;
import org.custodian.core.changes.Transactions;
import org.custodian.core.consent.ConsentRecord;
import org.custodian.core.registers.NhsNumber;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.postgres.PostgresLogStore;

/**
 * Patients' notification preferences in PostgreSQL ({@code notification_preferences} and its history, see
 * {@code V9__notifications.sql}). A change is one transaction: the new version, its history row, and the
 * {@value #ENTRY_TYPE} ledger entry recording it, which names the patient in its top-level {@code patient}
 * member so that it is in the patient's own list of uses. Who may make a change is the caller's question
 * ({@link org.custodian.core.consent.ConsentAuthority}: the same people who may change the patient's choices).
 */
public final class NotificationPreferenceStore {
    public static final String ENTRY_TYPE = "notifications.change";

    private static final String COLUMNS = "version, break_glass, new_organisation, channel, email, set_by, set_via, set_at, ledger_index";

    private final DataSource dataSource;
    private final PostgresLogStore ledger;
    private final Clock clock;

    public NotificationPreferenceStore(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.ledger = new PostgresLogStore(dataSource);
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The patient's current preferences (version 0, nothing asked for, if they never set any). */
    public NotificationPreferences current(NhsNumber patient) {
        requireNonNull(patient, "patient is null");
        try (Connection c = dataSource.getConnection()) {
            return current(c, patient, false).orElseGet(() -> NotificationPreferences.none(patient));
        } catch (SQLException e) {
            throw new NotificationsUnavailableException("cannot read the patient's notification preferences: " + e.getMessage(), e);
        }
    }

    private static Optional<NotificationPreferences> current(Connection c, NhsNumber patient, boolean forUpdate) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM notification_preferences WHERE patient = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            s.setString(1, patient.value());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(read(patient, rs)) : Optional.empty();
            }
        }
    }

    private static NotificationPreferences read(NhsNumber patient, ResultSet rs) throws SQLException {
        NotificationChoices.Channel channel = NotificationChoices.Channel.fromCode(rs.getString(4)).orElseThrow();
        NotificationChoices choices = new NotificationChoices(rs.getBoolean(2), rs.getBoolean(3), channel, Optional.ofNullable(rs.getString(5)));
        return new NotificationPreferences(patient, choices, rs.getInt(1), rs.getTimestamp(8).toInstant(), rs.getString(6),
                ConsentRecord.Channel.fromCode(rs.getString(7)).orElseThrow(), rs.getLong(9));
    }

    /**
     * Replaces the patient's preferences and records the change in the ledger, in one transaction. When they
     * are the same as the current ones nothing is written and the current record is returned.
     *
     * @param setBy the person making the change (the patient, their proxy, or staff)
     * @param via how: the patient themself, a proxy, or staff on the patient's behalf
     * @throws NotificationsUnavailableException when it cannot be stored (nothing changed then)
     */
    public NotificationPreferences replace(NhsNumber patient, NotificationChoices choices, String setBy, ConsentRecord.Channel via) {
        requireNonNull(patient, "patient is null");
        requireNonNull(choices, "choices is null");
        requireNonNull(setBy, "setBy is null");
        requireNonNull(via, "via is null");
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        try {
            return Transactions.run(dataSource, c -> {
                // Serialise changes per patient: the row lock, or for a first choice the advisory lock.
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('notifications:' || ?))")) {
                    lock.setString(1, patient.value());
                    lock.execute();
                }
                Optional<NotificationPreferences> before = current(c, patient, true);
                if (before.isPresent() && before.get().choices().equals(choices)) {
                    return before.get();
                }
                if (before.isEmpty() && choices.equals(NotificationChoices.NONE)) {
                    return NotificationPreferences.none(patient);
                }
                int version = before.map(NotificationPreferences::version).orElse(0) + 1;
                long index = ledger.appendWithin(c, entry(patient, choices, version, setBy, via, now));
                try (PreparedStatement history = c.prepareStatement("INSERT INTO notification_preference_history (patient, " + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                        PreparedStatement current = c.prepareStatement("INSERT INTO notification_preferences (patient, " + COLUMNS
                                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (patient) DO UPDATE SET version = EXCLUDED.version,"
                                + " break_glass = EXCLUDED.break_glass, new_organisation = EXCLUDED.new_organisation,"
                                + " channel = EXCLUDED.channel, email = EXCLUDED.email, set_by = EXCLUDED.set_by,"
                                + " set_via = EXCLUDED.set_via, set_at = EXCLUDED.set_at, ledger_index = EXCLUDED.ledger_index")) {
                    for (PreparedStatement s : new PreparedStatement[] {history, current}) {
                        s.setString(1, patient.value());
                        s.setInt(2, version);
                        s.setBoolean(3, choices.breakGlass());
                        s.setBoolean(4, choices.newOrganisation());
                        s.setString(5, choices.channel().code());
                        s.setString(6, choices.email().orElse(null));
                        s.setString(7, setBy);
                        s.setString(8, via.code());
                        s.setTimestamp(9, Timestamp.from(now));
                        s.setLong(10, index);
                        s.executeUpdate();
                    }
                }
                return new NotificationPreferences(patient, choices, version, now, setBy, via, index);
            });
        } catch (SQLException e) {
            throw new NotificationsUnavailableException("cannot record the patient's notification preferences: " + e.getMessage(), e);
        }
    }

    /**
     * The ledger entry: what was asked for and by whom. The e-mail address itself is not put in an append-only
     * log; its masked form is, so the patient can see where their messages were sent to from then on.
     */
    private static LedgerEntry entry(NhsNumber patient, NotificationChoices choices, int version, String setBy, ConsentRecord.Channel via,
            Instant now) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("patient", patient.value());
        fields.put("preferencesVersion", (long) version);
        fields.put("breakGlass", choices.breakGlass());
        fields.put("newOrganisation", choices.newOrganisation());
        fields.put("channel", choices.channel().code());
        choices.email().ifPresent(a -> fields.put("email", NotificationChoices.masked(a)));
        fields.put("recordedBy", setBy);
        fields.put("via", via.code());
        return LedgerEntry.create(ENTRY_TYPE, 1, now, fields);
    }

    /** Every version of the patient's preferences, oldest first. */
    public List<NotificationPreferences> history(NhsNumber patient) {
        requireNonNull(patient, "patient is null");
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM notification_preference_history WHERE patient = ? ORDER BY version")) {
            s.setString(1, patient.value());
            List<NotificationPreferences> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(read(patient, rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new NotificationsUnavailableException("cannot read the patient's notification preferences: " + e.getMessage(), e);
        }
    }
}
