package org.custodian.bench;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.custodian.core.consent.ConsentChoices;
import org.custodian.core.decisions.AccessRequest;
import org.custodian.core.registers.CareRelationship;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Project;
import org.custodian.core.registers.Proxy;
import org.custodian.core.registers.RegisterSnapshot;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.PurposeGroup;
import org.custodian.core.vocabulary.SensitiveCategory;

/**
 * A seeded, in-memory world for the gate benchmarks: a town's registers (GP practices, hospitals,
 * commissioners, universities, councils, government departments, private companies, a regulator;
 * their staff; a few thousand patients with care relationships, carers and choices; research and
 * planning projects in every state) and a pre-generated mix of requests against it.
 */
final class BenchWorld {
    final Clock clock;
    final RegisterSnapshot registers;
    final CachedConsents consents;
    final AccessRequest[] requests;

    private final SplittableRandom random;
    private final LocalDate today;
    private final RegisterSnapshot.Builder b = RegisterSnapshot.builder();
    private final List<Organisation> gps = new ArrayList<>();
    private final List<Organisation> hospitals = new ArrayList<>();
    private final List<Organisation> universities = new ArrayList<>();
    private final List<Organisation> planners = new ArrayList<>();
    private final List<Organisation> governments = new ArrayList<>();
    private final List<Organisation> everyOrganisation = new ArrayList<>();
    private final Map<String, List<Person>> staff = new java.util.HashMap<>();
    private final Map<String, List<Project>> projects = new java.util.HashMap<>();
    private final List<Person> patients = new ArrayList<>();
    private final Map<NhsNumber, Organisation> registeredAt = new java.util.HashMap<>();
    private final List<CareRelationship> referrals = new ArrayList<>();
    private final List<Proxy> proxies = new ArrayList<>();
    private final Map<String, Person> people = new java.util.HashMap<>();
    private Organisation company;
    private Organisation clinic;
    private Organisation regulator;

    private BenchWorld(long seed, int patientCount, int requestCount, Clock clock) {
        this.clock = clock;
        this.random = new SplittableRandom(seed);
        this.today = LocalDate.now(clock);
        this.consents = new CachedConsents(clock);
        organisations();
        patients(patientCount);
        projects();
        this.registers = b.build();
        choices();
        this.requests = new AccessRequest[requestCount];
        for (int i = 0; i < requestCount; i++) {
            requests[i] = request();
        }
    }

    /**
     * A world of {@code patients} patients and {@code requests} requests, dated by {@code clock}.
     * The same seed gives the same world.
     */
    static BenchWorld generate(long seed, int patients, int requests, Clock clock) {
        return new BenchWorld(seed, patients, requests, clock);
    }

    static BenchWorld standard() {
        return generate(20261123L, 5_000, 1 << 14, Clock.systemUTC());
    }

