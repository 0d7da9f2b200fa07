package org.custodian.core.notifications;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.custodian.core.consent.ConsentRecord;
import org.custodian.core.decisions.AccessRequest;
import org.custodian.core.decisions.BreakGlassReviews;
import org.custodian.core.decisions.Gate;
import org.custodian.core.decisions.RecordedDecision;
import org.custodian.core.decisions.RecordingGate;
import org.custodian.core.registers.CareRelationship;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Project;
import org.custodian.core.registers.Proxy;
import org.custodian.core.registers.RegisterSnapshot;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.rules.GovernedRuleSet;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.log.LogConfig;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.testing.Eventually;

/**
 * A fresh database with a real ledger and the real gate in front of it, and a few people: Alice and Bob,
 * registered at a GP practice and at no hospital (so a hospital doctor's emergency access is break-glass), a
 * clinician at each, a researcher with an approved project, and Cat, Alice's carer.
 */
final class NotificationWorld implements AutoCloseable {
    static final NhsNumber ALICE = new NhsNumber("9434765919");
    static final NhsNumber BOB = new NhsNumber("9434765870");

    static final Organisation GP = new Organisation("A81001", "Riverside GP Practice", Sector.NHS_CARE);
    static final Organisation HOSPITAL = new Organisation("RX1", "City Hospital", Sector.NHS_CARE);
    static final Organisation UNIVERSITY = new Organisation("UNI1", "University of Leeds", Sector.PUBLIC_RESEARCH);

    static final Person GP_DOCTOR = new Person("dr-patel", "Dr Patel", Role.CLINICIAN, GP.id(), null);
    static final Person HOSPITAL_DOCTOR = new Person("dr-jones", "Dr Jones", Role.CLINICIAN, HOSPITAL.id(), null);
    static final Person RESEARCHER = new Person("res-khan", "Prof Khan", Role.RESEARCHER, UNIVERSITY.id(), null);
    static final Person ALICE_PERSON = new Person("alice", "Alice Example", Role.PATIENT, GP.id(), ALICE);
    static final Person BOB_PERSON = new Person("bob", "Bob Example", Role.PATIENT, GP.id(), BOB);
    static final Person CARER = new Person("carer-cat", "Cat Example", Role.PATIENT, GP.id(), null);

    static final LocalDate TODAY = LocalDate.now(Clock.systemUTC());
    static final Project STUDY = new Project("study-1", UNIVERSITY.id(), Purpose.HRESCH, DataForm.PSEUDONYMISED, Project.Status.APPROVED, null,
            TODAY.plusYears(1), "REC 26/LO/0001", null, null, List.of());

    final HikariDataSource ds;
    final TransparencyLog log;
    final RecordingGate gate;
    final RegisterSnapshot registers;

    NotificationWorld(PostgresForTests postgres) {
        ds = postgres.newDatabase();
        Clock clock = Clock.systemUTC();
        registers = registers();
        log = TransparencyLog.open(new PostgresLogStore(ds), NoteSigner.generate("test.example/notifications"),
                new LogConfig("test.example/notifications", Duration.ofMillis(50), 1024, 65_536, true));
        gate = new RecordingGate(new Gate(registers, ConsentRecord::none, GovernedRuleSet::defaults, clock), log,
                new BreakGlassReviews(ds, clock), clock);
    }

    static RegisterSnapshot registers() {
        RegisterSnapshot.Builder b = RegisterSnapshot.builder();
        for (Organisation o : new Organisation[] {GP, HOSPITAL, UNIVERSITY}) {
            b.organisation(o);
        }
        for (Person p : new Person[] {GP_DOCTOR, HOSPITAL_DOCTOR, RESEARCHER, ALICE_PERSON, BOB_PERSON, CARER}) {
            b.person(p);
        }
        b.careRelationship(new CareRelationship(ALICE, GP.id(), CareRelationship.Kind.REGISTERED, TODAY.minusYears(5), null));
        b.careRelationship(new CareRelationship(BOB, GP.id(), CareRelationship.Kind.REGISTERED, TODAY.minusYears(1), null));
        b.proxy(new Proxy(CARER.id(), ALICE, Proxy.Scope.FULL, TODAY.minusYears(1), null));
        b.project(STUDY);
        return b.build();
    }

    Notifier notifier() {
        return new Notifier(ds, registers, GovernedRuleSet::defaults, Clock.systemUTC());
    }

    /** A hospital doctor with no care relationship opens the patient's record in an emergency. */
    RecordedDecision breakGlass(NhsNumber patient) {
        RecordedDecision d = gate.decide(request(HOSPITAL_DOCTOR, HOSPITAL, Purpose.ETREAT, patient, DataForm.IDENTIFIABLE, null));
        if (!d.decision().breakGlass()) {
            throw new AssertionError("expected a break-glass access: " + d.decision());
        }
        return d;
    }

    RecordedDecision gpRead(NhsNumber patient) {
        return permitted(request(GP_DOCTOR, GP, Purpose.TREAT, patient, DataForm.IDENTIFIABLE, null));
    }

    RecordedDecision research(NhsNumber patient) {
        return permitted(request(RESEARCHER, UNIVERSITY, Purpose.HRESCH, patient, DataForm.PSEUDONYMISED, STUDY.id()));
    }

    RecordedDecision ownLook(Person patient) {
        return permitted(request(patient, GP, Purpose.PATRQT, patient.nhsNumber(), DataForm.IDENTIFIABLE, null));
    }

    private RecordedDecision permitted(AccessRequest r) {
        RecordedDecision d = gate.decide(r);
        if (!d.decision().permitted()) {
            throw new AssertionError("expected a permit: " + d.decision());
        }
        return d;
    }

    static AccessRequest request(Person who, Organisation org, Purpose purpose, NhsNumber patient, DataForm form, String project) {
        return new AccessRequest(who, org, purpose, patient, form, Set.of(), List.of("Observation"), project, "test");
    }

    /** Waits until the tree integrates the entry: only then may the notifier read it. */
    void awaitIntegrated(long index) throws InterruptedException {
        Eventually.await("entry " + index + " is integrated", Duration.ofSeconds(20), () -> log.treeHead().size() > index);
    }

    long count(String where) {
        try (var c = ds.getConnection(); var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM notifications WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        log.close();
        ds.close();
    }
}
