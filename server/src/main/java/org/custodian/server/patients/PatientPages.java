package org.custodian.server.patients;

import static java.util.Objects.requireNonNull;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.Handler;
import io.javalin.http.SameSite;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.custodian.core.activity.ActivityFilter;
import org.custodian.core.activity.ActivityPage;
import org.custodian.core.activity.PatientActivity;
import org.custodian.core.activity.UseDescriber;
import org.custodian.core.consent.ConsentAuthority;
import org.custodian.core.consent.ConsentStore;
import org.custodian.core.decisions.AccessRequest;
import org.custodian.core.decisions.DecisionNotRecordedException;
import org.custodian.core.decisions.RecordedDecision;
import org.custodian.core.decisions.Decision;
import org.custodian.core.decisions.Obligation;
import org.custodian.core.decisions.RecordingGate;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.records.store.RecordStore;
import org.custodian.records.summary.RecordSummaries;
import org.custodian.records.summary.RecordSummary;
import org.custodian.records.summary.SummaryLimits;
import org.custodian.records.summary.SummaryQueries;
import org.custodian.core.decisions.Refusals;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.core.notifications.NotificationPreferenceStore;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Proxy;
import org.custodian.core.registers.RegisterSnapshot;
import org.custodian.core.registers.Registers;
import org.custodian.core.registers.Role;
import org.custodian.core.rules.GovernedRuleSet;
import org.custodian.core.rules.Reason;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.server.pages.Templates;
import org.custodian.server.patients.PageModels.Banner;
import static org.custodian.server.patients.PageSupport.checkCsrf;
import static org.custodian.server.patients.PageSupport.page;
import static org.custodian.server.patients.PageSupport.requireSameOrigin;

import org.custodian.server.patients.PageSupport.PageException;
import org.custodian.server.patients.PageSupport.SignInNeeded;

/**
 * The patients' own pages: sign-in, whose record (for proxies), "who used my data" and "my choices".
 * Server-rendered HTML that works without JavaScript.
 *
 * <p>Every page that shows something about a patient first asks the gate, as the signed-in person, for
 * their own record (PATRQT) or as a proxy (PWATRNY), and the decision is in the ledger before anything is
 * shown: a proxy whose authority has ended sees a refusal, recorded, and nothing else. Forms carry the
 * session's CSRF token; sessions live in the database ({@link WebSessions}).
 */
public final class PatientPages {
    static final String COOKIE = "custodian_session";
    static final int PAGE_SIZE = 25;
    static final ZoneId UK = ZoneId.of("Europe/London");

    private final Registers registers;
    private final Supplier<RegisterSnapshot> snapshots;
    private final RecordingGate gate;
    private final PatientActivity activity;
    private final TransparencyLog log;
    private final RecordStore records;
    private final Supplier<GovernedRuleSet> rules;
    private final WebSessions sessions;
    private final SignInCodes codes;
    private final ChoicesPage choices;
    private final StaffPages staff;
    private final AuditPages audits;
    private final NotificationsPage notifications;
    private final boolean demoSignIn;
    private final Optional<OidcSignIn> oidc;
    private final Optional<OidcSignIn> staffOidc;
    private final Clock clock;

    /**
     * How people sign in to the pages.
     *
     * @param demo offer the demonstration's sign-in (choose a demo person, type the code shown); never in a real deployment
     * @param patients the OpenID Connect provider through which patients and their proxies sign in ({@link OidcSignIn})
     * @param staff the one through which staff and auditors sign in; never the same client as the patients'
     */
    public record SignIns(boolean demo, Optional<OidcClient> patients, Optional<OidcClient> staff) {
        public SignIns {
            requireNonNull(patients, "patients is null");
            requireNonNull(staff, "staff is null");
            if (patients.isPresent() && patients.get().settings().who() != OidcClient.Who.PATIENTS) {
                throw new IllegalArgumentException("the patients' provider is configured for " + patients.get().settings().who());
            }
            if (staff.isPresent() && staff.get().settings().who() != OidcClient.Who.STAFF) {
                throw new IllegalArgumentException("the staff's provider is configured for " + staff.get().settings().who());
            }
            if (patients.isPresent() && staff.isPresent() && patients.get().settings().issuer().equals(staff.get().settings().issuer())
                    && patients.get().settings().clientId().equals(staff.get().settings().clientId())) {
                throw new IllegalArgumentException("the staff's sign-in uses the patients' client");
            }
        }