    static Clock fixedClock() {
        return Clock.fixed(java.time.Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    }

    // ---- The registers ----------------------------------------------------------------------

    private void organisations() {
        for (int i = 0; i < 20; i++) {
            gps.add(organisation("GP" + i, Sector.NHS_CARE, Role.CLINICIAN, 3, Role.RECEPTION, 1));
        }
        for (int i = 0; i < 4; i++) {
            Organisation h = organisation("RH" + i, Sector.NHS_CARE, Role.CLINICIAN, 10, Role.RECEPTION, 2);
            staffMember(h, Role.CALDICOTT_GUARDIAN, 0);
            hospitals.add(h);
        }
        for (int i = 0; i < 2; i++) {
            planners.add(organisation("ICB" + i, Sector.NHS_COMMISSIONER, Role.ANALYST, 3, Role.RESEARCHER, 1));
        }
        for (int i = 0; i < 3; i++) {
            universities.add(organisation("UNI" + i, Sector.PUBLIC_RESEARCH, Role.RESEARCHER, 4, Role.ADMIN, 1));
        }
        for (int i = 0; i < 2; i++) {
            planners.add(organisation("LA" + i, Sector.LOCAL_AUTHORITY, Role.ANALYST, 2, Role.ADMIN, 1));
        }
        governments.add(organisation("HO", Sector.OTHER_GOVERNMENT, Role.ANALYST, 2, Role.ADMIN, 1));
        governments.add(organisation("DWP", Sector.OTHER_GOVERNMENT, Role.ANALYST, 2, Role.ADMIN, 1));
        company = organisation("DATACO", Sector.PRIVATE_COMPANY, Role.RESEARCHER, 2, Role.ANALYST, 2);
        clinic = organisation("CLINIC", Sector.PRIVATE_COMPANY, Role.CLINICIAN, 3, Role.RECEPTION, 1);
        regulator = organisation("REG", Sector.REGULATOR, Role.AUDITOR, 2, Role.ADMIN, 1);
    }

    private Organisation organisation(String id, Sector sector, Role main, int mainCount, Role other, int otherCount) {
        Organisation o = new Organisation(id, id + " (" + sector.words() + ")", sector);
        b.organisation(o);
        everyOrganisation.add(o);
        for (int i = 0; i < mainCount; i++) {
            staffMember(o, main, i);
        }
        for (int i = 0; i < otherCount; i++) {
            staffMember(o, other, i);
        }
        return o;
    }

    private void staffMember(Organisation o, Role role, int i) {
        Person p = new Person(o.id() + "-" + role.code() + "-" + i, role.code() + " " + i + " of " + o.id(), role, o.id(), null);
        b.person(p);
        people.put(p.id(), p);
        staff.computeIfAbsent(o.id() + "/" + role, k -> new ArrayList<>()).add(p);
    }

    private void patients(int count) {
        long base = 400_000_000L;
        while (patients.size() < count) {
            NhsNumber number = nhsNumber(base++);
            if (number == null) {
                continue;
            }
            Organisation gp = pick(gps);
            Person patient = new Person("patient-" + number.value(), "Patient " + patients.size(), Role.PATIENT, gp.id(), number);
            b.person(patient);
            patients.add(patient);
            registeredAt.put(number, gp);
            b.careRelationship(new CareRelationship(number, gp.id(), CareRelationship.Kind.REGISTERED,
                    today.minusDays(30 + random.nextInt(5_000)), null));
            if (random.nextInt(100) < 30) {
                // A referral or episode at a hospital; one in five has ended.
                boolean ended = random.nextInt(5) == 0;
                LocalDate from = today.minusDays(ended ? 400 : random.nextInt(200));
                CareRelationship c = new CareRelationship(number, pick(hospitals).id(),
                        random.nextBoolean() ? CareRelationship.Kind.REFERRAL : CareRelationship.Kind.EPISODE,
                        from, ended ? from.plusDays(60) : today.plusDays(1 + random.nextInt(180)));
                b.careRelationship(c);
                referrals.add(c);
            }
            if (random.nextInt(100) < 3) {
                CareRelationship c = new CareRelationship(number, clinic.id(), CareRelationship.Kind.EPISODE, today.minusDays(10), null);
                b.careRelationship(c);
                referrals.add(c);
            }
            if (random.nextInt(100) < 4) {
                Person carer = new Person("carer-" + number.value(), "Carer of " + patient.name(), Role.PATIENT, gp.id(), null);
                b.person(carer);
                people.put(carer.id(), carer);
                int kind = random.nextInt(10);
                Proxy.Scope scope = kind == 0 ? Proxy.Scope.CONSENT : kind < 4 ? Proxy.Scope.READ : Proxy.Scope.FULL;
                Proxy proxy = new Proxy(carer.id(), number, scope, today.minusDays(100), kind == 9 ? today.minusDays(1) : null);
                b.proxy(proxy);
                proxies.add(proxy);
            }
        }
    }

    private void projects() {
        for (Organisation u : universities) {
            project(u, Purpose.HRESCH, DataForm.PSEUDONYMISED, Project.Status.APPROVED, 365, "REC 26/LO/" + u.id());
            project(u, Purpose.CLINTRCH, DataForm.AGGREGATE, Project.Status.APPROVED, 200, "REC 26/YH/" + u.id());
            project(u, Purpose.HRESCH, DataForm.AGGREGATE, Project.Status.APPROVED, 100, null);
            project(u, Purpose.HRESCH, DataForm.PSEUDONYMISED, Project.Status.SUSPENDED, 300, "REC 25/NW/" + u.id());
            project(u, Purpose.HRESCH, DataForm.PSEUDONYMISED, Project.Status.APPROVED, -5, "REC 24/NE/" + u.id());
        }
        for (Organisation p : planners) {
            project(p, p.sector() == Sector.LOCAL_AUTHORITY ? Purpose.PUBHLTH : Purpose.HOPERAT, DataForm.AGGREGATE,
                    Project.Status.APPROVED, 365, null);
            project(p, Purpose.POPHLTH, DataForm.PSEUDONYMISED, Project.Status.APPROVED, 365, null);
            project(p, Purpose.HQUALIMP, DataForm.AGGREGATE, Project.Status.PENDING, 365, null);
        }
        project(company, Purpose.HRESCH, DataForm.PSEUDONYMISED, Project.Status.APPROVED, 365, "REC 26/SC/0001");
        for (Organisation g : governments) {
            project(g, Purpose.GOV, DataForm.PSEUDONYMISED, Project.Status.APPROVED, 365, null);
        }
    }

    private void project(Organisation o, Purpose purpose, DataForm form, Project.Status status, int days, String ethics) {
        List<Project> own = projects.computeIfAbsent(o.id(), k -> new ArrayList<>());
        Project p = new Project(o.id().toLowerCase(java.util.Locale.ROOT) + "-" + own.size(), o.id(), purpose, form, status, null,
                today.plusDays(days), ethics, null, null, List.of());
        b.project(p);
        own.add(p);
    }

    /** Roughly the shares seen in the NHS's national data opt-out and the seeds' scenarios. */
    private void choices() {
        for (Person patient : patients) {
            EnumSet<PurposeGroup> refused = EnumSet.noneOf(PurposeGroup.class);
            if (random.nextInt(100) < 10) {
                refused.add(PurposeGroup.RESEARCH);
            }
            if (random.nextInt(100) < 6) {
                refused.add(PurposeGroup.PLANNING);
            }
            if (random.nextInt(100) < 3) {
                refused.add(PurposeGroup.DIRECT_CARE);
            }
            Set<String> organisations = random.nextInt(100) < 2
                    ? Set.of(random.nextBoolean() ? pick(hospitals).id() : company.id()) : Set.of();
            Map<SensitiveCategory, Set<String>> withheld = Map.of();
            if (random.nextInt(100) < 5) {
                SensitiveCategory category = pick(SensitiveCategory.values());
                // Half name their GP practice's first clinician as the one who still sees it.
                Set<String> except = random.nextBoolean()
                        ? Set.of(staff.get(registeredAt.get(patient.nhsNumber()).id() + "/" + Role.CLINICIAN).get(0).id())
                        : Set.of();
                withheld = Map.of(category, except);
            }
            if (!refused.isEmpty() || !organisations.isEmpty() || !withheld.isEmpty()) {
                consents.record(patient.nhsNumber(), new ConsentChoices(refused, organisations, withheld));
            }
        }
    }

    // ---- The requests ----------------------------------------------------------------------

    private AccessRequest request() {
        int roll = random.nextInt(100);
        Person patientPerson = pick(patients);
        NhsNumber patient = patientPerson.nhsNumber();
        if (roll < 30) { // a GP reading a registered patient's record
            return request(staff(registeredAt.get(patient), Role.CLINICIAN), Purpose.TREAT, patient, DataForm.IDENTIFIABLE, null);
        }
        if (roll < 38) { // a hospital or clinic with a referral or episode (some ended)
            CareRelationship c = pick(referrals);
            return request(staff(organisation(c.organisation()), Role.CLINICIAN), Purpose.TREAT, c.patient(), DataForm.IDENTIFIABLE, null);
        }
        if (roll < 44) { // a hospital clinician, usually without a relationship
            return request(staff(pick(hospitals), Role.CLINICIAN), Purpose.TREAT, patient, DataForm.IDENTIFIABLE, null);
        }
        if (roll < 47) { // reception asking for care
            return request(staff(registeredAt.get(patient), Role.RECEPTION), Purpose.TREAT, patient, DataForm.IDENTIFIABLE, null);
        }
        if (roll < 52) { // break-glass
            Organisation h = pick(hospitals);
            Role role = random.nextInt(10) == 0 ? Role.RECEPTION : Role.CLINICIAN;
            return request(staff(h, role), random.nextBoolean() ? Purpose.ETREAT : Purpose.BTG, patient, DataForm.IDENTIFIABLE, null);
        }
        if (roll < 60) { // the patient, their own record
            return request(patientPerson, Purpose.PATRQT, patient, DataForm.IDENTIFIABLE, null);
        }
        if (roll < 61) { // a patient asking for someone else's
            return request(patientPerson, Purpose.PATRQT, pick(patients).nhsNumber(), DataForm.IDENTIFIABLE, null);
        }
        if (roll < 65) { // a carer for the patient they act for (some scopes and dates do not allow it)
            Proxy p = pick(proxies);
            return request(people.get(p.proxy()), random.nextBoolean() ? Purpose.PWATRNY : Purpose.FAMRQT, p.patient(),
                    DataForm.IDENTIFIABLE, null);
        }
        if (roll < 66) { // a carer for someone else
            return request(people.get(pick(proxies).proxy()), Purpose.PWATRNY, patient, DataForm.IDENTIFIABLE, null);
        }
        if (roll < 78) { // research: mostly through one of the university's projects
            Organisation u = pick(universities);
            int kind = random.nextInt(20);
            Project p = kind < 2 ? null : pick(projects.get((kind == 2 ? pick(universities) : u).id()));
            DataForm form = kind == 3 ? DataForm.IDENTIFIABLE : p == null ? DataForm.PSEUDONYMISED : p.form();
            Purpose purpose = p == null ? Purpose.HRESCH : p.purpose();
            return request(staff(u, Role.RESEARCHER), purpose, patient, form, p == null ? null : p.id());
        }
        if (roll < 86) { // planning by commissioners and councils
            Organisation o = pick(planners);
            int kind = random.nextInt(10);
            Project p = kind == 0 ? null : pick(projects.get(o.id()));
            DataForm form = kind == 1 ? DataForm.PSEUDONYMISED : p == null ? DataForm.AGGREGATE : p.form();
            return request(staff(o, Role.ANALYST), p == null ? Purpose.HOPERAT : p.purpose(), patient, form, p == null ? null : p.id());
        }
        if (roll < 90) { // private companies: research (refused by statute) or a private clinic's care
            if (random.nextBoolean()) {
                Project p = projects.get(company.id()).get(0);
                return request(staff(company, Role.RESEARCHER), Purpose.HRESCH, patient, random.nextBoolean() ? DataForm.AGGREGATE : p.form(), p.id());
            }
            CareRelationship c = random.nextBoolean() ? pick(referrals) : null;
            return request(staff(clinic, Role.CLINICIAN), Purpose.TREAT, c == null ? patient : c.patient(), DataForm.IDENTIFIABLE, null);
        }
        if (roll < 93) { // other government departments
            Organisation g = pick(governments);
            Purpose purpose = pick(new Purpose[] {Purpose.GOV, Purpose.LEGAL});
            DataForm form = pick(DataForm.values());
            String project = purpose == Purpose.GOV && random.nextBoolean() ? projects.get(g.id()).get(0).id() : null;
            return request(staff(g, Role.ANALYST), purpose, patient, form, project);
        }
        if (roll < 96) { // marketing, by anyone
            Organisation o = pick(everyOrganisation);
            Person who = pick(staffOf(o));
            return request(who, random.nextBoolean() ? Purpose.HMARKT : Purpose.MARKT, patient, pick(DataForm.values()), null);
        }
        if (roll < 98) { // rationing by 'value'
            return request(staff(pick(planners), Role.ANALYST), random.nextBoolean() ? Purpose.COVAUTH : Purpose.ELIGDTRM,
                    patient, DataForm.AGGREGATE, null);
        }
        // a regulator asking for planning data it has no rule for
        return request(staff(regulator, Role.AUDITOR), Purpose.HQUALIMP, patient, DataForm.AGGREGATE, null);
    }

    private AccessRequest request(Person who, Purpose purpose, NhsNumber patient, DataForm form, String project) {
        // One request in seven asks for particular sensitive categories rather than the whole record.
        Set<SensitiveCategory> categories = Set.of();
        if (random.nextInt(7) == 0) {
            EnumSet<SensitiveCategory> some = EnumSet.of(pick(SensitiveCategory.values()));
            if (random.nextBoolean()) {
                some.add(pick(SensitiveCategory.values()));
            }
            categories = some;
        }
        return new AccessRequest(who, organisation(who.organisation()), purpose, patient, form, categories, List.of(), project, "bench");
    }

    private Organisation organisation(String id) {
        return registers.organisation(id).orElseThrow(() -> new IllegalArgumentException("no organisation " + id));
    }

    private Person staff(Organisation o, Role role) {
        return pick(staff.get(o.id() + "/" + role));
    }

    private List<Person> staffOf(Organisation o) {
        List<Person> all = new ArrayList<>();
        staff.forEach((key, list) -> {
            if (key.startsWith(o.id() + "/")) {
                all.addAll(list);
            }
        });
        return all;
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private <T> T pick(T[] items) {
        return items[random.nextInt(items.length)];
    }

    /** The NHS number with these nine leading digits and its modulus-11 check digit, or null where there is none. */
    private static NhsNumber nhsNumber(long nineDigits) {
        String digits = String.format("%09d", nineDigits);
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (digits.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - sum % 11;
        if (check == 11) {
            check = 0;
        }
        return check == 10 ? null : new NhsNumber(digits + check);
    }
}
