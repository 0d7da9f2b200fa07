package org.custodian.core.rules;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.custodian.core.changes.DatabaseNotifications;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.postgres.PostgresLogStore;

/**
 * The governed rules in PostgreSQL: every version kept, each change committed with the {@code
 * rules.change} ledger entry recording it, and cached in memory until a {@value #CHANNEL}
 * notification (or a gap in notifications) says it may be stale.
 */
public final class GovernedRuleStore {
    public static final String CHANNEL = "rules_changed";

    private final DataSource dataSource;
    private final PostgresLogStore ledger;
    private final DatabaseNotifications notifications;
    private final Clock clock;
    private volatile GovernedRuleSet cached;

    public GovernedRuleStore(DataSource dataSource, DatabaseNotifications notifications, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.ledger = new PostgresLogStore(dataSource);
        this.notifications = requireNonNull(notifications, "notifications is null");
        this.clock = requireNonNull(clock, "clock is null");
        notifications.subscribe(CHANNEL, payload -> cached = null);
        notifications.onGap(() -> cached = null);
    }

    /** The rules in force; the defaults are recorded as version 1 the first time anyone asks. */
    public GovernedRuleSet current() {
        GovernedRuleSet rules = cached;
        if (rules != null && notifications.isListening()) {
            return rules;
        }
        rules = load();
        if (rules == null) {
            rules = record(GovernedRuleSet.defaults().rules(), "custodian (default rules)", 0);
        }
        if (notifications.isListening()) {
            cached = rules;
        }
        return rules;
    }

    private GovernedRuleSet load() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version, rules FROM governed_rules ORDER BY version DESC LIMIT 1")) {
            return rs.next() ? parse(rs.getInt(1), rs.getString(2)) : null;
        } catch (SQLException e) {
            throw new RulesUnavailableException("cannot read the governed rules: " + e.getMessage(), e);
        }
    }

    private static GovernedRuleSet parse(int version, String json) {
        return new GovernedRuleSet(version, GovernedRulesJson.rules(CanonicalJson.parse(json.getBytes(StandardCharsets.UTF_8))));
    }

    /**
     * Makes {@code rules} the rules in force as the next version, recorded in the ledger in the same
     * transaction. {@code expectedVersion} is the version the change was drafted against; if the
     * rules have changed since, nothing is written and {@link IllegalStateException} is thrown.
     * Identical rules are not a change: the current version is returned.
     */
    public GovernedRuleSet replace(List<GovernedRule> rules, String recordedBy, int expectedVersion) {
        return record(rules, recordedBy, expectedVersion);
    }

    private GovernedRuleSet record(List<GovernedRule> rules, String recordedBy, int expectedVersion) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement lock = c.createStatement()) {
                    lock.execute("SELECT pg_advisory_xact_lock(hashtext('governed_rules'))");
                }
                GovernedRuleSet current;
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT version, rules FROM governed_rules ORDER BY version DESC LIMIT 1")) {
                    current = rs.next() ? parse(rs.getInt(1), rs.getString(2)) : null;
                }
                int currentVersion = current == null ? 0 : current.version();
                if (current != null && current.rules().equals(rules)) {
                    c.rollback();
                    return current;
                }
                if (currentVersion != expectedVersion) {
                    c.rollback();
                    if (expectedVersion == 0 && current != null) {
                        return current; // someone else recorded the defaults first
                    }
                    throw new IllegalStateException("the governed rules are at version " + currentVersion
                            + ", not " + expectedVersion + "; review the current rules and try again");
                }
                GovernedRuleSet next = new GovernedRuleSet(currentVersion + 1, rules);
                Map<String, Object> json = next.toJson();
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("rulesVersion", (long) next.version());
                fields.put("rules", json.get("rules"));
                fields.put("recordedBy", recordedBy);
                long index = ledger.appendWithin(c, LedgerEntry.create("rules.change", 1, now, fields));
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO governed_rules (version, rules, recorded_by, recorded_at, ledger_index) VALUES (?, ?, ?, ?, ?)")) {
                    insert.setInt(1, next.version());
                    insert.setString(2, CanonicalJson.canonicalString(json));
                    insert.setString(3, recordedBy);
                    insert.setTimestamp(4, Timestamp.from(now));
                    insert.setLong(5, index);
                    insert.executeUpdate();
                }
                DatabaseNotifications.notify(c, CHANNEL, Integer.toString(next.version()));
                c.commit();
                cached = null;
                return next;
            } catch (SQLException | RuntimeException e) {
                org.custodian.core.changes.Transactions.rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new RulesUnavailableException("cannot record the governed rules: " + e.getMessage(), e);
        }
    }
}
