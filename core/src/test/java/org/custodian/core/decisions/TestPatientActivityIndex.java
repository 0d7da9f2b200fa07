package org.custodian.core.decisions;

import static org.custodian.core.decisions.GateFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.custodian.core.activity.ActivityEntry;
import org.custodian.core.activity.ActivityFilter;
import org.custodian.core.activity.ActivityPage;
import org.custodian.core.activity.PatientActivity;
import org.custodian.core.changes.DatabaseNotifications;
import org.custodian.core.consent.ConsentChoices;
import org.custodian.core.consent.ConsentRecord;
import org.custodian.core.consent.ConsentStore;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.rules.GovernedRuleStore;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.PurposeGroup;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.LogConfig;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.postgres.PostgresPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "Who used my data" reads each patient's entries through an index the database keeps beside the
 * ledger. What it protects: every entry about a patient (decisions allowed and refused, break-glass,
 * consent changes, however appended) is in that patient's list and in nobody else's; pages are newest
 * first and neither skip nor repeat; filters narrow correctly; erasure removes the details.
 */
class TestPatientActivityIndex {
    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    private record World(HikariDataSource ds, TransparencyLog log, RecordingGate gate, ConsentStore consents, DatabaseNotifications notifications)
            implements AutoCloseable {
        @Override
        public void close() {
            log.close();
            notifications.close();
            ds.close();
        }
    }

    private static World world() {
        HikariDataSource ds = postgres.newDatabase();
        Clock clock = Clock.systemUTC();
        DatabaseNotifications notifications = new DatabaseNotifications(ds);
        TransparencyLog log = TransparencyLog.open(new PostgresLogStore(ds), NoteSigner.generate("test.example/activity"),
                new LogConfig("test.example/activity", Duration.ofMillis(100), 1024, 65_536, true));
        ConsentStore consents = new ConsentStore(ds, notifications, clock);
        GovernedRuleStore rules = new GovernedRuleStore(ds, notifications, clock);
        notifications.start();
        RecordingGate gate = new RecordingGate(new Gate(registers(), consents::current, rules::current, clock), log,
                new BreakGlassReviews(ds, clock), clock);
        return new World(ds, log, gate, consents, notifications);
    }

    @Test
    void everyEntryAboutAPatientIsInTheirListAndNoOneElses() {
        try (World w = world()) {
            PatientActivity activity = new PatientActivity(w.ds());
            RecordedDecision care = w.gate().decide(request(GP_DOCTOR, GP, Purpose.TREAT, ALICE, DataForm.IDENTIFIABLE, null));
            RecordedDecision refused = w.gate().decide(request(COMPANY_ANALYST, COMPANY, Purpose.HRESCH, ALICE, DataForm.PSEUDONYMISED,
                    COMPANY_STUDY.id()));
            ConsentRecord consent = w.consents().replace(ALICE, new ConsentChoices(Set.of(PurposeGroup.RESEARCH), Set.of(), Map.of()),
                    "alice", ConsentRecord.Channel.PATIENT);
            RecordedDecision bobs = w.gate().decide(request(GP_DOCTOR, GP, Purpose.TREAT, BOB, DataForm.IDENTIFIABLE, null));
            // The hospital has no care relationship with Bob: an emergency access to his record is break-glass.
            RecordedDecision breakGlass = w.gate().decide(request(HOSPITAL_DOCTOR, HOSPITAL, Purpose.ETREAT, BOB, DataForm.IDENTIFIABLE, null));
            w.log().appendAndWait(LedgerEntry.create("demo.tick", 1, Instant.now(), Map.of("note", "about nobody")));

            List<ActivityEntry> alice = activity.page(ALICE, ActivityFilter.ALL, Long.MAX_VALUE, 50).entries();
            assertEquals(List.of(consent.ledgerIndex(), refused.index(), care.index()),
                    alice.stream().map(ActivityEntry::index).toList(), "Alice's three entries, newest first");

            ActivityEntry c = alice.get(2);
            assertEquals(ActivityEntry.ACCESS, c.type());
            assertEquals(GP.id(), c.organisation());
            assertEquals("TREAT", c.purpose());
            assertEquals("permit", c.decision());
            assertFalse(c.breakGlass());
            assertEquals(GP_DOCTOR.id(), c.nested("requester", "person").orElseThrow());

            ActivityEntry r = alice.get(1);
            assertEquals("deny", r.decision());
            assertTrue(r.refused());
            assertFalse(r.strings("reasons").isEmpty(), "a refusal keeps its reasons");
            assertEquals(COMPANY.id(), r.organisation());

            ActivityEntry cc = alice.get(0);
            assertEquals(ActivityEntry.CONSENT, cc.type());
            assertEquals("patient", cc.field("channel", String.class).orElseThrow());

            List<ActivityEntry> bob = activity.page(BOB, ActivityFilter.ALL, Long.MAX_VALUE, 50).entries();
            assertEquals(List.of(breakGlass.index(), bobs.index()), bob.stream().map(ActivityEntry::index).toList(),
                    "Bob sees his two entries and none of Alice's");
            ActivityEntry bg = bob.get(0);
            assertTrue(bg.breakGlass(), "break-glass is marked, so the page can make it stand out");
            assertEquals(HOSPITAL.id(), bg.organisation());
            assertFalse(bob.get(1).breakGlass());

            assertEquals(3, activity.count(ALICE, ActivityFilter.ALL));
            assertEquals(List.of(COMPANY.id(), GP.id()).stream().sorted().toList(), activity.facets(ALICE).organisations());
            assertEquals(List.of("HRESCH", "TREAT"), activity.facets(ALICE).purposes());
        }
    }

