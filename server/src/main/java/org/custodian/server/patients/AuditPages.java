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
import org.custodian.core.audit.AuditorEntries;
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
import org.custodian.server.audit.LedgerEntriesJson;
import org.custodian.server.audit.LedgerEntriesModel;
import org.custodian.server.http.Problem;
import org.custodian.server.http.Problems;
import org.custodian.server.pages.Templates;
import org.custodian.server.patients.PageModels.Banner;
import org.custodian.server.patients.PageSupport.PageException;

/**
 * The auditor's page, {@code /audit}: a signed-in person with the role auditor chooses an agreement and a period and
 * sees its audit ({@link AgreementAudit}), computed at the latest signed checkpoint. Invariant 5: an auditor sees all
 * entries; anyone else signed in is refused (403), and the refusal is recorded ({@value #REFUSED}). Viewing an audit is
 * recorded before it is shown ({@value AgreementAudit#RUN_TYPE}): if it cannot be recorded, nothing is shown.
 *
 * <p>Here, beside the staff's pages, because it shares their sign-in and sessions: the demonstration's, or the staff's
 * OpenID Connect provider ({@link OidcSignIn}); a session the patients' provider started is refused like anyone else's.
 */
final class AuditPages {
    static final String REFUSED = AuditorEntries.REFUSED_TYPE;
    private static final String VIA = "web-audit";
    /** Entries on one page of the auditor's reading. */
    static final int ENTRIES_PER_PAGE = 20;

    private final Function<Context, PatientPages.Signed> signed;
    private final Supplier<RegisterSnapshot> snapshots;
    private final AgreementAudit audit;
    private final PostgresLogStore store;
    private final TransparencyLog log;
    private final Clock clock;
    private final AuditorEntries entries;

