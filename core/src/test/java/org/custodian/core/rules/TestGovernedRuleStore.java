package org.custodian.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.custodian.core.changes.DatabaseNotifications;
import org.custodian.core.registers.Sector;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.postgres.PostgresPerClass;
import org.custodian.ledger.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Governed rules as versioned data: every change recorded in the ledger, seen by every process. */
class TestGovernedRuleStore {
    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    private static GovernedRuleStore store(HikariDataSource ds, DatabaseNotifications n) {
        return new GovernedRuleStore(ds, n, Clock.systemUTC());
    }

    @Test
    void theDefaultsAreRecordedAsVersionOneWithTheirLedgerEntry() throws Exception {
        HikariDataSource ds = postgres.newDatabase();
        try (DatabaseNotifications n = new DatabaseNotifications(ds)) {
            GovernedRuleStore store = store(ds, n);
            n.start();
            GovernedRuleSet rules = store.current();
            assertEquals(1, rules.version());
            assertEquals(GovernedRuleSet.defaults().rules(), rules.rules());
            assertEquals(rules, store.current(), "asking again records nothing new");
            assertEquals(1, entries(ds, "rules.change").size());
            LedgerEntry entry = entries(ds, "rules.change").get(0);
            assertEquals(1L, entry.fields().get("rulesVersion"));
        }
    }

    @Test
    void aChangeIsTheNextVersionRecordedAndSeenByAnotherProcessWithinASecond() throws Exception {
        HikariDataSource ds = postgres.newDatabase();
        HikariDataSource other = postgres.pool(ds.getJdbcUrl());
        try (DatabaseNotifications n1 = new DatabaseNotifications(ds); DatabaseNotifications n2 = new DatabaseNotifications(other)) {
            GovernedRuleStore a = store(ds, n1);
            GovernedRuleStore b = store(other, n2);
            n1.start();
            n2.start();
            assertEquals(1, b.current().version());
            List<GovernedRule> withoutPlanning = new ArrayList<>(GovernedRuleSet.defaults().rules());
            withoutPlanning.removeIf(r -> r.id().equals("nhs-planning"));
            GovernedRuleSet two = a.replace(withoutPlanning, "panel", 1);
            assertEquals(2, two.version());
            Eventually.await("the other process sees version 2", Duration.ofSeconds(1), () -> b.current().version() == 2);
            assertEquals(withoutPlanning, b.current().rules());
            LedgerEntry recorded = entries(ds, "rules.change").get(1);
            assertEquals("panel", recorded.fields().get("recordedBy"));
            assertEquals(2L, recorded.fields().get("rulesVersion"));

            assertThrows(IllegalStateException.class, () -> a.replace(GovernedRuleSet.defaults().rules(), "panel", 1),
                    "a change drafted against an old version is refused");
            assertEquals(2, a.current().version());
            assertEquals(2, a.replace(withoutPlanning, "panel", 2).version(), "the same rules again are not a change");
            assertEquals(2, entries(ds, "rules.change").size());
        }
    }

    @Test
    void aRulesFileIsReadStrictlyNamingEveryProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GovernedRulesJson.rules(CanonicalJson.parse(
                "{\"rules\":[{\"id\":\"x\",\"description\":\"d\",\"sectors\":[\"pirates\"],\"purposes\":[\"TREAT\"],\"forms\":[\"aggregate\"],"
                        + "\"colour\":\"red\"}]}")));
        assertTrue(e.getMessage().contains("rules[0] (\"x\"): unknown field \"colour\""), e.getMessage());
        assertTrue(e.getMessage().contains("unknown sector \"pirates\""), e.getMessage());
        IllegalArgumentException notSecondary = assertThrows(IllegalArgumentException.class, () -> GovernedRulesJson.rules(CanonicalJson.parse(
                "{\"rules\":[{\"id\":\"x\",\"description\":\"d\",\"sectors\":[\"nhs-care\"],\"purposes\":[\"TREAT\"],\"forms\":[\"aggregate\"]}]}")));
        assertTrue(notSecondary.getMessage().contains("not a secondary purpose"), notSecondary.getMessage());
        // What toJson writes reads back as the same rules.
        GovernedRuleSet defaults = GovernedRuleSet.defaults();
        assertEquals(defaults.rules(), GovernedRulesJson.rules(CanonicalJson.parse(CanonicalJson.canonicalString(defaults.toJson()))));
        assertThrows(IllegalArgumentException.class, () -> new GovernedRule("p", "d", EnumSet.of(Sector.NHS_CARE), EnumSet.of(Purpose.HRESCH),
                EnumSet.of(DataForm.PSEUDONYMISED), false, false, 8), "pseudonymised data needs a project's key");
    }

    private static List<LedgerEntry> entries(HikariDataSource ds, String type) throws Exception {
        List<LedgerEntry> out = new ArrayList<>();
        PostgresLogStore store = new PostgresLogStore(ds);
        try (var c = ds.getConnection(); var s = c.createStatement(); var rs = s.executeQuery("SELECT idx FROM ledger_entries ORDER BY idx")) {
            while (rs.next()) {
                LedgerEntry e = LedgerEntry.parse(store.content(rs.getLong(1)).orElseThrow());
                if (e.type().equals(type)) {
                    out.add(e);
                }
            }
        }
        return out;
    }
}