    @Test
    void pagesAreNewestFirstAndNeitherSkipNorRepeat() {
        SplittableRandom random = new SplittableRandom(20261124);
        try (World w = world()) {
            PatientActivity activity = new PatientActivity(w.ds());
            List<Long> expected = new ArrayList<>();
            int n = 40 + random.nextInt(40);
            for (int i = 0; i < n; i++) {
                NhsNumber who = random.nextInt(3) == 0 ? BOB : ALICE;
                RecordedDecision d = w.gate().decide(request(GP_DOCTOR, GP, Purpose.TREAT, who, DataForm.IDENTIFIABLE, null));
                if (who.equals(ALICE)) {
                    expected.add(0, d.index());
                }
            }
            for (int size : new int[] {1, 7, 25, expected.size(), expected.size() + 5}) {
                List<Long> seen = new ArrayList<>();
                long before = Long.MAX_VALUE;
                int pages = 0;
                while (true) {
                    ActivityPage page = activity.page(ALICE, ActivityFilter.ALL, before, size);
                    assertTrue(page.entries().size() <= size);
                    page.entries().forEach(e -> seen.add(e.index()));
                    pages++;
                    if (page.nextBefore().isEmpty()) {
                        break;
                    }
                    before = page.nextBefore().getAsLong();
                }
                assertEquals(expected, seen, "page size " + size);
                assertEquals(Math.max(1, (expected.size() + size - 1) / size), pages, "no empty trailing page at size " + size);
            }
        }
    }

    @Test
    void filtersNarrowByOrganisationPurposeAndPeriod() {
        try (World w = world()) {
            PatientActivity activity = new PatientActivity(w.ds());
            Instant start = Instant.now();
            RecordedDecision gp = w.gate().decide(request(GP_DOCTOR, GP, Purpose.TREAT, ALICE, DataForm.IDENTIFIABLE, null));
            RecordedDecision research = w.gate().decide(request(RESEARCHER, UNIVERSITY, Purpose.HRESCH, ALICE, DataForm.PSEUDONYMISED, STUDY.id()));
            RecordedDecision hospital = w.gate().decide(request(HOSPITAL_DOCTOR, HOSPITAL, Purpose.ETREAT, ALICE, DataForm.IDENTIFIABLE, null));
            Instant end = Instant.now().plusMillis(1);

            assertEquals(List.of(gp.index()), indexes(activity, new ActivityFilter(null, null, GP.id(), null)));
            assertEquals(List.of(research.index()), indexes(activity, new ActivityFilter(null, null, null, "HRESCH")));
            assertEquals(List.of(hospital.index(), research.index(), gp.index()),
                    indexes(activity, new ActivityFilter(start.minusMillis(1), end, null, null)));
            assertEquals(List.of(), indexes(activity, new ActivityFilter(end, end.plusSeconds(60), null, null)));
            assertEquals(List.of(), indexes(activity, new ActivityFilter(null, null, GP.id(), "HRESCH")), "conditions combine");
            assertEquals(List.of(gp.index(), research.index(), hospital.index()),
                    activity.between(ALICE, start.minusMillis(1), end).stream().map(ActivityEntry::index).toList(), "a letter's period, oldest first");
            assertEquals(Set.of(ALICE), new HashSet<>(activity.patientsWithActivity(start.minusMillis(1), end)));
        }
    }

