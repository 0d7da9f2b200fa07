package org.custodian.core.decisions;

import static org.custodian.core.decisions.GateFixture.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.custodian.core.changes.DatabaseNotifications;
import org.custodian.core.consent.ConsentStore;
import org.custodian.core.rules.GovernedRuleStore;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.LogConfig;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.postgres.PostgresPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Invariant 1, fail closed: every decision is in the ledger before it is answered, and when the
 * ledger's storage breaks mid-run, no decision (permit or deny) is answered at all.
 */
class TestRecordingGateFailsClosed {
    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    @Test
    void noDecisionIsAnsweredUnlessItIsDurablyRecorded() throws Exception {
        HikariDataSource ds = postgres.newDatabase();
        PostgresLogStore store = new PostgresLogStore(ds);
        Clock clock = Clock.systemUTC();
        try (DatabaseNotifications notifications = new DatabaseNotifications(ds);
                TransparencyLog log = TransparencyLog.open(store, NoteSigner.generate("test.example/gate"),
                        new LogConfig("test.example/gate", Duration.ofMillis(100), 1024, 65_536, true))) {
            ConsentStore consents = new ConsentStore(ds, notifications, clock);
            GovernedRuleStore rules = new GovernedRuleStore(ds, notifications, clock);
            notifications.start();
            RecordingGate gate = new RecordingGate(new Gate(registers(), consents::current, rules::current, clock), log,
                    new BreakGlassReviews(ds, clock), clock);
            List<AccessRequest> requests = List.of(
                    request(GP_DOCTOR, GP, Purpose.TREAT, ALICE, DataForm.IDENTIFIABLE, null),
                    request(HOSPITAL_DOCTOR, HOSPITAL, Purpose.TREAT, BOB, DataForm.IDENTIFIABLE, null),
                    request(HOSPITAL_DOCTOR, HOSPITAL, Purpose.ETREAT, BOB, DataForm.IDENTIFIABLE, null),
                    request(COMPANY_ANALYST, COMPANY, Purpose.HRESCH, ALICE, DataForm.PSEUDONYMISED, COMPANY_STUDY.id()));

            ConcurrentLinkedQueue<RecordedDecision> answered = new ConcurrentLinkedQueue<>();
            AtomicInteger refused = new AtomicInteger();
            ConcurrentLinkedQueue<Long> answeredWhileBroken = new ConcurrentLinkedQueue<>();
            AtomicBoolean broken = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService callers = Executors.newFixedThreadPool(8);
            for (int t = 0; t < 8; t++) {
                int offset = t;
                callers.submit(() -> {
                    for (int i = offset; !stop.get(); i++) {
                        try {
                            RecordedDecision d = gate.decide(requests.get(i % requests.size()));
                            answered.add(d);
                            if (broken.get()) {
                                answeredWhileBroken.add(d.index());
                            }
                        } catch (DecisionNotRecordedException e) {
                            refused.incrementAndGet();
                            assertFalse(e.ruling().decision().reasons().isEmpty());
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(1000);
            int beforeBreak = answered.size();
            // Break the ledger's storage: every new entry is rejected by the database.
            PostgresForTests.sql(ds, "ALTER TABLE ledger_entries ADD CONSTRAINT broken_for_test CHECK (idx < 0) NOT VALID");
            broken.set(true);
            long lastStoredBeforeBreak = maxIndex(ds);
            Thread.sleep(1500);
            int duringBreak = answered.size();
            broken.set(false);
            PostgresForTests.sql(ds, "ALTER TABLE ledger_entries DROP CONSTRAINT broken_for_test");
            Thread.sleep(1000);
            stop.set(true);
            callers.shutdown();
            assertTrue(callers.awaitTermination(30, TimeUnit.SECONDS));

            assertTrue(beforeBreak > 0, "decisions were answered before the break");
            assertTrue(refused.get() > 100, "decisions were refused while the ledger was broken: " + refused.get());
            // Answers returned during the break are only those whose entries committed before it.
            for (long index : answeredWhileBroken) {
                assertTrue(index <= lastStoredBeforeBreak, "answered during the break without a record: " + index);
            }
            assertTrue(answered.size() > duringBreak, "the gate answers again once the ledger is repaired");
            // Every answer has its entry in the ledger, with the receipt's leaf hash.
            for (RecordedDecision d : answered) {
                byte[] content = store.content(d.index()).orElseThrow(() -> new AssertionError("answered but not stored: " + d.index()));
                LedgerEntry entry = LedgerEntry.parse(content);
                assertEquals(DecisionEntry.TYPE, entry.type());
                assertEquals(d.decision().effect().code(), entry.fields().get("decision"));
                assertArrayEquals(Hashes.leafHash(entry.envelope().leafData()), d.leafHash());
            }
            // Permits and denials alike are recorded; break-glass accesses are queued for review.
            List<String> effects = new ArrayList<>();
            answered.forEach(d -> effects.add(d.decision().effect().code()));
            assertTrue(effects.contains("permit") && effects.contains("deny"));
            assertFalse(new BreakGlassReviews(ds, clock).open(HOSPITAL.id()).isEmpty());
        }
    }

    private static long maxIndex(HikariDataSource ds) throws Exception {
        try (var c = ds.getConnection(); var s = c.createStatement(); var rs = s.executeQuery("SELECT coalesce(max(idx), -1) FROM ledger_entries")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
