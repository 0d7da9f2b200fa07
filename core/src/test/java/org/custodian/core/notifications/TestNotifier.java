package org.custodian.core.notifications;

import static org.custodian.core.notifications.NotificationWorld.ALICE;
import static org.custodian.core.notifications.NotificationWorld.ALICE_PERSON;
import static org.custodian.core.notifications.NotificationWorld.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.custodian.core.consent.ConsentRecord;
import org.custodian.core.decisions.RecordedDecision;
import org.custodian.core.registers.CareRelationship;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Project;
import org.custodian.core.registers.Proxy;
import org.custodian.core.registers.Registers;
import org.custodian.core.rules.GovernedRuleSet;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.postgres.PostgresPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The notifier: what a patient asked to be told about is queued once, what they did not ask about never, and its
 * cursor neither repeats nor misses an entry, across restarts, failed passes, batches, entries that commit out of
 * index order, and two processes working at once.
 */
class TestNotifier {
    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    private static NotificationPreferenceStore preferences(NotificationWorld w) {
        return new NotificationPreferenceStore(w.ds, Clock.systemUTC());
    }

    @Test
    void aBreakGlassAccessIsNotifiedOnceToAPatientWhoAskedAndNeverToOneWhoDidNot() throws Exception {
        try (NotificationWorld w = new NotificationWorld(postgres.server())) {
            preferences(w).replace(ALICE, NotificationChoices.byEmail(true, false, "alice@example.org"), "alice", ConsentRecord.Channel.PATIENT);
            RecordedDecision alices = w.breakGlass(ALICE);
            RecordedDecision bobs = w.breakGlass(BOB);
            w.awaitIntegrated(Math.max(alices.index(), bobs.index()));

            assertEquals(1, w.notifier().catchUp());
            assertEquals(0, w.notifier().catchUp(), "a second pass finds nothing new");

            List<Notification> alice = new NotificationQueue(w.ds, Clock.systemUTC()).forPatient(ALICE, 10);
            assertEquals(1, alice.size());
            Notification n = alice.get(0);
            assertEquals(Notification.Kind.BREAK_GLASS, n.kind());
            assertEquals(alices.index(), n.ledgerIndex());
            assertEquals(NotificationChoices.Channel.EMAIL, n.channel());
            assertEquals(Optional.of("alice@example.org"), n.email());
            assertEquals(Notification.Status.QUEUED, n.status());
            assertEquals("Someone looked at your health record in an emergency", n.subject());
            assertTrue(n.body().startsWith("Dear Alice Example,"), n.body());
            assertTrue(n.body().contains("Organisation: City Hospital (NHS care provider)"), n.body());
            assertTrue(n.body().contains("Who: Dr Jones, clinician"), n.body());
            assertTrue(n.body().contains("Why: Emergency care"), n.body());
            assertTrue(n.body().contains("This is ledger entry " + alices.index() + "."), n.body());
            assertEquals(0, w.count("patient = '" + BOB.value() + "'"), "Bob asked for nothing and is sent nothing");
        }
    }