    @Test
    void theFiltersOfferEachOrganisationAndPurposeInThePatientsEntriesOnceInOrderAndNoOneElses() {
        SplittableRandom random = new SplittableRandom(20261125);
        Object[][] requests = {
            {GP_DOCTOR, GP, Purpose.TREAT, DataForm.IDENTIFIABLE, null},
            {HOSPITAL_DOCTOR, HOSPITAL, Purpose.ETREAT, DataForm.IDENTIFIABLE, null},
            {RESEARCHER, UNIVERSITY, Purpose.HRESCH, DataForm.PSEUDONYMISED, STUDY.id()},
            {ANALYST, ICB, Purpose.HOPERAT, DataForm.AGGREGATE, PLANNING.id()},
            {COMPANY_ANALYST, COMPANY, Purpose.HRESCH, DataForm.PSEUDONYMISED, COMPANY_STUDY.id()},
            {OFFICIAL, HOME_OFFICE, Purpose.GOV, DataForm.PSEUDONYMISED, GOV_PROJECT.id()},
        };
        try (World w = world()) {
            PatientActivity activity = new PatientActivity(w.ds());
            Set<String> aliceOrganisations = new java.util.TreeSet<>();
            Set<String> alicePurposes = new java.util.TreeSet<>();
            for (int i = 0; i < 60; i++) {
                // Alice sees only some of the requesters; Bob sees all of them, and none of his may leak into her choices.
                boolean alice = random.nextBoolean();
                Object[] r = requests[random.nextInt(alice ? 3 : requests.length)];
                Organisation org = (Organisation) r[1];
                w.gate().decide(request((Person) r[0], org, (Purpose) r[2], alice ? ALICE : BOB, (DataForm) r[3], (String) r[4]));
                if (alice) {
                    aliceOrganisations.add(org.id());
                    alicePurposes.add(((Purpose) r[2]).code());
                }
            }
            PatientActivity.Facets facets = activity.facets(ALICE);
            assertEquals(List.copyOf(aliceOrganisations), facets.organisations());
            assertEquals(List.copyOf(alicePurposes), facets.purposes());
            assertEquals(List.of(), activity.facets(new NhsNumber("9990000018")).organisations(), "a patient with no entries has no choices");

            // Erased entries drop out of the choices with their details.
            RecordedDecision only = w.gate().decide(request(COUNCIL_ANALYST, COUNCIL, Purpose.POPHLTH, ALICE, DataForm.AGGREGATE, null));
            assertTrue(activity.facets(ALICE).organisations().contains(COUNCIL.id()));
            assertTrue(new PostgresLogStore(w.ds()).eraseContent(only.index()));
            assertEquals(List.copyOf(aliceOrganisations), activity.facets(ALICE).organisations());
        }
    }

    @Test
    void erasingAnEntrysContentErasesTheDetailsCopiedIntoTheIndex() {
        try (World w = world()) {
            PatientActivity activity = new PatientActivity(w.ds());
            RecordedDecision d = w.gate().decide(request(GP_DOCTOR, GP, Purpose.TREAT, ALICE, DataForm.IDENTIFIABLE, null));
            assertTrue(new PostgresLogStore(w.ds()).eraseContent(d.index()));
            ActivityEntry e = activity.page(ALICE, ActivityFilter.ALL, Long.MAX_VALUE, 10).entries().get(0);
            assertEquals(d.index(), e.index(), "the entry is still listed: the patient sees that something happened");
            assertTrue(e.erased());
            assertEquals(null, e.organisation());
            assertEquals(null, e.purpose());
            assertEquals(List.of(), indexes(activity, new ActivityFilter(null, null, GP.id(), null)), "and no filter can find it by its erased details");
        }
    }

    private static List<Long> indexes(PatientActivity activity, ActivityFilter filter) {
        return activity.page(ALICE, filter, Long.MAX_VALUE, 50).entries().stream().map(ActivityEntry::index).toList();
    }
}
