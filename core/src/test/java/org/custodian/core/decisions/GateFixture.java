package org.custodian.core.decisions;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.custodian.core.consent.ConsentChoices;
import org.custodian.core.consent.ConsentRecord;
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
import org.custodian.core.vocabulary.SensitiveCategory;

/** A small world for gate tests: one organisation of every sector, people in every role, two patients. */
final class GateFixture {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    static final LocalDate TODAY = LocalDate.of(2026, 11, 23);

    static final NhsNumber ALICE = new NhsNumber("9434765919");
    static final NhsNumber BOB = new NhsNumber("9434765870");

    static final Organisation GP = new Organisation("A81001", "Riverside GP Practice", Sector.NHS_CARE);
    static final Organisation HOSPITAL = new Organisation("RX1", "City Hospital", Sector.NHS_CARE);
    static final Organisation ICB = new Organisation("QXX", "Integrated Care Board", Sector.NHS_COMMISSIONER);
    static final Organisation UNIVERSITY = new Organisation("UNI1", "University of Leeds", Sector.PUBLIC_RESEARCH);
    static final Organisation COUNCIL = new Organisation("LA1", "City Council", Sector.LOCAL_AUTHORITY);
    static final Organisation HOME_OFFICE = new Organisation("GOV1", "Home Office", Sector.OTHER_GOVERNMENT);
    static final Organisation COMPANY = new Organisation("PRIV1", "DataCorp Ltd", Sector.PRIVATE_COMPANY);
    static final Organisation REGULATOR = new Organisation("REG1", "Health Data Regulator", Sector.REGULATOR);

    static final Person GP_DOCTOR = new Person("dr-patel", "Dr Patel", Role.CLINICIAN, GP.id(), null);
    static final Person HOSPITAL_DOCTOR = new Person("dr-jones", "Dr Jones", Role.CLINICIAN, HOSPITAL.id(), null);
    static final Person GP_RECEPTION = new Person("rec-smith", "Sam Smith", Role.RECEPTION, GP.id(), null);
    static final Person RESEARCHER = new Person("res-khan", "Prof Khan", Role.RESEARCHER, UNIVERSITY.id(), null);
    static final Person ANALYST = new Person("an-lee", "Lee", Role.ANALYST, ICB.id(), null);
    static final Person COUNCIL_ANALYST = new Person("an-may", "May", Role.ANALYST, COUNCIL.id(), null);
    static final Person OFFICIAL = new Person("gov-ward", "Ward", Role.ANALYST, HOME_OFFICE.id(), null);
    static final Person COMPANY_ANALYST = new Person("corp-ray", "Ray", Role.RESEARCHER, COMPANY.id(), null);
    static final Person COMPANY_CLINICIAN = new Person("corp-doc", "Dr Roe", Role.CLINICIAN, COMPANY.id(), null);
    static final Person REGULATOR_AUDITOR = new Person("reg-kim", "Kim", Role.AUDITOR, REGULATOR.id(), null);
    static final Person ALICE_PERSON = new Person("alice", "Alice Example", Role.PATIENT, GP.id(), ALICE);
    static final Person BOB_PERSON = new Person("bob", "Bob Example", Role.PATIENT, GP.id(), BOB);
    static final Person CARER = new Person("carer-cat", "Cat Example", Role.PATIENT, GP.id(), null);

    static final Project STUDY = new Project("study-1", UNIVERSITY.id(), Purpose.HRESCH, DataForm.PSEUDONYMISED,
            Project.Status.APPROVED, null, TODAY.plusYears(1), "REC 26/LO/0001", null, null, List.of());
    static final Project COMPANY_STUDY = new Project("corp-study", COMPANY.id(), Purpose.HRESCH, DataForm.PSEUDONYMISED,
            Project.Status.APPROVED, null, TODAY.plusYears(1), "REC 26/LO/0002", null, null, List.of());
    static final Project GOV_PROJECT = new Project("gov-project", HOME_OFFICE.id(), Purpose.GOV, DataForm.PSEUDONYMISED,
            Project.Status.APPROVED, null, TODAY.plusYears(1), null, null, null, List.of());
    static final Project PLANNING = new Project("plan-1", ICB.id(), Purpose.HOPERAT, DataForm.AGGREGATE,
            Project.Status.APPROVED, null, TODAY.plusYears(1), null, null, null, List.of());

    static RegisterSnapshot registers() {
        return registers(new Project[0]);
    }

    /** The fixture's registers, with these projects added or replacing the fixture's of the same id. */
    static RegisterSnapshot registers(Project... projects) {
        RegisterSnapshot.Builder b = RegisterSnapshot.builder();
        for (Organisation o : new Organisation[] {GP, HOSPITAL, ICB, UNIVERSITY, COUNCIL, HOME_OFFICE, COMPANY, REGULATOR}) {
            b.organisation(o);
        }
        for (Person p : new Person[] {GP_DOCTOR, HOSPITAL_DOCTOR, GP_RECEPTION, RESEARCHER, ANALYST, COUNCIL_ANALYST, OFFICIAL,
                COMPANY_ANALYST, COMPANY_CLINICIAN, REGULATOR_AUDITOR, ALICE_PERSON, BOB_PERSON, CARER}) {
            b.person(p);
        }
        b.careRelationship(new CareRelationship(ALICE, GP.id(), CareRelationship.Kind.REGISTERED, TODAY.minusYears(5), null));
        b.careRelationship(new CareRelationship(ALICE, HOSPITAL.id(), CareRelationship.Kind.REFERRAL, TODAY.minusDays(10), TODAY.plusDays(30)));
        b.careRelationship(new CareRelationship(BOB, GP.id(), CareRelationship.Kind.REGISTERED, TODAY.minusYears(1), null));
        b.proxy(new Proxy(CARER.id(), ALICE, Proxy.Scope.FULL, TODAY.minusYears(1), null));
        for (Project p : new Project[] {STUDY, COMPANY_STUDY, GOV_PROJECT, PLANNING}) {
            b.project(p);
        }
        for (Project p : projects) {
            b.project(p);
        }
        return b.build();
    }

    /** Consent held in memory: what a test sets is what the gate reads next. */
    static final class Consents implements Gate.ConsentSource {
        private final Map<NhsNumber, ConsentRecord> records = new ConcurrentHashMap<>();

        void set(NhsNumber patient, ConsentChoices choices) {
            int version = current(patient).version() + 1;
            records.put(patient, new ConsentRecord(patient, choices, version, CLOCK.instant(), "test", ConsentRecord.Channel.PATIENT, version));
        }

        @Override
        public ConsentRecord current(NhsNumber patient) {
            return records.getOrDefault(patient, ConsentRecord.none(patient));
        }
    }

    static Gate gate(Consents consents) {
        return new Gate(registers(), consents, GovernedRuleSet::defaults, CLOCK);
    }

    static AccessRequest request(Person who, Organisation org, Purpose purpose, NhsNumber patient, DataForm form, String project,
            SensitiveCategory... categories) {
        return new AccessRequest(who, org, purpose, patient, form, categories.length == 0 ? Set.of() : Set.of(categories),
                java.util.List.of(), project, "test");
    }
}