    AuditPages(Function<Context, PatientPages.Signed> signed, Supplier<RegisterSnapshot> snapshots, DataSource dataSource, TransparencyLog log,
            Clock clock) {
        this.signed = requireNonNull(signed, "signed is null");
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
        this.audit = new AgreementAudit(requireNonNull(dataSource, "dataSource is null"));
        this.store = new PostgresLogStore(dataSource);
        this.log = requireNonNull(log, "log is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.entries = new AuditorEntries(store, log, clock);
    }

    static boolean isAuditor(Person p) {
        return p.role() == Role.AUDITOR;
    }

    /**
     * Whether this session may audit: its person is an auditor, signed in as such (the demonstration's sign-in or the
     * staff's provider); never a session the patients' provider started, whatever the registers now say the person is.
     */
    private static boolean mayAudit(PatientPages.Signed s) {
        return isAuditor(s.person()) && !OidcClient.Who.PATIENTS.started(s.session());
    }

    void register(JavalinConfig config) {
        config.routes.get("/audit", page(this::show));
        config.routes.get("/audit/entries", page(this::entries));
        config.routes.get("/audit/entries/{index}", page(this::entry));
        config.routes.get("/audit/entries.json", this::entriesJson);
    }

    /**
     * {@code /audit/entries.json?from=N&count=M}: the same reading for scripts, with the auditor's session cookie; errors
     * as problems (401 without a session, 403 for anyone but an auditor, recorded; 400 for a bad range; 404 beyond the
     * latest checkpoint).
     */
    private void entriesJson(Context ctx) {
        PatientPages.Signed s;
        try {
            s = signed.apply(ctx);
        } catch (PageSupport.SignInNeeded e) {
            throw new Problem(Problem.Category.UNAUTHORIZED, "sign in as an auditor at /sign-in, then send the session cookie")
                    .with("code", "session.missing");
        }
        if (!mayAudit(s)) {
            long index = entries.refuse(s.person(), VIA);
            Problem p = Problem.forbidden("only auditors read the ledger's entries").with("code", "audit.auditors-only");
            throw index >= 0 ? p.with("receipt", index) : p;
        }
        long from = number(ctx, "from", -1);
        long count = number(ctx, "count", ENTRIES_PER_PAGE);
        if (from < 0) {
            throw Problem.badRequest("\"from\" is required: the index of the first entry to read (0 or more)");
        }
        if (count < 1 || count > AuditorEntries.MAX_ENTRIES) {
            throw Problem.badRequest("\"count\" must be from 1 to " + AuditorEntries.MAX_ENTRIES);
        }
        long size = entries.checkpoint().map(PublishedCheckpoint::size).orElse(0L);
        if (from >= size) {
            throw Problem.notFound("entry " + from + " is not in the latest signed checkpoint, which covers " + size + " entries")
                    .with("code", "audit.not-checkpointed").with("treeSize", size);
        }
        AuditorEntries.Read read;
        try {
            read = entries.read(s.person(), AuditorEntries.who(s.person(), null), from, (int) count, VIA);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        } catch (AuditUnavailableException e) {
            throw new Problem(Problem.Category.UNAVAILABLE, e.getMessage()).header("Retry-After", "5").with("code", "audit.unrecorded");
        }
        ctx.header("Cache-Control", "no-store");
        Problems.json(ctx, LedgerEntriesJson.of(read, proofs(read)));
    }

    private Map<Long, List<byte[]>> proofs(AuditorEntries.Read read) {
        Map<Long, List<byte[]>> proofs = new java.util.HashMap<>();
        for (AuditorEntries.Entry e : read.entries()) {
            proofs.put(e.index(), log.inclusionProof(e.index(), read.checkpoint().size()));
        }
        return proofs;
    }

    private static long number(Context ctx, String name, long absent) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return absent;
        }
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw Problem.badRequest("\"" + name + "\" must be a whole number");
        }
    }

    /** The signed-in auditor and the banner naming them; anyone else refused (403), the refusal recorded. */
    private Banner auditor(PatientPages.Signed s) {
        if (!mayAudit(s)) {
            long index = entries.refuse(s.person(), VIA);
            throw new PageException(403, "Not allowed", "Audits and the ledger's entries are for independent auditors."
                    + (index >= 0 ? " This refusal has been recorded (ledger entry " + index + ")." : ""),
                    new Banner(s.person().name(), null, null, false, s.session().csrf(), false));
        }
        String org = snapshots.get().organisation(s.person().organisation()).map(Organisation::name).orElse(s.person().organisation());
        return new Banner(s.person().name() + " (auditor, " + org + ")", null, null, false, s.session().csrf(), false);
    }

    /** {@code /audit/entries?from=N}: a page of entries from N (the latest page when no N is given). */
    private void entries(Context ctx) {
        PatientPages.Signed s = signed.apply(ctx);
        Banner banner = auditor(s);
        String from = trim(ctx.queryParam("from"));
        long first;
        if (from == null) {
            long size = entries.checkpoint().map(PublishedCheckpoint::size).orElse(0L);
            first = Math.max(0, size - ENTRIES_PER_PAGE);
        } else {
            try {
                first = Long.parseLong(from);
            } catch (NumberFormatException e) {
                first = -1;
            }
            if (first < 0) {
                throw new PageException(400, "Not an entry number", "Entries are numbered from 0: enter a whole number such as 120.", banner);
            }
        }
        showEntries(ctx, s, banner, first, ENTRIES_PER_PAGE);
    }

    /** {@code /audit/entries/{index}}: one entry. */
    private void entry(Context ctx) {
        PatientPages.Signed s = signed.apply(ctx);
        Banner banner = auditor(s);
        long index;
        try {
            index = Long.parseLong(ctx.pathParam("index"));
        } catch (NumberFormatException e) {
            index = -1;
        }
        if (index < 0) {
            throw new PageException(404, "Not found", "There is no such entry: entries are numbered from 0.", banner);
        }
        showEntries(ctx, s, banner, index, 1);
    }

    private void showEntries(Context ctx, PatientPages.Signed s, Banner banner, long first, int count) {
        AuditorEntries.Read read;
        try {
            read = entries.read(s.person(), AuditorEntries.who(s.person(), null), first, count, VIA);
        } catch (IllegalArgumentException e) {
            throw new PageException(404, "Not in the ledger yet", "There is no entry " + first + " in the ledger's latest signed checkpoint"
                    + entries.checkpoint().map(c -> c.size() == 0 ? "." : ", which covers entries 0 to " + (c.size() - 1) + ".").orElse("."), banner);
        } catch (AuditUnavailableException e) {
            throw new PageException(503, "Try again shortly", "The ledger's entries cannot be read just now: nothing was read. Try again in a minute.",
                    banner);
        }
        Templates.page(ctx, "auditentries.jte", LedgerEntriesModel.of(banner, read, proofs(read), log.verifierKey(), ENTRIES_PER_PAGE));
    }

    private void show(Context ctx) {
        PatientPages.Signed s = signed.apply(ctx);
        RegisterSnapshot snapshot = snapshots.get();
        Banner banner = auditor(s);
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
