package org.custodian.core.notifications;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.custodian.core.activity.ActivityEntry;
import org.custodian.core.activity.DescribedUse;
import org.custodian.core.activity.UseDescriber;
import org.custodian.core.changes.LedgerCursor;
import org.custodian.core.changes.Transactions;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Registers;
import org.custodian.core.rules.GovernedRuleSet;
import org.custodian.ledger.entry.EntryException;
import org.custodian.ledger.entry.LedgerEntry;

/**
 * Follows the patients' index of the ledger ({@code patient_activity}) in index order and queues a notification
 * for each entry a patient asked to be told about: a break-glass access, or an organisation's first use of their
 * data. The preferences applied are those in force at the entry: the newest version recorded at a smaller index.
 *
 * <p>No entry is notified twice and none is missed, across restarts and with any number of server processes:
 * <ol>
 *   <li>One pass is one transaction, and it starts by taking the one cursor row {@code FOR UPDATE SKIP LOCKED}.
 *       A second process finds it taken and does nothing this time (its next pass reads the moved cursor).
 *   <li>It reads only below the integrated tree size ({@code ledger_tree.size}). Indexes come from a sequence and
 *       appends commit concurrently, so an entry with a smaller index can commit after one with a larger; below
 *       the tree size, though, every index is a committed entry or a filled gap, and its patient_activity row
 *       (written by a trigger in the same statement) is there. Nothing can appear behind the cursor later.
 *   <li>The notifications it queues and the cursor's new position commit together, or neither does. A crash
 *       before the commit leaves both as they were; the next pass does the same work again.
 *   <li>And the table allows one notification per patient and entry, should anything else go wrong.
 * </ol>
 * A notification therefore waits for the next checkpoint (a quarter of a second by default) before it is queued.
 */
public final class Notifier {
    private static final LedgerCursor CURSOR = new LedgerCursor("notification_cursor");
    /** Entries considered per transaction at most; a pass that fills it is followed by another at once. */
    static final int BATCH = 500;

    /**
     * An organisation "using" a patient's data: an access it was allowed. The patient looking at their own record,
     * and their carer or attorney looking at it for them (PATRQT, PWATRNY, FAMRQT), are not an organisation's use,
     * although those accesses are recorded under the patient's GP practice.
     */
    private static final String USE = "%1$s.type = 'access.decision' AND %1$s.decision = 'permit'"
            + " AND %1$s.purpose NOT IN ('PATRQT', 'PWATRNY', 'FAMRQT')";

    private static final String CANDIDATES = "SELECT a.nhs_number, a.idx, a.at, a.type, a.organisation, a.purpose, a.decision, a.break_glass,"
            + " e.content, p.break_glass, p.new_organisation, p.channel, p.email,"
            // The organisation's first use: no earlier use by it in this patient's entries (their primary key bounds the scan).
            + " CASE WHEN p.new_organisation AND a.organisation IS NOT NULL THEN NOT EXISTS (SELECT 1 FROM patient_activity b"
            + "   WHERE b.nhs_number = a.nhs_number AND b.idx < a.idx AND b.organisation = a.organisation AND " + USE.formatted("b") + ")"
            + " ELSE false END"
            + " FROM patient_activity a"
            + " CROSS JOIN LATERAL (SELECT h.break_glass, h.new_organisation, h.channel, h.email FROM notification_preference_history h"
            + "   WHERE h.patient = a.nhs_number AND h.ledger_index < a.idx ORDER BY h.ledger_index DESC LIMIT 1) p"
            + " JOIN ledger_entries e ON e.idx = a.idx"
            + " WHERE a.idx >= ? AND a.idx < ? AND " + USE.formatted("a")
            + " AND ((p.break_glass AND a.break_glass) OR p.new_organisation)"
            + " ORDER BY a.idx LIMIT ?";

    /**
     * What one pass did.
     *
     * @param ran false when another process held the cursor (nothing was done)
     * @param from the cursor before: entries from this index were considered
     * @param to the cursor after: entries below this index have been considered
     * @param queued notifications queued
     * @param full the pass stopped at its batch size: there is more to read now
     */
    public record Pass(boolean ran, long from, long to, int queued, boolean full) {
        static Pass busy() {
            return new Pass(false, -1, -1, 0, false);
        }
    }

    private final DataSource dataSource;
    private final Registers registers;
    private final Supplier<GovernedRuleSet> rules;
    private final Clock clock;
    private final int batch;

