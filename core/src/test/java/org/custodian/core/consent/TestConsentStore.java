package org.custodian.core.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.custodian.core.changes.DatabaseNotifications;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.vocabulary.PurposeGroup;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.postgres.PostgresPerClass;
import org.custodian.ledger.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Patients' choices: recorded with their ledger entry, and withdrawal immediate in every process. */
class TestConsentStore {
    private static final NhsNumber ALICE = new NhsNumber("9434765919");
    private static final ConsentChoices RESEARCH_OPT_OUT = new ConsentChoices(Set.of(PurposeGroup.RESEARCH), Set.of(), Map.of());

    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    /** A "process": its own pool, its own notification connection, its own cache. */
    private record Process(HikariDataSource pool, DatabaseNotifications notifications, ConsentStore store) implements AutoCloseable {
        static Process on(String jdbcUrl) {
            HikariDataSource pool = postgres.pool(jdbcUrl);
            DatabaseNotifications notifications = new DatabaseNotifications(pool);
            ConsentStore store = new ConsentStore(pool, notifications, Clock.systemUTC());
            notifications.start();
            return new Process(pool, notifications, store);
        }

        @Override
        public void close() {
            notifications.close();
        }
    }

    @Test
    void aChangeIsStoredWithItsLedgerEntryAndIdenticalChoicesAreNotAChange() throws Exception {
        HikariDataSource ds = postgres.newDatabase();
        try (Process p = Process.on(ds.getJdbcUrl())) {
            assertEquals(0, p.store().current(ALICE).version(), "no choices yet: version 0, nothing refused");
            ConsentRecord first = p.store().replace(ALICE, RESEARCH_OPT_OUT, "alice", ConsentRecord.Channel.PATIENT);
            assertEquals(1, first.version());
            LedgerEntry entry = LedgerEntry.parse(new PostgresLogStore(ds).content(first.ledgerIndex()).orElseThrow());
            assertEquals("consent.change", entry.type());
            assertEquals(ALICE.value(), entry.fields().get("patient"));
            assertEquals(ConsentJson.toJson(RESEARCH_OPT_OUT), entry.fields().get("choices"));
            assertEquals("patient", entry.fields().get("channel"));

            ConsentRecord again = p.store().replace(ALICE, RESEARCH_OPT_OUT, "reception-1", ConsentRecord.Channel.ASSISTED);
            assertEquals(1, again.version(), "the same choices again change nothing");
            assertEquals(1, countEntries(ds));

            ConsentChoices withheld = new ConsentChoices(Set.of(PurposeGroup.RESEARCH), Set.of("PRIV1"),
                    Map.of(SensitiveCategory.PSY, Set.of("dr-patel")));
            ConsentRecord assisted = p.store().replace(ALICE, withheld, "reception-1", ConsentRecord.Channel.ASSISTED);
            assertEquals(2, assisted.version());
            assertEquals(withheld, p.store().current(ALICE).choices());
            assertEquals(2, p.store().history(ALICE).size());
            assertEquals("reception-1", p.store().history(ALICE).get(1).recordedBy(), "who recorded it on the patient's behalf is kept");
            assertEquals(ConsentRecord.Channel.ASSISTED, p.store().history(ALICE).get(1).channel());
        }
    }

    @Test
    void withdrawalInOneProcessGovernsTheOtherWithinOneSecond() throws Exception {
        HikariDataSource ds = postgres.newDatabase();
        try (Process a = Process.on(ds.getJdbcUrl()); Process b = Process.on(ds.getJdbcUrl())) {
            // B has Alice's (empty) choices cached.
            assertTrue(b.store().choices(ALICE).refusedPurposes().isEmpty());
            assertTrue(b.store().choices(ALICE).refusedPurposes().isEmpty());
            long started = System.nanoTime();
            a.store().replace(ALICE, RESEARCH_OPT_OUT, "alice", ConsentRecord.Channel.PATIENT);
            assertTrue(a.store().choices(ALICE).refuses(PurposeGroup.RESEARCH), "the writing process sees it at once");
            Eventually.await("the other process sees the withdrawal within one second", java.time.Duration.ofSeconds(1), () -> b.store().choices(ALICE).refuses(PurposeGroup.RESEARCH));
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis < 1000, "took " + millis + " ms");
        }
    }

    @Test
    void whileNotificationsMayBeMissedTheCacheIsNeverTrusted() throws Exception {
        HikariDataSource ds = postgres.newDatabase();
        try (Process a = Process.on(ds.getJdbcUrl()); Process b = Process.on(ds.getJdbcUrl())) {
            assertTrue(b.store().choices(ALICE).refusedPurposes().isEmpty());
            // Kill every notification connection (as a network blip would) and change consent at once.
            PostgresForTests.sql(ds, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE application_name = '" + DatabaseNotifications.APPLICATION_NAME + "' AND datname = current_database()");
            a.store().replace(ALICE, RESEARCH_OPT_OUT, "alice", ConsentRecord.Channel.PATIENT);
            Eventually.await("a process whose listener died reads the database instead of its cache", java.time.Duration.ofSeconds(1), () -> b.store().choices(ALICE).refuses(PurposeGroup.RESEARCH));
            Eventually.await("listening resumes", java.time.Duration.ofSeconds(10), () -> b.notifications().isListening());
            a.store().replace(ALICE, ConsentChoices.NOTHING_REFUSED, "alice", ConsentRecord.Channel.PATIENT);
            Eventually.await("after it resumes, notifications work again", java.time.Duration.ofSeconds(1),
                    () -> !b.store().choices(ALICE).refuses(PurposeGroup.RESEARCH));
        }
    }

    private static long countEntries(HikariDataSource ds) throws Exception {
        try (var c = ds.getConnection(); var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM ledger_entries")) {
            rs.next();
            return rs.getLong(1);
        }
    }

}
