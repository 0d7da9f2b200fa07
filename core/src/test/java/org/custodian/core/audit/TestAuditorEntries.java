package org.custodian.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Role;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.LogConfig;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.postgres.PostgresPerClass;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Invariant 5's reading, on a real PostgreSQL: an auditor reads entries' exact content once the read is recorded;
 * erased content reads as erased, and content changed in the database after it was appended shows as not matching its
 * envelope; a read that cannot be recorded returns nothing (fail closed); only auditors read, only within the latest
 * checkpoint, at most {@link AuditorEntries#MAX_ENTRIES} at a time.
 */
class TestAuditorEntries {
    private static final Person AUDITOR = new Person("auditor-brown", "Jo Brown", Role.AUDITOR, "health-regulator", null);
    private static final Person CLINICIAN = new Person("dr-okafor", "Dr Ngozi Okafor", Role.CLINICIAN, "A99001", null);

    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    private HikariDataSource ds;
    private PostgresLogStore store;
    private TransparencyLog log;
    private AuditorEntries entries;

    @BeforeEach
    void open() throws Exception {
        ds = postgres.newDatabase();
        store = new PostgresLogStore(ds);
        log = TransparencyLog.open(store, NoteSigner.generate("test.example/audit"),
                new LogConfig("test.example/audit", Duration.ofMillis(50), 1024, 65_536, true));
        entries = new AuditorEntries(store, log, Clock.systemUTC());
        for (int i = 0; i < 10; i++) {
            log.appendAndWait(LedgerEntry.create("test.entry", 1, Clock.systemUTC().instant(), Map.of("n", (long) i)));
        }
        awaitCheckpoint(10);
    }

    @AfterEach
    void close() {
        log.close();
        ds.close();
    }

    private void awaitCheckpoint(long size) throws InterruptedException {
        for (int i = 0; i < 200 && store.latestCheckpoint().map(c -> c.size() < size).orElse(true); i++) {
            Thread.sleep(50);
        }
        assertTrue(store.latestCheckpoint().orElseThrow().size() >= size);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> content(AuditorEntries.Entry e) {
        return (Map<String, Object>) CanonicalJson.parse(e.contentText().orElseThrow());
    }

    @Test
    void anAuditorReadsTheExactContentAndTheReadIsRecordedFirst() throws Exception {
        AuditorEntries.Read read = entries.read(AUDITOR, AuditorEntries.who(AUDITOR, null), 2, 5, "test");
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L), read.entries().stream().map(AuditorEntries.Entry::index).toList());
        for (AuditorEntries.Entry e : read.entries()) {
            assertEquals(e.index(), ((Number) content(e).get("n")).longValue());
            assertEquals(Optional.of(true), e.contentMatchesEnvelope());
            assertEquals("test.entry", e.type());
            assertTrue(java.util.Arrays.equals(store.content(e.index()).orElseThrow(), e.content().orElseThrow()), "the stored bytes, exactly");
        }
        assertTrue(read.receipt() >= 10, "the read is an entry of its own");
        awaitCheckpoint(read.receipt() + 1);
        Map<String, Object> recorded = content(entries.read(AUDITOR, AuditorEntries.who(AUDITOR, null), read.receipt(), 1, "test").entries().get(0));
        assertEquals(AuditorEntries.READ_TYPE, recorded.get("type"));
        assertEquals(Map.of("person", "auditor-brown", "role", "auditor", "organisation", "health-regulator"), recorded.get("auditor"));
        assertEquals(2L, ((Number) recorded.get("from")).longValue());
        assertEquals(7L, ((Number) recorded.get("to")).longValue());
    }

    @Test
    void erasedContentReadsAsErasedAndChangedContentAsNotMatching() throws Exception {
        assertTrue(store.eraseContent(3));
        PostgresForTests.sql(ds, "ALTER TABLE ledger_entries DISABLE TRIGGER USER");
        PostgresForTests.sql(ds, "UPDATE ledger_entries SET content = convert_to(replace(convert_from(content, 'UTF8'), '\"n\":4', '\"n\":40'), 'UTF8') WHERE idx = 4");
        PostgresForTests.sql(ds, "ALTER TABLE ledger_entries ENABLE TRIGGER USER");
        List<AuditorEntries.Entry> read = entries.read(AUDITOR, AuditorEntries.who(AUDITOR, null), 3, 2, "test").entries();
        assertTrue(read.get(0).content().isEmpty());
        assertEquals(Optional.empty(), read.get(0).contentMatchesEnvelope());
        assertEquals("test.entry", read.get(0).type(), "the envelope stays");
        assertEquals(Optional.of(false), read.get(1).contentMatchesEnvelope(), "tampering shows");
    }

    @Test
    void aReadThatCannotBeRecordedReturnsNothing() throws Exception {
        PostgresForTests.sql(ds, "ALTER TABLE ledger_entries ADD CONSTRAINT broken_for_test CHECK (idx < 0) NOT VALID");
        try {
            assertThrows(AuditUnavailableException.class, () -> entries.read(AUDITOR, AuditorEntries.who(AUDITOR, null), 0, 5, "test"));
        } finally {
            PostgresForTests.sql(ds, "ALTER TABLE ledger_entries DROP CONSTRAINT broken_for_test");
        }
    }

    @Test
    void onlyAuditorsOnlyWithinTheCheckpointAndAtMostAHundred() throws Exception {
        long before = log.appendedSize();
        IllegalArgumentException notAuditor = assertThrows(IllegalArgumentException.class,
                () -> entries.read(CLINICIAN, AuditorEntries.who(CLINICIAN, null), 0, 5, "test"));
        assertTrue(notAuditor.getMessage().contains("only auditors"), notAuditor.getMessage());
        assertEquals(before, log.appendedSize(), "nothing read, nothing recorded as read");
        long refusal = entries.refuse(CLINICIAN, "test");
        assertEquals(before, refusal, "the refusal is recorded by the caller's choice");

        assertThrows(IllegalArgumentException.class, () -> entries.read(AUDITOR, AuditorEntries.who(AUDITOR, null), -1, 5, "test"));
        assertThrows(IllegalArgumentException.class, () -> entries.read(AUDITOR, AuditorEntries.who(AUDITOR, null), 0, 0, "test"));
        assertThrows(IllegalArgumentException.class,
                () -> entries.read(AUDITOR, AuditorEntries.who(AUDITOR, null), 0, AuditorEntries.MAX_ENTRIES + 1, "test"));
        IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class,
                () -> entries.read(AUDITOR, AuditorEntries.who(AUDITOR, null), 1_000, 5, "test"));
        assertTrue(beyond.getMessage().contains("not in the latest signed checkpoint"), beyond.getMessage());
        assertEquals(before + 1, log.appendedSize(), "refused reads record nothing as read");
        assertFalse(entries.read(AUDITOR, AuditorEntries.who(AUDITOR, null), 8, 100, "test").entries().isEmpty(), "a range is cut at the checkpoint");
    }
}