    @Test
    void anOrganisationsFirstUseIsNotifiedAndItsLaterUsesAreNot() throws Exception {
        try (NotificationWorld w = new NotificationWorld(postgres.server())) {
            preferences(w).replace(ALICE, NotificationChoices.byLetter(false, true), "alice", ConsentRecord.Channel.PATIENT);
            // Her own look at her record is recorded under her practice, but it is not the practice using her data.
            w.ownLook(ALICE_PERSON);
            RecordedDecision firstGp = w.gpRead(ALICE);
            RecordedDecision againGp = w.gpRead(ALICE);
            RecordedDecision firstResearch = w.research(ALICE);
            RecordedDecision againResearch = w.research(ALICE);
            RecordedDecision bobsGp = w.gpRead(BOB);
            // Break-glass is a first use too, but she did not ask about break-glass: told as a new organisation.
            RecordedDecision hospital = w.breakGlass(ALICE);
            w.awaitIntegrated(hospital.index());

            assertEquals(3, w.notifier().catchUp());
            List<Notification> told = new NotificationQueue(w.ds, Clock.systemUTC()).forPatient(ALICE, 10);
            assertEquals(List.of(hospital.index(), firstResearch.index(), firstGp.index()), told.stream().map(Notification::ledgerIndex).toList());
            assertTrue(told.stream().allMatch(n -> n.kind() == Notification.Kind.NEW_ORGANISATION));
            assertTrue(told.stream().allMatch(n -> n.channel() == NotificationChoices.Channel.LETTER && n.email().isEmpty()));
            assertEquals("University of Leeds has used your health data for the first time", told.get(1).subject());
            assertTrue(told.get(1).body().contains("Project or agreement: study-1 (ethics approval REC 26/LO/0001)"), told.get(1).body());
            assertFalse(told.stream().anyMatch(n -> n.ledgerIndex() == againGp.index() || n.ledgerIndex() == againResearch.index()),
                    "the same organisation again is not news");
            assertEquals(0, w.count("patient = '" + BOB.value() + "'"), "Bob asked for nothing (bobsGp " + bobsGp.index() + ")");
        }
    }

    @Test
    void aBreakGlassAccessThatIsAlsoAFirstUseIsOneNotificationSayingBoth() throws Exception {
        try (NotificationWorld w = new NotificationWorld(postgres.server())) {
            preferences(w).replace(ALICE, NotificationChoices.byEmail(true, true, "alice@example.org"), "alice", ConsentRecord.Channel.PATIENT);
            RecordedDecision d = w.breakGlass(ALICE);
            w.awaitIntegrated(d.index());
            assertEquals(1, w.notifier().catchUp());
            Notification n = new NotificationQueue(w.ds, Clock.systemUTC()).forPatient(ALICE, 10).get(0);
            assertEquals(Notification.Kind.BREAK_GLASS, n.kind());
            assertTrue(n.body().contains("It was also the first time City Hospital has used your data."), n.body());
        }
    }

    @Test
    void whatHappenedBeforeAPatientAskedIsNotNotifiedAndWhatHappensAfterTheyStopIsNot() throws Exception {
        try (NotificationWorld w = new NotificationWorld(postgres.server())) {
            RecordedDecision before = w.breakGlass(ALICE);
            NotificationPreferenceStore store = preferences(w);
            store.replace(ALICE, NotificationChoices.byLetter(true, false), "alice", ConsentRecord.Channel.PATIENT);
            RecordedDecision during = w.breakGlass(ALICE);
            store.replace(ALICE, NotificationChoices.byLetter(false, false), "alice", ConsentRecord.Channel.PATIENT);
            RecordedDecision after = w.breakGlass(ALICE);
            w.awaitIntegrated(after.index());
            // One pass over all three, after she stopped: each entry is judged by the preferences in force at its index.
            assertEquals(1, w.notifier().catchUp());
            assertEquals(List.of(during.index()),
                    new NotificationQueue(w.ds, Clock.systemUTC()).forPatient(ALICE, 10).stream().map(Notification::ledgerIndex).toList(),
                    "not " + before.index() + " (before she asked) nor " + after.index() + " (after she stopped)");
        }
    }