        /** No way to sign in (a benchmark's server, say). */
        public static SignIns none() {
            return new SignIns(false, Optional.empty(), Optional.empty());
        }

        /** The demonstration's sign-in only. */
        public static SignIns demoOnly() {
            return new SignIns(true, Optional.empty(), Optional.empty());
        }
    }

    public PatientPages(DataSource dataSource, Registers registers, Supplier<RegisterSnapshot> snapshots, RecordingGate gate, Refusals refusals,
            TransparencyLog log, ConsentStore consents, ConsentAuthority authority, PatientActivity activity, RecordStore records,
            Supplier<GovernedRuleSet> rules, SignIns signIns, Clock clock) {
        this.registers = requireNonNull(registers, "registers is null");
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
        this.gate = requireNonNull(gate, "gate is null");
        this.activity = requireNonNull(activity, "activity is null");
        this.log = requireNonNull(log, "log is null");
        this.records = requireNonNull(records, "records is null");
        this.rules = requireNonNull(rules, "rules is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.sessions = new WebSessions(dataSource, clock);
        this.codes = new SignInCodes(dataSource, clock);
        this.choices = new ChoicesPage(consents, authority, registers);
        // Staff's and auditors' pages take anyone signed in and check for themselves (StaffPages.staff, AuditPages.show).
        this.staff = new StaffPages(this::signedIn, registers, authority, refusals, log, choices, clock);
        this.audits = new AuditPages(this::signedIn, snapshots, dataSource, log, clock);
        this.notifications = new NotificationsPage(new NotificationPreferenceStore(dataSource, clock), authority, registers);
        requireNonNull(signIns, "signIns is null");
        this.demoSignIn = signIns.demo();
        this.oidc = signIns.patients().map(client -> new OidcSignIn(client, dataSource, registers, this::startSession, clock));
        this.staffOidc = signIns.staff().map(client -> new OidcSignIn(client, dataSource, registers, this::startSession, clock));
    }

    /** The pages' routes; the stylesheet they link is {@link org.custodian.server.pages.Stylesheet}'s, registered beside them. */
    public void register(JavalinConfig config) {
        config.routes.get("/sign-in", page(this::signIn));
        config.routes.post("/sign-in/demo", page(this::demoCode));
        config.routes.post("/sign-in/code", page(this::redeemCode));
        config.routes.post("/sign-out", page(this::signOut));
        config.routes.get("/my", page(this::home));
        config.routes.post("/my/acting-for", page(this::actFor));
        config.routes.get("/my/activity", page(this::activity));
        config.routes.get("/my/record", page(this::record));
        config.routes.get("/my/activity/proof/{index}", page(this::proof));
        config.routes.get("/my/choices", page(this::showChoices));
        config.routes.post("/my/choices", page(this::changeChoices));
        staff.register(config);
        audits.register(config);
        oidc.ifPresent(o -> o.register(config));
        staffOidc.ifPresent(o -> o.register(config));
        config.routes.get("/my/notifications", page(this::showNotifications));
        config.routes.post("/my/notifications", page(this::changeNotifications));
    }

    // ------------------------------------------------------------------ sign-in

    private void signIn(Context ctx) {
        Templates.page(ctx, "signin.jte", signInPage(demoSignIn ? demoPeople() : List.of(), null));
    }

    private PageModels.SignIn signInPage(List<PageModels.DemoPerson> people, String error) {
        return new PageModels.SignIn(demoSignIn, people, oidc.isPresent(), oidc.map(OidcSignIn::name).orElse(null),
                staffOidc.map(OidcSignIn::name).orElse(null), error);
    }

    private List<PageModels.DemoPerson> demoPeople() {
        List<PageModels.DemoPerson> people = new ArrayList<>();
        LocalDate today = LocalDate.now(clock);
        RegisterSnapshot snapshot = snapshots.get();
        for (Person p : snapshot.people()) {
            if (StaffPages.isStaff(p)) {
                String org = snapshot.organisation(p.organisation()).map(Organisation::name).orElse(p.organisation());
                people.add(new PageModels.DemoPerson(p.id(), p.name(), "Staff: " + p.role().code().replace('-', ' ') + ", " + org));
                continue;
            }
            if (AuditPages.isAuditor(p)) {
                String org = snapshot.organisation(p.organisation()).map(Organisation::name).orElse(p.organisation());
                people.add(new PageModels.DemoPerson(p.id(), p.name(), "Auditor: " + org));
                continue;
            }
            if (p.role() != Role.PATIENT) {
                continue;
            }
            List<String> forWhom = snapshot.proxies().stream().filter(x -> x.proxy().equals(p.id()) && x.inForce(today))
                    .map(x -> registers.patient(x.patient()).map(Person::name).orElse("a patient")).toList();
            String description = p.nhsNumber() != null ? "Patient" : "";
            if (!forWhom.isEmpty()) {
                description += (description.isEmpty() ? "Carer or attorney" : ", and carer or attorney") + " for " + String.join(", ", forWhom);
            }
            if (!description.isEmpty()) {
                people.add(new PageModels.DemoPerson(p.id(), p.name(), description));
            }
        }
        // Patients first, then staff and auditors; each by name.
        people.sort(java.util.Comparator.comparing((PageModels.DemoPerson d) -> d.description().startsWith("Staff")
                        || d.description().startsWith("Auditor"))
                .thenComparing(PageModels.DemoPerson::name));
        return people;
    }

    private void demoCode(Context ctx) {
        requireSameOrigin(ctx);
        if (!demoSignIn) {
            throw new PageException(404, "Not found", "There is no such page.");
        }
        String personId = ctx.formParam("person");
        Optional<Person> person = Optional.ofNullable(personId).flatMap(registers::person)
                .filter(p -> p.role() == Role.PATIENT || StaffPages.isStaff(p) || AuditPages.isAuditor(p));
        if (person.isEmpty()) {
            ctx.status(400);
            Templates.page(ctx, "signin.jte", signInPage(demoPeople(), "Choose who you want to sign in as."));
            return;
        }
        SignInCodes.Attempt attempt = codes.issue(person.get().id());
        Templates.page(ctx, "code.jte", new PageModels.CodeEntry(attempt.id(), person.get().name(), attempt.code(), null));
    }

    private void redeemCode(Context ctx) {
        requireSameOrigin(ctx);
        String attemptId = ctx.formParam("attempt");
        Optional<Person> person = codes.redeem(attemptId, ctx.formParam("code")).flatMap(registers::person);
        if (person.isEmpty()) {
            ctx.status(400);
            Templates.page(ctx, "code.jte", new PageModels.CodeEntry(attemptId, "", null,
                    "That code is wrong or has expired. Codes last 5 minutes and stop working after 3 wrong tries. Start again."));
            return;
        }
        startSession(ctx, person.get(), "demo-code", "https".equals(ctx.scheme()));
    }

    /** Starts a session for someone who has just signed in, by whichever means, and sends them on to their pages. */
    private void startSession(Context ctx, Person person, String signedInBy, boolean secureCookie) {
        List<NhsNumber> records = recordsFor(person);
        Optional<NhsNumber> only = records.size() == 1 ? Optional.of(records.get(0)) : Optional.empty();
        String secret = sessions.start(person.id(), only, signedInBy);
        Cookie cookie = new Cookie(COOKIE, secret, "/", (int) WebSessions.LIFETIME.toSeconds(), secureCookie, true, null, SameSite.LAX);
        ctx.cookie(cookie);
        ctx.redirect(StaffPages.isStaff(person) ? "/staff" : AuditPages.isAuditor(person) ? "/audit" : "/my", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void signOut(Context ctx) {
        Optional<WebSession> session = session(ctx);
        if (session.isPresent()) {
            checkCsrf(ctx, session.get());
            sessions.end(session.get());
        }
        ctx.removeCookie(COOKIE, "/");
        ctx.redirect("/sign-in", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    // ------------------------------------------------------------------ whose record

    /** The records this person may act on: their own, then those they are a proxy for today. */
    private List<NhsNumber> recordsFor(Person person) {
        Set<NhsNumber> out = new LinkedHashSet<>();
        if (person.nhsNumber() != null) {
            out.add(person.nhsNumber());
        }
        LocalDate today = LocalDate.now(clock);
        // Every proxy in the registers: fine at a practice's scale; an index by proxy is for a national one.
        for (Proxy p : snapshots.get().proxies()) {
            if (p.proxy().equals(person.id()) && p.inForce(today)) {
                out.add(p.patient());
            }
        }
        return List.copyOf(out);
    }

    private void home(Context ctx) {
        Signed s = signedIn(ctx);
        if (StaffPages.isStaff(s.person())) {
            ctx.redirect("/staff", io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        if (AuditPages.isAuditor(s.person())) {
            ctx.redirect("/audit", io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        s = signed(ctx);
        if (s.session().actingFor().isEmpty()) {
            List<PageModels.Choice> list = new ArrayList<>();
            for (NhsNumber n : recordsFor(s.person())) {
                String name = registers.patient(n).map(Person::name).orElse("NHS number " + n.value());
                list.add(new PageModels.Choice(n.value(), name, n.equals(s.person().nhsNumber()) ? "Your own record" : "You act for them"));
            }
            Templates.page(ctx, "choose.jte", new PageModels.ChooseRecord(new Banner(s.person().name(), null, null, false, s.session().csrf(), false), list));
            return;
        }
        Acting a = acting(ctx, s, "Patient");
        Templates.page(ctx, "home.jte", new PageModels.Home(a.banner(), activity.count(a.patient(), ActivityFilter.ALL)));
    }

    private void actFor(Context ctx) {
        Signed s = signed(ctx);
        checkCsrf(ctx, s.session());
        String wanted = ctx.formParam("patient");
        Optional<NhsNumber> patient = recordsFor(s.person()).stream().filter(n -> n.value().equals(wanted)).findFirst();
        if (patient.isEmpty()) {
            throw new PageException(403, "Not allowed", "You cannot act on that record. You can act on your own record and on the records"
                    + " of people who have registered you as their carer or attorney.");
        }
        sessions.actFor(s.session(), patient.get());
        ctx.redirect("/my", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    // ------------------------------------------------------------------ who used my data

    private void activity(Context ctx) {
        Signed s = signed(ctx);
        Acting a = acting(ctx, s, "AuditEvent");
        String from = trim(ctx.queryParam("from"));
        String to = trim(ctx.queryParam("to"));
        String organisation = trim(ctx.queryParam("organisation"));
        String purpose = trim(ctx.queryParam("purpose"));
        String error = null;
        ActivityFilter filter;
        try {
            filter = new ActivityFilter(from == null ? null : LocalDate.parse(from).atStartOfDay(UK).toInstant(),
                    to == null ? null : LocalDate.parse(to).plusDays(1).atStartOfDay(UK).toInstant(), organisation, purpose);
        } catch (DateTimeParseException | IllegalArgumentException e) {
            error = "Dates must be real dates, written like 2026-09-30, and the 'to' date must not be before the 'from' date.";
            filter = new ActivityFilter(null, null, organisation, purpose);
            ctx.status(400);
        }
        long before = Long.MAX_VALUE;
        String cursor = ctx.queryParam("before");
        if (cursor != null) {
            try {
                before = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                before = Long.MAX_VALUE;
            }
        }
        ActivityPage page = activity.page(a.patient(), filter, before, PAGE_SIZE);
        UseDescriber describer = new UseDescriber(registers, rules.get());
        PatientActivity.Facets facets = activity.facets(a.patient());
        List<PageModels.Option> orgs = new ArrayList<>();
        for (String id : facets.organisations()) {
            orgs.add(new PageModels.Option(id, registers.organisation(id).map(Organisation::name).orElse(id), id.equals(filter.organisation())));
        }
        orgs.sort(java.util.Comparator.comparing(PageModels.Option::label));
        List<PageModels.Option> purposes = new ArrayList<>();
        for (String code : facets.purposes()) {
            purposes.add(new PageModels.Option(code, Purpose.fromCode(code).map(UseDescriber::purposeWords).orElse(code),
                    code.equals(filter.purpose())));
        }
        String query = query(from, to, filter.organisation(), filter.purpose());
        String next = page.nextBefore().isPresent() ? "/my/activity?" + query + (query.isEmpty() ? "" : "&") + "before=" + page.nextBefore().getAsLong()
                : null;
        String newest = before == Long.MAX_VALUE ? null : "/my/activity" + (query.isEmpty() ? "" : "?" + query);
        Templates.page(ctx, "activity.jte", new PageModels.Activity(a.banner(), describer.describe(page.entries()),
                activity.count(a.patient(), filter), from == null ? "" : from, to == null ? "" : to, orgs, purposes, next, newest,
                !filter.isEmpty(), error, Long.toString(a.receipt())));
    }

    private static String query(String from, String to, String organisation, String purpose) {
        List<String> parts = new ArrayList<>();
        if (from != null) {
            parts.add("from=" + enc(from));
        }
        if (to != null) {
            parts.add("to=" + enc(to));
        }
        if (organisation != null) {
            parts.add("organisation=" + enc(organisation));
        }
        if (purpose != null) {
            parts.add("purpose=" + enc(purpose));
        }
        return String.join("&", parts);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /**
     * One entry's inclusion proof against the latest witnessed checkpoint, with the commands to check it
     * offline. Only for entries in the list of the record being acted on (the proof itself is public
     * hashes, but which entries concern whom is not).
     */
    private void proof(Context ctx) {
        Signed s = signed(ctx);
        NhsNumber patient = s.session().actingFor().orElseThrow(SignInNeeded::new);
        long index;
        try {
            index = Long.parseLong(ctx.pathParam("index"));
        } catch (NumberFormatException e) {
            throw new PageException(404, "Not found", "There is no such entry.");
        }
        if (!activity.concerns(patient, index)) {
            throw new PageException(404, "Not found", "There is no such entry in this record's list.");
        }
        Banner banner = new Banner(s.person().name(), registers.patient(patient).map(Person::name).orElse(patient.value()), patient.value(),
                !patient.equals(s.person().nhsNumber()), s.session().csrf(), false);
        byte[] leaf = log.leafHash(index);
        Optional<org.custodian.ledger.log.PublishedCheckpoint> cp = log.latestCheckpoint().filter(c -> c.size() > index);
        PageModels.Proof model = cp.map(c -> new PageModels.Proof(banner, index, Hashes.hex(leaf), c.size(), Hashes.hex(c.root()),
                log.inclusionProof(index, c.size()).stream().map(Hashes::hex).toList(), c.cosignedNote(), c.cosignatures().size(),
                log.verifierKey(), log.origin()))
                .orElse(new PageModels.Proof(banner, index, Hashes.hex(leaf), 0, null, List.of(), null, 0, log.verifierKey(), log.origin()));
        Templates.page(ctx, "proof.jte", model);
    }

    // ------------------------------------------------------------------ my record

    private void record(Context ctx) {
        Signed s = signed(ctx);
        Acting a = acting(ctx, s, RecordSummaries.TYPES);
        Set<SensitiveCategory> withheld = Set.of();
        for (Obligation o : a.decision().obligations()) {
            if (o instanceof Obligation.WithholdCategories w) {
                withheld = w.categories();
            }
        }
        List<String> ids = records.patientIds(a.patient());
        RecordSummary summary = ids.isEmpty() ? null : new SummaryQueries(records).summary(ids.get(0), withheld, SummaryLimits.DEFAULT);
        List<String> leftOut = withheld.stream().map(SensitiveCategory::words).sorted().toList();
        Templates.page(ctx, "record.jte", new PageModels.RecordPage(a.banner(), summary, leftOut, Long.toString(a.receipt())));
    }

    // ------------------------------------------------------------------ my choices

    private void showChoices(Context ctx) {
        Signed s = signed(ctx);
        Acting a = acting(ctx, s, "Consent");
        Templates.page(ctx, "choices.jte", choices.model(a, s.person(), ctx.queryParam("saved"), List.of()));
    }

    private void changeChoices(Context ctx) {
        Signed s = signed(ctx);
        checkCsrf(ctx, s.session());
        Acting a = acting(ctx, s, "Consent");
        ChoicesPage.Outcome outcome = choices.change(a, s.person(), ctx);
        if (outcome.refusal() != null) {
            throw new PageException(403, "Not allowed", outcome.refusal());
        }
        if (outcome.changes().isEmpty()) {
            Templates.page(ctx, "choices.jte", choices.model(a, s.person(), null, List.of("Nothing changed: your choices are as they were.")));
            return;
        }
        Templates.page(ctx, "choices.jte", choices.model(a, s.person(), Long.toString(outcome.receipt()), outcome.changes()));
    }

    // ------------------------------------------------------------------ notifications (NotificationsPage)

    private void showNotifications(Context ctx) {
        Signed s = signed(ctx);
        notifications.show(ctx, acting(ctx, s, "Consent"), s.person());
    }

    private void changeNotifications(Context ctx) {
        Signed s = signed(ctx);
        checkCsrf(ctx, s.session());
        notifications.change(ctx, acting(ctx, s, "Consent"), s.person());
    }

    // ------------------------------------------------------------------ the signed-in person and the gate

    record Signed(WebSession session, Person person) {}

    /** The person acting, whose record, and the recorded decision that lets them see it. */
    record Acting(Person person, NhsNumber patient, Purpose purpose, Banner banner, long receipt, Decision decision) {}

    private Optional<WebSession> session(Context ctx) {
        return sessions.find(ctx.cookie(COOKIE));
    }

    /** Whoever is signed in, by whichever means; {@link SignInNeeded} if no one. */
    private Signed signedIn(Context ctx) {
        Optional<WebSession> session = session(ctx);
        Optional<Person> person = session.flatMap(s -> registers.person(s.personId()));
        if (person.isEmpty()) {
            throw new SignInNeeded();
        }
        return new Signed(session.get(), person.get());
    }

    /**
     * The person signed in to the patients' own pages. Never a session the staff's provider started, even
     * if the registers have since made its person a patient: such a session was proved to the staff's
     * provider, not to the patients'.
     */
    private Signed signed(Context ctx) {
        Signed s = signedIn(ctx);
        if (OidcClient.Who.STAFF.started(s.session())) {
            throw new PageException(403, "Not allowed", "These pages are for patients and the people who act for them. You signed in"
                    + " as staff: sign out, then sign in as a patient to see your own record.");
        }
        return s;
    }

    /**
     * Asks the gate whether this person may see this part of the record they are acting on, and records
     * the answer. A refusal (say, a proxy whose authority ended yesterday) ends the request with a page
     * that says why.
     */
    private Acting acting(Context ctx, Signed s, String resource) {
        return acting(ctx, s, List.of(resource));
    }

    private Acting acting(Context ctx, Signed s, List<String> resources) {
        NhsNumber patient = s.session().actingFor().orElseThrow(SignInNeeded::new);
        boolean own = patient.equals(s.person().nhsNumber());
        Purpose purpose = own ? Purpose.PATRQT : Purpose.PWATRNY;
        Organisation org = registers.organisation(s.person().organisation())
                .orElseThrow(() -> new PageException(403, "Not allowed", "Your account is not linked to a GP practice."));
        RecordedDecision d;
        try {
            d = gate.decide(new AccessRequest(s.person(), org, purpose, patient, DataForm.IDENTIFIABLE, Set.of(), resources, null, "web"));
        } catch (DecisionNotRecordedException e) {
            throw new PageException(503, "Try again shortly", "We could not record this visit, so we cannot show the record. Nothing was shown."
                    + " Please try again in a minute.");
        }
        String patientName = registers.patient(patient).map(Person::name).orElse("NHS number " + patient.value());
        Banner banner = new Banner(s.person().name(), patientName, patient.value(), !own, s.session().csrf(), false);
        if (!d.decision().permitted()) {
            String why = String.join(" ", d.decision().reasons().stream().map(Reason::text).toList());
            throw new PageException(403, "Not allowed", "You cannot see this record now. " + why + " This refusal has been recorded"
                    + " (ledger entry " + d.index() + ").", banner);
        }
        return new Acting(s.person(), patient, purpose, banner, d.index(), d.decision());
    }

}
