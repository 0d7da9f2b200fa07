package org.custodian.records;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import org.custodian.core.consent.ConsentChoices;
import org.custodian.core.consent.ConsentRecord;
import org.custodian.core.decisions.BreakGlassReviews;
import org.custodian.core.decisions.Gate;
import org.custodian.core.decisions.RecordingGate;
import org.custodian.core.decisions.Refusals;
import org.custodian.core.identity.Caller;
import org.custodian.core.identity.Claims;
import org.custodian.core.registers.CareRelationship;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.RegisterSnapshot;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.rules.GovernedRuleSet;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.log.LogConfig;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.testing.SharedData;
import org.custodian.records.access.RecordAccess;
import org.custodian.records.index.Sensitivity;
import org.custodian.records.store.RecordStore;
import org.custodian.records.validate.ProfileValidator;
import org.custodian.records.write.Author;
import org.custodian.records.write.Preparer;
import org.custodian.records.write.RecordWriter;

/**
 * A small deployment for record tests on a real PostgreSQL: a GP practice caring for Ada, a hospital
 * that does not, the default rules, and consent choices tests can change.
 */
final class RecordsWorld implements AutoCloseable {
    static final NhsNumber ADA = new NhsNumber("9434765919");
    static final NhsNumber BEN = new NhsNumber("9434765870");
    static final Organisation GP = new Organisation("A99001", "Riverside Medical Practice", Sector.NHS_CARE);
    static final Organisation HOSPITAL = new Organisation("RX101", "Northfield General", Sector.NHS_CARE);
    static final Organisation COMPANY = new Organisation("acme", "Acme Analytics Ltd", Sector.PRIVATE_COMPANY);
    static final Person GP_DOCTOR = new Person("dr-okafor", "Dr Okafor", Role.CLINICIAN, GP.id(), null);
    static final Person GP_RECEPTION = new Person("reception-jones", "Carys Jones", Role.RECEPTION, GP.id(), null);
    static final Person HOSPITAL_DOCTOR = new Person("dr-patel", "Dr Patel", Role.CLINICIAN, HOSPITAL.id(), null);
    static final Person COMPANY_ANALYST = new Person("analyst-smith", "Sam Smith", Role.ANALYST, COMPANY.id(), null);
    static final Person ADA_PERSON = new Person("patient-ada", "Ada", Role.PATIENT, GP.id(), ADA);

    final Clock clock = Clock.systemUTC();
    final HikariDataSource ds;
    final TransparencyLog log;
    final RecordStore store;
    final RecordAccess access;
    final RecordWriter writer;
    final Map<NhsNumber, ConsentChoices> consents = new ConcurrentHashMap<>();

    RecordsWorld(PostgresForTests postgres) {
        this(postgres, ProfileValidator.off());
    }

    /** @param profiles the profile validation every write goes through */
    RecordsWorld(PostgresForTests postgres, ProfileValidator profiles) {
        ds = postgres.newDatabase();
        PostgresLogStore logStore = new PostgresLogStore(ds);
        log = TransparencyLog.open(logStore, NoteSigner.generate("test.example/records"),
                new LogConfig("test.example/records", Duration.ofMillis(100), 1024, 65_536, true));
        LocalDate today = LocalDate.now(clock);
        RegisterSnapshot.Builder b = RegisterSnapshot.builder();
        for (Organisation o : new Organisation[] {GP, HOSPITAL, COMPANY}) {
            b.organisation(o);
        }
        for (Person p : new Person[] {GP_DOCTOR, GP_RECEPTION, HOSPITAL_DOCTOR, COMPANY_ANALYST, ADA_PERSON}) {
            b.person(p);
        }
        b.careRelationship(new CareRelationship(ADA, GP.id(), CareRelationship.Kind.REGISTERED, today.minusYears(5), null));
        b.careRelationship(new CareRelationship(BEN, GP.id(), CareRelationship.Kind.REGISTERED, today.minusYears(5), null));
        RegisterSnapshot registers = b.build();
        Gate gate = new Gate(registers, patient -> new ConsentRecord(patient, consents.getOrDefault(patient, ConsentChoices.NOTHING_REFUSED), 1,
                Instant.EPOCH, "test", ConsentRecord.Channel.PATIENT, -1), GovernedRuleSet::defaults, clock);
        RecordingGate recording = new RecordingGate(gate, log, new BreakGlassReviews(ds, clock), clock);
        store = new RecordStore(ds, logStore, clock);
        access = new RecordAccess(store, recording, new Refusals(log, clock), ForkJoinPool.commonPool());
        writer = new RecordWriter(store, access, new Preparer(Sensitivity.standard(), profiles), clock);
    }

    static Caller caller(Person p, Organisation o, Purpose purpose) {
        return new Caller(p, o, purpose, null, new Claims("test", p.id(), o.id(), purpose, null, "t-" + p.id(), Instant.now().plusSeconds(3600)));
    }

    static RecordWriter.Context as(Person p, Organisation o, Purpose purpose) {
        Caller c = caller(p, o, purpose);
        return new RecordWriter.Context(Author.of(c), c, "fhir");
    }

    static RecordWriter.Context operator() {
        return new RecordWriter.Context(Author.operator("test"), null, "import");
    }

    static Path synthea(String prefix) throws java.io.IOException {
        try (var files = Files.list(SharedData.locate("shared/data/fhir/synthea"))) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
        }
    }

    @Override
    public void close() {
        log.close();
    }
}