    public Notifier(DataSource dataSource, Registers registers, Supplier<GovernedRuleSet> rules, Clock clock) {
        this(dataSource, registers, rules, clock, BATCH);
    }

    Notifier(DataSource dataSource, Registers registers, Supplier<GovernedRuleSet> rules, Clock clock, int batch) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.registers = requireNonNull(registers, "registers is null");
        this.rules = requireNonNull(rules, "rules is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1");
        }
        this.batch = batch;
    }

    /** Passes until caught up with the integrated tree, or until another process holds the cursor; how many were queued. */
    public int catchUp() {
        int queued = 0;
        Pass p;
        do {
            p = runOnce();
            queued += p.queued();
        } while (p.ran() && p.full());
        return queued;
    }

    /** One pass, one transaction (see the class comment for why it neither repeats nor misses). */
    public Pass runOnce() {
        try {
            return Transactions.run(dataSource, this::pass);
        } catch (SQLException e) {
            throw new NotificationsUnavailableException("cannot follow the ledger for notifications: " + e.getMessage(), e);
        }
    }

    private Pass pass(Connection c) throws SQLException {
        // 1. The cursor, or nothing: another process is on it.
        long from = CURSOR.claim(c);
        if (from < 0) {
            return Pass.busy();
        }
        // 2. How far it may read: the integrated tree, below which nothing more can commit.
        long size = LedgerCursor.integratedSize(c);
        if (size <= from) {
            return new Pass(true, from, from, 0, false);
        }
        // 3. The entries some patient asked about, in index order; queue each one that applies.
        Instant now = clock.instant();
        UseDescriber describer = new UseDescriber(registers, rules.get());
        int rows = 0;
        long last = from - 1;
        int queued = 0;
        try (PreparedStatement s = c.prepareStatement(CANDIDATES)) {
            s.setLong(1, from);
            s.setLong(2, size);
            s.setInt(3, batch);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    last = rs.getLong(2);
                    if (queueIfAsked(c, rs, describer, now)) {
                        queued++;
                    }
                }
            }
        }
        // 4. The cursor moves with what was queued, in the same commit.
        boolean full = rows == batch;
        long to = full ? last + 1 : size;
        CURSOR.advance(c, to);
        return new Pass(true, from, to, queued, full);
    }

    private boolean queueIfAsked(Connection c, ResultSet rs, UseDescriber describer, Instant now) throws SQLException {
        NhsNumber patient = new NhsNumber(rs.getString(1));
        boolean breakGlass = rs.getBoolean(8);
        boolean firstUse = rs.getBoolean(14);
        boolean toldOfBreakGlass = breakGlass && rs.getBoolean(10);
        boolean toldOfFirstUse = firstUse && rs.getBoolean(11);
        if (!toldOfBreakGlass && !toldOfFirstUse) {
            return false;
        }
        Notification.Kind kind = toldOfBreakGlass ? Notification.Kind.BREAK_GLASS : Notification.Kind.NEW_ORGANISATION;
        NotificationChoices.Channel channel = NotificationChoices.Channel.fromCode(rs.getString(12)).orElseThrow();
        NotificationChoices choices = new NotificationChoices(rs.getBoolean(10), rs.getBoolean(11), channel, Optional.ofNullable(rs.getString(13)));
        ActivityEntry entry = new ActivityEntry(rs.getLong(2), rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), breakGlass, fields(rs.getBytes(9)));
        NotificationText.Text text = NotificationText.compose(kind, firstUse, describe(describer, entry),
                registers.patient(patient).map(Person::name));
        return NotificationQueue.queue(c, patient, kind, entry.index(), now, choices, text);
    }

    /**
     * In words, as the patient's page says it. Should describing fail (a register that cannot be read), the
     * notification still goes, in fewer words: a patient who asked to be told is told.
     */
    private static DescribedUse describe(UseDescriber describer, ActivityEntry entry) {
        try {
            return describer.describe(entry);
        } catch (RuntimeException e) {
            return new DescribedUse(entry.index(), entry.at(), entry.breakGlass() ? "Emergency access to your record (break-glass)" : "Your data was used",
                    entry.organisation() == null ? "" : entry.organisation(), "", "", "", "", "", List.of(), "", entry.breakGlass(), false);
        }
    }

    private static Optional<Map<String, Object>> fields(byte[] content) {
        if (content == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LedgerEntry.parse(content).fields());
        } catch (EntryException e) {
            return Optional.empty();
        }
    }
}
