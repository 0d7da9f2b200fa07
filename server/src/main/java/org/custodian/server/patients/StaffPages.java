package org.custodian.server.patients;

import static java.util.Objects.requireNonNull;
import static org.custodian.server.patients.PageSupport.checkCsrf;
import static org.custodian.server.patients.PageSupport.page;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.custodian.core.activity.ActivityEntry;
import org.custodian.core.consent.ConsentAuthority;
import org.custodian.core.decisions.Refusals;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.TransparencyLog;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Registers;
import org.custodian.core.registers.Role;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.server.pages.Templates;
import org.custodian.server.patients.PageModels.Banner;
import org.custodian.server.patients.PageSupport.PageException;

/**
 * The assisted channel: reception and care staff record a patient's choices on their behalf, by phone or
 * at the desk, so that people without a smartphone or the internet lose nothing. Staff look the patient
 * up by NHS number; the consent authority decides (staff of an organisation caring for the patient) and
 * the look-up is recorded ({@code consent.view}, in the patient's own list); a change goes through the same store as the patient's own, recorded as made on
 * their behalf ({@code assisted}), and shows in the patient's list with the staff member's name.
 */
final class StaffPages {
    private static final Set<Role> STAFF = Set.of(Role.RECEPTION, Role.CLINICIAN, Role.CALDICOTT_GUARDIAN);

    private static final String VIA = "web-assisted";

    private final Function<Context, PatientPages.Signed> signed;
    private final Registers registers;
    private final ConsentAuthority authority;
    private final Refusals refusals;
    private final TransparencyLog log;
    private final ChoicesPage choices;
    private final Clock clock;

    StaffPages(Function<Context, PatientPages.Signed> signed, Registers registers, ConsentAuthority authority, Refusals refusals,
            TransparencyLog log, ChoicesPage choices, Clock clock) {
        this.signed = requireNonNull(signed, "signed is null");
        this.registers = requireNonNull(registers, "registers is null");
        this.authority = requireNonNull(authority, "authority is null");
        this.refusals = requireNonNull(refusals, "refusals is null");
        this.log = requireNonNull(log, "log is null");
        this.choices = requireNonNull(choices, "choices is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    static boolean isStaff(Person p) {
        return STAFF.contains(p.role());
    }

    void register(JavalinConfig config) {
        config.routes.get("/staff", page(this::start));
        config.routes.get("/staff/patient", page(this::show));
        config.routes.post("/staff/patient/choices", page(this::change));
    }

    /**
     * The member of staff signed in: a person with a staff role, signed in by the demonstration's sign-in or the staff's
     * provider; never by the patients' provider, even if the registers have since given the person a staff role.
     */
    private PatientPages.Signed staff(Context ctx) {
        PatientPages.Signed s = signed.apply(ctx);
        if (!isStaff(s.person()) || OidcClient.Who.PATIENTS.started(s.session())) {
            throw new PageException(403, "Not allowed", "These pages are for reception and care staff.");
        }
        return s;
    }

    private Banner banner(PatientPages.Signed s, String patientName, NhsNumber patient) {
        String org = registers.organisation(s.person().organisation()).map(Organisation::name).orElse(s.person().organisation());
        return new Banner(s.person().name() + " (" + s.person().role().code().replace('-', ' ') + ", " + org + ")", patientName,
                patient == null ? null : patient.value(), true, s.session().csrf(), true);
    }

    private void start(Context ctx) {
        PatientPages.Signed s = staff(ctx);
        Templates.page(ctx, "staff.jte", new PageModels.StaffStart(banner(s, null, null), "", null));
    }

    private void show(Context ctx) {
        PatientPages.Signed s = staff(ctx);
        Optional<PatientPages.Acting> a = acting(ctx, s, ctx.queryParam("nhs"));
        if (a.isEmpty()) {
            return;
        }
        Templates.page(ctx, "choices.jte", choices.model(a.get(), s.person(), null, List.of(), "/staff/patient/choices", a.get().patient().value()));
    }

    private void change(Context ctx) {
        PatientPages.Signed s = staff(ctx);
        checkCsrf(ctx, s.session());
        Optional<PatientPages.Acting> a = acting(ctx, s, ctx.formParam("patient"));
        if (a.isEmpty()) {
            return;
        }
        ChoicesPage.Outcome outcome = choices.change(a.get(), s.person(), ctx);
        if (outcome.refusal() != null) {
            throw new PageException(403, "Not allowed", outcome.refusal(), a.get().banner());
        }
        List<String> said = outcome.changes().isEmpty() ? List.of("Nothing changed: the patient's choices are as they were.") : outcome.changes();
        Templates.page(ctx, "choices.jte", choices.model(a.get(), s.person(), outcome.changes().isEmpty() ? null : Long.toString(outcome.receipt()),
                said, "/staff/patient/choices", a.get().patient().value()));
    }

    /** The gate's decision for this staff member and patient, recorded; a page saying why not, if refused. */
    private Optional<PatientPages.Acting> acting(Context ctx, PatientPages.Signed s, String nhs) {
        if (!NhsNumber.isValid(nhs == null ? null : nhs.strip())) {
            ctx.status(400);
            Templates.page(ctx, "staff.jte", new PageModels.StaffStart(banner(s, null, null), nhs == null ? "" : nhs,
                    "Enter a valid 10-digit NHS number, like 943 476 5919."));
            return Optional.empty();
        }
        NhsNumber patient = NhsNumber.parse(nhs.strip());
        Organisation org = registers.organisation(s.person().organisation())
                .orElseThrow(() -> new PageException(403, "Not allowed", "Your account is not linked to an organisation."));
        // Reception staff may not read records for care (a statutory rule), but may record a patient's choices
        // for them: the consent authority decides, as it does for the API, and the look-up is recorded either way.
        ConsentAuthority.Verdict verdict = authority.mayChange(s.person(), Purpose.TREAT, patient);
        if (!verdict.allowed()) {
            long index = refusals.record(patient, verdict.code(), verdict.text(), s.person().id(), org.id(), VIA);
            throw new PageException(403, "Not allowed", "You cannot record this patient's choices. " + verdict.text()
                    + (index >= 0 ? " This refusal has been recorded (ledger entry " + index + ")." : ""), banner(s, null, null));
        }
        long index;
        try {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("patient", patient.value());
            f.put("person", s.person().id());
            f.put("role", s.person().role().code());
            f.put("organisation", org.id());
            f.put("channel", verdict.channel().code());
            f.put("via", VIA);
            index = log.append(LedgerEntry.create(ActivityEntry.CONSENT_VIEW, 1, clock.instant(), f)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PageException(503, "Try again shortly", "This look-up could not be recorded, so nothing is shown. Try again in a minute.");
        } catch (ExecutionException | TimeoutException e) {
            throw new PageException(503, "Try again shortly", "This look-up could not be recorded, so nothing is shown. Try again in a minute.");
        }
        String name = registers.patient(patient).map(Person::name).orElse("NHS number " + patient.value());
        return Optional.of(new PatientPages.Acting(s.person(), patient, Purpose.TREAT, banner(s, name, patient), index, null));
    }
}