    @Test
    void restartingTheNotifierNeitherRepeatsNorMissesEvenWhenAPassFailsHalfWay() throws Exception {
        try (NotificationWorld w = new NotificationWorld(postgres.server())) {
            preferences(w).replace(ALICE, NotificationChoices.byLetter(true, false), "alice", ConsentRecord.Channel.PATIENT);
            List<Long> expected = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                expected.add(w.breakGlass(ALICE).index());
                w.gpRead(ALICE);
            }
            w.awaitIntegrated(expected.get(expected.size() - 1));
            // A small batch, so that the cursor moves several times within what is there.
            Notifier first = new Notifier(w.ds, w.registers, GovernedRuleSet::defaults, Clock.systemUTC(), 2);
            Notifier.Pass p = first.runOnce();
            assertTrue(p.ran() && p.full());
            assertEquals(2, p.queued(), "two entries read, both break-glass (the practice's reads are not what she asked about)");

            // A process that dies half-way through a pass: it fails after queuing, before its commit.
            Notifier dying = new Notifier(w.ds, failingOnSecondPatientLookup(w.registers), GovernedRuleSet::defaults, Clock.systemUTC(), 2);
            long cursorBefore = cursor(w);
            try {
                dying.runOnce();
                throw new AssertionError("the pass should have failed");
            } catch (IllegalStateException expectedFailure) {
                // as planned
            }
            assertEquals(cursorBefore, cursor(w), "a failed pass does not move the cursor");
            assertEquals(2, w.count("true"), "and what it queued before failing was rolled back with it");

            for (int i = 0; i < 3; i++) {
                expected.add(w.breakGlass(ALICE).index());
            }
            w.awaitIntegrated(expected.get(expected.size() - 1));
            // A new process, as after a restart: it continues from the stored cursor.
            w.notifier().catchUp();
            assertEquals(expected, ledgerIndexes(w), "each break-glass access once, none missed");
            assertEquals(0, w.notifier().catchUp());
        }
    }

    @Test
    void anEntryThatCommitsAfterALaterOneIsNotMissed() throws Exception {
        try (NotificationWorld w = new NotificationWorld(postgres.server())) {
            preferences(w).replace(ALICE, NotificationChoices.byLetter(true, false), "alice", ConsentRecord.Channel.PATIENT);
            RecordedDecision warmUp = w.breakGlass(ALICE);
            w.awaitIntegrated(warmUp.index());
            w.notifier().catchUp();
            long late;
            try (Connection c = w.ds.getConnection()) {
                // An append inside a transaction that stays open (as a consent change's does): it has its index, uncommitted.
                c.setAutoCommit(false);
                late = new PostgresLogStore(w.ds).appendWithin(c, breakGlassEntry(ALICE));
                RecordedDecision later = w.breakGlass(ALICE);
                assertTrue(later.index() > late);
                Thread.sleep(300); // several checkpoint intervals: the tree cannot grow past the open index
                assertTrue(w.log.treeHead().size() <= late, "the tree waits for the open append");
                w.notifier().catchUp();
                assertTrue(cursor(w) <= late, "so does the cursor: it never passes an index that might still commit");
                c.commit();
                w.awaitIntegrated(later.index());
                w.notifier().catchUp();
                assertEquals(List.of(warmUp.index(), late, later.index()), ledgerIndexes(w), "the late one too, and once each");
            }
        }
    }

    @Test
    void twoNotifiersAtOnceTakeTurnsAndQueueEachNotificationOnce() throws Exception {
        try (NotificationWorld w = new NotificationWorld(postgres.server())) {
            preferences(w).replace(ALICE, NotificationChoices.byLetter(true, false), "alice", ConsentRecord.Channel.PATIENT);

            // While one process holds the cursor, the other does nothing.
            try (Connection c = w.ds.getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement s = c.prepareStatement("SELECT next_idx FROM notification_cursor WHERE id = 1 FOR UPDATE")) {
                    s.executeQuery().close();
                }
                assertFalse(w.notifier().runOnce().ran(), "the cursor is taken: skip, do not wait and do not work");
                c.rollback();
            }

            // Two processes (own pools) passing as fast as they can while accesses keep coming.
            var poolA = postgres.pool(w.ds.getJdbcUrl());
            var poolB = postgres.pool(w.ds.getJdbcUrl());
            Notifier a = new Notifier(poolA, w.registers, GovernedRuleSet::defaults, Clock.systemUTC(), 3);
            Notifier b = new Notifier(poolB, w.registers, GovernedRuleSet::defaults, Clock.systemUTC(), 3);
            List<Notifier.Pass> passes = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger queued = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(2);
            for (Notifier n : List.of(a, b)) {
                Thread t = new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            Notifier.Pass p = n.runOnce();
                            if (p.ran()) {
                                passes.add(p);
                                queued.addAndGet(p.queued());
                            }
                            Thread.sleep(5);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        done.countDown();
                    }
                });
                t.start();
            }
            List<Long> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                expected.add(w.breakGlass(ALICE).index());
                if (i % 3 == 0) {
                    w.gpRead(ALICE);
                }
            }
            w.awaitIntegrated(expected.get(expected.size() - 1));
            Thread.sleep(300);
            stop.set(true);
            done.await();
            queued.addAndGet(a.catchUp());

            assertEquals(expected, ledgerIndexes(w));
            assertEquals(20, queued.get(), "every notification queued by exactly one of them (the table's uniqueness never had to step in)");
            // The passes that ran cover the ledger end to end without overlapping: each began where the one before ended.
            List<Notifier.Pass> moved = new ArrayList<>(passes.stream().filter(p -> p.to() > p.from()).toList());
            moved.sort(Comparator.comparingLong(Notifier.Pass::from));
            for (int i = 1; i < moved.size(); i++) {
                assertEquals(moved.get(i - 1).to(), moved.get(i).from(), "pass " + i + " of " + moved);
            }
        }
    }

    private static List<Long> ledgerIndexes(NotificationWorld w) {
        List<Long> out = new ArrayList<>();
        try (Connection c = w.ds.getConnection(); PreparedStatement s = c.prepareStatement("SELECT ledger_index FROM notifications ORDER BY ledger_index");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
            return out;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long cursor(NotificationWorld w) {
        try (Connection c = w.ds.getConnection(); PreparedStatement s = c.prepareStatement("SELECT next_idx FROM notification_cursor");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A break-glass decision entry as the gate writes one (only the members the index reads matter here). */
    private static LedgerEntry breakGlassEntry(NhsNumber patient) {
        Map<String, Object> requester = new LinkedHashMap<>();
        requester.put("person", NotificationWorld.HOSPITAL_DOCTOR.id());
        requester.put("role", "clinician");
        requester.put("organisation", NotificationWorld.HOSPITAL.id());
        requester.put("sector", "nhs-care");
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("requester", requester);
        f.put("patient", patient.value());
        f.put("purpose", "ETREAT");
        f.put("form", "identifiable");
        f.put("resources", List.of("Observation"));
        f.put("decision", "permit");
        f.put("reasons", List.of());
        f.put("breakGlass", true);
        return LedgerEntry.create("access.decision", 1, Instant.now(), f);
    }

    /** Registers that fail the second time a patient's name is looked up: a pass that breaks after queuing one. */
    private static Registers failingOnSecondPatientLookup(Registers real) {
        AtomicInteger calls = new AtomicInteger();
        return new Registers() {
            @Override
            public Optional<Organisation> organisation(String id) {
                return real.organisation(id);
            }

            @Override
            public Optional<Person> person(String id) {
                return real.person(id);
            }

            @Override
            public Optional<Person> patient(NhsNumber nhsNumber) {
                if (calls.incrementAndGet() == 2) {
                    throw new IllegalStateException("the process died here");
                }
                return real.patient(nhsNumber);
            }

            @Override
            public List<CareRelationship> careRelationships(NhsNumber patient) {
                return real.careRelationships(patient);
            }

            @Override
            public List<Proxy> proxies(NhsNumber patient) {
                return real.proxies(patient);
            }

            @Override
            public Optional<Project> project(String id) {
                return real.project(id);
            }

            @Override
            public List<org.custodian.core.registers.Agreement> agreementsOf(String partner) {
                return real.agreementsOf(partner);
            }
        };
    }
}
