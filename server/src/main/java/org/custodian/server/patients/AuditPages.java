package org.custodian.server.patients;

import static java.util.Objects.requireNonNull;
import static org.custodian.server.patients.PageSupport.page;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.custodian.core.audit.AgreementAudit;
import org.custodian.core.audit.AuditReport;
import org.custodian.core.audit.AuditUnavailableException;
import org.custodian.core.registers.Agreement;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.RegisterSnapshot;
import org.custodian.core.registers.Role;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.server.audit.AuditModel;
import org.custodian.server.audit.AuditPageModel;
import org.custodian.server.pages.Templates;
import org.custodian.server.patients.PageModels.Banner;
import org.custodian.server.patients.PageSupport.PageException;

/**
 * The auditor's page, {@code /audit}: a signed-in person with the role auditor chooses an agreement and a period and
 * sees its audit ({@link AgreementAudit}), computed at the latest signed checkpoint. Invariant 5: an auditor sees all
 * entries; anyone else signed in is refused (403), and the refusal is recorded ({@value #REFUSED}). Viewing an audit is
 * recorded before it is shown ({@value AgreementAudit#RUN_TYPE}): if it cannot be recorded, nothing is shown.
 *
 * <p>Here, beside the staff's pages, because it shares their sign-in and sessions.
 */
final class AuditPages {
    static final String REFUSED = "audit.refused";
    private static final String VIA = "web-audit";

    private final Function<Context, PatientPages.Signed> signed;
    private final Supplier<RegisterSnapshot> snapshots;
    private final AgreementAudit audit;
    private final PostgresLogStore store;
    private final TransparencyLog log;
    private final Clock clock;

    AuditPages(Function<Context, PatientPages.Signed> signed, Supplier<RegisterSnapshot> snapshots, DataSource dataSource, TransparencyLog log,
            Clock clock) {
        this.signed = requireNonNull(signed, "signed is null");
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
        this.audit = new AgreementAudit(requireNonNull(dataSource, "dataSource is null"));
        this.store = new PostgresLogStore(dataSource);
        this.log = requireNonNull(log, "log is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    static boolean isAuditor(Person p) {
        return p.role() == Role.AUDITOR;
    }

    void register(JavalinConfig config) {
        config.routes.get("/audit", page(this::show));
    }

    private void show(Context ctx) {
        PatientPages.Signed s = signed.apply(ctx);
        RegisterSnapshot snapshot = snapshots.get();
        if (!isAuditor(s.person())) {
            long index = refuse(s.person());
            throw new PageException(403, "Not allowed", "Audits of data-sharing agreements are for independent auditors."
                    + (index >= 0 ? " This refusal has been recorded (ledger entry " + index + ")." : ""),
                    new Banner(s.person().name(), null, null, false, s.session().csrf(), false));
        }
        String org = snapshot.organisation(s.person().organisation()).map(Organisation::name).orElse(s.person().organisation());
        Banner banner = new Banner(s.person().name() + " (auditor, " + org + ")", null, null, false, s.session().csrf(), false);
        String agreement = trim(ctx.queryParam("agreement"));
        String from = trim(ctx.queryParam("from"));
        String to = trim(ctx.queryParam("to"));
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        if (agreement == null && from == null && to == null) {
            Templates.page(ctx, "audit.jte", new AuditPageModel(banner, options(snapshot, null), today.withDayOfMonth(1).minusMonths(2).toString(),
                    today.toString(), null, null, null, null));
            return;
        }
        String error = null;
        String field = null;
        LocalDate fromDay = null;
        LocalDate toDay = null;
        if (agreement == null || snapshot.agreement(agreement).isEmpty()) {
            error = "Choose an agreement from the list.";
            field = "agreement";
        } else if ((fromDay = day(from)) == null) {
            error = "Enter the first day as a real date, written like 2026-09-01.";
            field = "from";
        } else if ((toDay = day(to)) == null) {
            error = "Enter the last day as a real date, written like 2026-11-30.";
            field = "to";
        } else if (toDay.isBefore(fromDay)) {
            error = "The last day must not be before the first day.";
            field = "to";
        }
        AuditReport report = null;
        if (error == null) {
            PublishedCheckpoint checkpoint = store.latestCheckpoint().orElseThrow(() -> new PageException(503, "Try again shortly",
                    "The ledger has no signed checkpoint yet. Try again in a minute.", banner));
            String origin = store.identity().map(id -> id[0]).orElse("custodian");
            try {
                report = audit.run(agreement, fromDay, toDay, origin, checkpoint, line -> {});
            } catch (IllegalArgumentException e) {
                error = "That agreement has no recorded history at the latest checkpoint yet. Try again in a minute.";
                field = "agreement";
            } catch (AuditUnavailableException e) {
                throw new PageException(503, "Try again shortly", "The ledger cannot be read just now. Try again in a minute.", banner);
            }
        }
        if (error != null) {
            ctx.status(400);
            Templates.page(ctx, "audit.jte", new AuditPageModel(banner, options(snapshot, agreement), from == null ? "" : from, to == null ? "" : to,
                    error, field, null, null));
            return;
        }
        long receipt = record(s.person(), report);
        Templates.page(ctx, "audit.jte", new AuditPageModel(banner, options(snapshot, agreement), from, to, null, null,
                AuditModel.of(report, AuditModel.command(report)), Long.toString(receipt)));
    }

    /** The audit.run entry, in the ledger before the report is shown (fail closed). */
    private long record(Person auditor, AuditReport report) {
        Map<String, Object> who = new LinkedHashMap<>();
        who.put("person", auditor.id());
        who.put("role", auditor.role().code());
        who.put("organisation", auditor.organisation());
        try {
            return log.append(AgreementAudit.runEntry(report, who, "html", VIA, clock.instant())).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // fall through: not recorded, not shown
        }
        throw new PageException(503, "Try again shortly", "This audit could not be recorded in the ledger, so it is not shown. Try again in a minute.");
    }

    /** Records a refusal of the audit page; its index, or -1 if it could not be recorded (refused either way). */
    private long refuse(Person person) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("person", person.id());
        f.put("role", person.role().code());
        f.put("organisation", person.organisation());
        f.put("reason", "audit.auditors-only");
        f.put("via", VIA);
        try {
            return log.append(LedgerEntry.create(REFUSED, 1, clock.instant(), f)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // refused either way
        }
        return -1;
    }

    private static List<PageModels.Option> options(RegisterSnapshot snapshot, String selected) {
        List<PageModels.Option> out = new ArrayList<>();
        List<Agreement> agreements = new ArrayList<>(snapshot.agreements());
        agreements.sort(Comparator.comparing(Agreement::id));
        for (Agreement a : agreements) {
            out.add(new PageModels.Option(a.id(), a.id() + ": " + a.title(), a.id().equals(selected)));
        }
        return out;
    }

    private static LocalDate day(String s) {
        if (s == null) {
            return null;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
