package org.custodian.core.consent;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.custodian.core.changes.DatabaseNotifications;
import org.custodian.core.registers.NhsNumber;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.postgres.PostgresLogStore;

/**
 * Patients' choices in PostgreSQL, cached in memory for the gate.
 *
 * <p>Withdrawal is immediate: a change is committed together with the ledger entry recording it and
 * a {@value #CHANNEL} notification; this process drops its cached copy before {@link #replace}
 * returns, and every other process sharing the database drops its copy when the notification
 * arrives (milliseconds, well within the one-second target). While notifications may be missed
 * (the listening connection is down), the cache is bypassed and every read goes to the database.
 */
public final class ConsentStore {
    public static final String CHANNEL = "consent_changed";

    private final DataSource dataSource;
    private final PostgresLogStore ledger;
    private final DatabaseNotifications notifications;
    private final Clock clock;
    private final Map<NhsNumber, ConsentRecord> cache = new ConcurrentHashMap<>();
    // Bumped on every invalidation; a load that raced with one does not enter the cache.
    private final AtomicLong generation = new AtomicLong();

    public ConsentStore(DataSource dataSource, DatabaseNotifications notifications, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.ledger = new PostgresLogStore(dataSource);
        this.notifications = requireNonNull(notifications, "notifications is null");
        this.clock = requireNonNull(clock, "clock is null");
        notifications.subscribe(CHANNEL, this::invalidate);
        notifications.onGap(this::invalidateAll);
    }

    private void invalidate(String patient) {
        generation.incrementAndGet();
        try {
            cache.remove(new NhsNumber(patient));
        } catch (IllegalArgumentException e) {
            invalidateAll();
        }
    }

    private void invalidateAll() {
        generation.incrementAndGet();
        cache.clear();
    }

    /** The patient's current choices (version 0, nothing refused, if they never recorded any). */
    public ConsentRecord current(NhsNumber patient) {
        requireNonNull(patient, "patient is null");
        if (notifications.isListening()) {
            ConsentRecord cached = cache.get(patient);
            if (cached != null) {
                return cached;
            }
        }
        long before = generation.get();
        ConsentRecord loaded = load(patient);
        if (notifications.isListening() && generation.get() == before) {
            cache.putIfAbsent(patient, loaded);
        }
        return loaded;
    }

    public ConsentChoices choices(NhsNumber patient) {
        return current(patient).choices();
    }

    private ConsentRecord load(NhsNumber patient) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT version, choices, recorded_by, channel, recorded_at, ledger_index FROM consent_choices WHERE patient = ?")) {
            s.setString(1, patient.value());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return ConsentRecord.none(patient);
                }
                return record(patient, rs);
            }
        } catch (SQLException e) {
            throw new ConsentUnavailableException("cannot read the patient's choices: " + e.getMessage(), e);
        }
    }

    private static ConsentRecord record(NhsNumber patient, ResultSet rs) throws SQLException {
        ConsentChoices choices = ConsentJson.fromJson(CanonicalJson.parse(rs.getString(2).getBytes(StandardCharsets.UTF_8)));
        return new ConsentRecord(patient, choices, rs.getInt(1), rs.getTimestamp(5).toInstant(), rs.getString(3),
                ConsentRecord.Channel.fromCode(rs.getString(4)).orElseThrow(), rs.getLong(6));
    }

    /**
     * Replaces the patient's choices: one transaction stores the new version, its history row and
     * the {@code consent.change} ledger entry, and notifies every process. When the choices are
     * the same as the current ones nothing is written and the current record is returned.
     *
     * @throws ConsentUnavailableException when it cannot be stored (nothing changed then)
     */
    public ConsentRecord replace(NhsNumber patient, ConsentChoices choices, String recordedBy, ConsentRecord.Channel channel) {
        requireNonNull(patient, "patient is null");
        requireNonNull(choices, "choices is null");
        requireNonNull(recordedBy, "recordedBy is null");
        requireNonNull(channel, "channel is null");
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String json = CanonicalJson.canonicalString(ConsentJson.toJson(choices));
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // Serialise changes per patient: the row lock (or, for a first choice, the advisory lock).
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('consent:' || ?))")) {
                    lock.setString(1, patient.value());
                    lock.execute();
                }
                int version = 0;
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT version, choices, recorded_by, channel, recorded_at, ledger_index FROM consent_choices WHERE patient = ?")) {
                    s.setString(1, patient.value());
                    try (ResultSet rs = s.executeQuery()) {
                        if (rs.next()) {
                            if (rs.getString(2).equals(json)) {
                                ConsentRecord unchanged = record(patient, rs);
                                c.rollback();
                                return unchanged;
                            }
                            version = rs.getInt(1);
                        }
                    }
                }
                int next = version + 1;
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("patient", patient.value());
                fields.put("consentVersion", (long) next);
                fields.put("choices", ConsentJson.toJson(choices));
                fields.put("recordedBy", recordedBy);
                fields.put("channel", channel.code());
                long index = ledger.appendWithin(c, LedgerEntry.create("consent.change", 1, now, fields));
                try (PreparedStatement history = c.prepareStatement(
                        "INSERT INTO consent_history (patient, version, choices, recorded_by, channel, recorded_at, ledger_index) "
                                + "VALUES (?, ?, ?, ?, ?, ?, ?)");
                        PreparedStatement current = c.prepareStatement(
                                "INSERT INTO consent_choices (patient, version, choices, recorded_by, channel, recorded_at, ledger_index) "
                                        + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (patient) DO UPDATE SET version = EXCLUDED.version, "
                                        + "choices = EXCLUDED.choices, recorded_by = EXCLUDED.recorded_by, channel = EXCLUDED.channel, "
                                        + "recorded_at = EXCLUDED.recorded_at, ledger_index = EXCLUDED.ledger_index")) {
                    for (PreparedStatement s : new PreparedStatement[] {history, current}) {
                        s.setString(1, patient.value());
                        s.setInt(2, next);
                        s.setString(3, json);
                        s.setString(4, recordedBy);
                        s.setString(5, channel.code());
                        s.setTimestamp(6, Timestamp.from(now));
                        s.setLong(7, index);
                        s.executeUpdate();
                    }
                }
                DatabaseNotifications.notify(c, CHANNEL, patient.value());
                c.commit();
                // This process's next decision MUST see the change, whatever the notification's timing.
                invalidate(patient.value());
                return new ConsentRecord(patient, choices, next, now, recordedBy, channel, index);
            } catch (SQLException | RuntimeException e) {
                org.custodian.core.changes.Transactions.rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new ConsentUnavailableException("cannot record the patient's choices: " + e.getMessage(), e);
        }
    }

    /** Every version of the patient's choices, oldest first. */
    public java.util.List<ConsentRecord> history(NhsNumber patient) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT version, choices, recorded_by, channel, recorded_at, ledger_index FROM consent_history "
                                + "WHERE patient = ? ORDER BY version")) {
            s.setString(1, patient.value());
            java.util.List<ConsentRecord> out = new java.util.ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(record(patient, rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new ConsentUnavailableException("cannot read the patient's choices: " + e.getMessage(), e);
        }
    }
}
