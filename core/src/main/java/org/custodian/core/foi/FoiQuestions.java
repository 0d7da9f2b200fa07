package org.custodian.core.foi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.custodian.core.foi.FoiAnswers.Answer;
import org.custodian.core.foi.FoiAnswers.Figure;
import org.custodian.core.foi.FoiAnswers.RegisterRows;
import org.custodian.core.registers.Agreement;
import org.custodian.core.registers.HostingSite;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Project;
import org.custodian.core.registers.PublicRegisters;
import org.custodian.core.registers.PublicRegisters.Recorded;
import org.custodian.core.registers.Sector;
import org.custodian.core.rules.StatutoryRule;
import org.custodian.core.statistics.MonthlyCounts;
import org.custodian.core.statistics.SmallNumbers;
import org.custodian.core.statistics.Tabulation;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.PurposeGroup;
import org.custodian.core.vocabulary.SensitiveCategory;

/**
 * The questions campaigners put to Integrated Care Boards (see {@code seeds/}), answered from live data: the public
 * registers as read, and the ledger's counts by month. A pure function of its inputs, so that each answer can be
 * tested on its own; every count leaves through {@link SmallNumbers} or {@link Tabulation}.
 */
public final class FoiQuestions {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm:ss", Locale.UK).withZone(FoiPeriod.UK);

    /** Refusal reasons that are a patient's own choice, in the order shown. */
    static final Map<String, String> CONSENT_REASONS = orderedMap(
            "consent.research-opt-out", "Requests refused because the patient opted out of research",
            "consent.planning-opt-out", "Requests refused because the patient opted out of planning",
            "consent.direct-care-sharing-refused", "Requests refused because the patient keeps their record to their GP practice",
            "consent.organisation-refused", "Requests refused because the patient refused that organisation",
            "consent.categories-withheld", "Requests refused because everything asked for was in categories the patient withholds");

    private FoiQuestions() {}

    /**
     * The answers.
     *
     * @param today the day in the UK when answered (to say whether the last month is over)
     */
    public static FoiAnswers answer(FoiPeriod period, PublicRegisters.Reading registers, MonthlyCounts counts, Hosting hosting, Instant readAt,
            LocalDate today) {
        requireNonNull(period, "period is null");
        requireNonNull(registers, "registers is null");
        requireNonNull(counts, "counts is null");
        requireNonNull(hosting, "hosting is null");
        Counts c = new Counts(counts);
        List<Answer> answers = List.of(
                organisations(registers, c),
                legalBasis(registers),
                optOuts(c, readAt),
                algorithms(c),
                otherGovernment(registers, c),
                hosting(registers, hosting));
        return new FoiAnswers(period, counts.entriesCounted(), counts.checkpointAt(), counts.treeSize(), readAt, periodNotes(period, counts, readAt,
                today), answers);
    }

    static List<String> periodNotes(FoiPeriod p, MonthlyCounts counts, Instant readAt, LocalDate today) {
        List<String> notes = new ArrayList<>();
        String asked = day(p.from()) + " to " + day(p.to());
        String counted = day(p.countedFrom()) + " to " + day(p.countedTo());
        if (p.wholeMonths()) {
            notes.add("The figures for the period count whole calendar months (UK time): " + counted + ".");
        } else {
            notes.add("The ledger is counted by calendar month (UK time), so the figures for the period count the whole months it touches: "
                    + counted + ". That is wider than the period asked for, " + asked + ": a count of part of a month cannot be given.");
        }
        if (p.includesUnfinishedMonth(today)) {
            notes.add("The last month counted is not over yet: its figures are up to the checkpoint below, and will grow.");
        }
        String asOf = "The figures count the first " + number(counts.entriesCounted()) + " entries of the ledger (tree size "
                + counts.entriesCounted() + ")";
        notes.add(counts.checkpointAt().map(t -> asOf + ": exactly the entries of its checkpoint signed on " + WHEN.format(t) + " (UK time).")
                .orElse(asOf + "; the ledger held " + number(counts.treeSize()) + " entries when read."));
        notes.add("The registers and the patients' current choices were read on " + WHEN.format(readAt) + " (UK time).");
        notes.add("Counts from 1 to " + SmallNumbers.REDACT_AT_MOST + " are not published (shown as redacted), every other count is rounded to the nearest "
                + SmallNumbers.ROUND_TO + ", and 0 is published as 0. Where exactly one count of a group that adds up to a published figure would be"
                + " redacted, a second is redacted too, so that none can be worked out by subtraction.");
        return notes;
    }

    // ------------------------------------------------------------------ (a)

    private static Answer organisations(PublicRegisters.Reading r, Counts c) {
        List<String> s = new ArrayList<>();
        s.add("Care of a patient by the organisations caring for them needs a care relationship (or a recorded emergency access), and each use is in"
                + " the ledger. Any other use (research, planning, public health) happens only under an approved project or a data-sharing"
                + " agreement, listed below from the public registers.");
        List<Organisation> companies = r.organisations().stream().map(Recorded::item).filter(o -> o.sector() == Sector.PRIVATE_COMPANY)
                .sorted(Comparator.comparing(Organisation::name)).toList();
        List<String> processing = new ArrayList<>();
        for (Organisation co : companies) {
            for (Recorded<Agreement> a : r.agreements()) {
                if (a.item().processors().contains(co.id())) {
                    processing.add(co.name() + " processes data for " + name(r, a.item().partner()) + " under the agreement \"" + a.item().title()
                            + "\" (" + purposes(a.item()) + "; status " + a.item().status().code() + ")");
                }
            }
        }
        s.add("Private companies may use patient data only to care for the patient, never for anything else: the statutory rule \""
                + StatutoryRule.NO_PRIVATE_SECONDARY_USE.code() + "\" refuses every other request by a private company, whatever any register or"
                + " agreement says, and a private company cannot be the partner of an agreement.");
        s.add(processing.isEmpty() ? "No private company processes patient data under any agreement in the registers."
                : "Private companies that process patient data on behalf of an NHS or public organisation (the controller, which decides what is"
                        + " done): " + String.join("; ", processing) + ".");
        s.add(companies.isEmpty() ? "No private company is in the organisations register."
                : "Private companies in the organisations register: " + companies.stream().map(Organisation::name).collect(Collectors.joining(", "))
                        + ".");

        // Permitted secondary use in the period, by organisation within sector, and by sector.
        Map<String, Map<String, Long>> bySectorOrg = new TreeMap<>();
        for (MonthlyCounts.Decisions d : c.counts.decisions()) {
            if (d.permitted() && secondary(d.purpose())) {
                bySectorOrg.computeIfAbsent(d.sector(), k -> new TreeMap<>()).merge(d.organisation(), d.count(), Long::sum);
            }
        }
        long total = bySectorOrg.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure("secondary-permits", "Requests for secondary use allowed in the period (research, planning, public health)", "",
                SmallNumbers.publish(total), true));
        List<Tabulation.Cell> sectorCells = new ArrayList<>();
        for (Sector sector : Sector.values()) {
            sectorCells.add(new Tabulation.Cell(sector.code(), "sectors",
                    bySectorOrg.getOrDefault(sector.code(), Map.of()).values().stream().mapToLong(Long::longValue).sum()));
        }
        for (Tabulation.Row row : Tabulation.publish(sectorCells)) {
            figures.add(new Figure("sector:" + row.key(), "Secondary use allowed to " + Sector.fromCode(row.key()).map(Sector::words).orElse(row.key())
                    + " organisations", "", row.count(), true));
        }
        List<Tabulation.Cell> orgCells = new ArrayList<>();
        bySectorOrg.forEach((sector, orgs) -> orgs.forEach((org, n) -> orgCells.add(new Tabulation.Cell(org, sector, n))));
        List<Figure> orgFigures = new ArrayList<>();
        for (Tabulation.Row row : Tabulation.publish(orgCells)) {
            orgFigures.add(new Figure("organisation:" + row.key(), "Secondary use allowed to " + name(r, row.key()),
                    Sector.fromCode(row.group()).map(Sector::words).orElse(row.group()), row.count(), true));
        }
        orgFigures.sort(Comparator.comparing(Figure::group).thenComparing(Figure::label));
        figures.addAll(orgFigures);
        long privateAllowed = bySectorOrg.getOrDefault(Sector.PRIVATE_COMPANY.code(), Map.of()).values().stream().mapToLong(Long::longValue).sum();
        s.add(privateAllowed == 0 ? "In the period, no private company was allowed any secondary use of patient data."
                : "In the period, private companies were allowed secondary use " + words(SmallNumbers.publish(privateAllowed))
                        + ": see the figures below.");
        s.add(orgCells.isEmpty() ? "In the period, no organisation was allowed secondary use of patient data."
                : "In the period, " + orgCells.size() + (orgCells.size() == 1 ? " organisation was" : " organisations were")
                        + " allowed secondary use at least once; each is listed below with its sector and how many times.");

        List<List<String>> agreementRows = new ArrayList<>();
        for (Recorded<Agreement> ra : r.agreements()) {
            Agreement a = ra.item();
            agreementRows.add(List.of(a.title() + " (" + a.id() + ")", named(r, a.partner()),
                    a.processors().isEmpty() ? "none" : a.processors().stream().map(p -> named(r, p)).collect(Collectors.joining("; ")),
                    purposes(a), a.form().code(), a.data().isEmpty() ? "none" : String.join(", ", a.data())
                            + (a.categories().isEmpty() ? "" : "; sensitive categories: " + a.categories().stream().map(SensitiveCategory::words)
                                    .collect(Collectors.joining(", "))),
                    a.status().code(), Long.toString(ra.ledgerIndex())));
        }
        List<List<String>> projectRows = new ArrayList<>();
        for (Recorded<Project> rp : r.projects()) {
            Project p = rp.item();
            projectRows.add(List.of(p.id(), named(r, p.organisation()), p.purpose().display() + " (" + p.purpose().code() + ")", p.form().code(),
                    p.status().code(), p.approvedUntil().toString(), p.ethicsReference() == null ? "none recorded" : p.ethicsReference(),
                    Long.toString(rp.ledgerIndex())));
        }
        return new Answer("organisations", "a", "Which organisations, and which private companies, receive or process patient data, and for what?",
                s, figures, List.of(
                        new RegisterRows("agreements", "Data-sharing agreements: who receives the data (the partner), who processes it, and for what",
                                List.of("Agreement", "Partner (sector)", "Processors (sector)", "Purposes", "Form of data", "Data",
                                        "Status", "Ledger entry"), agreementRows),
                        new RegisterRows("projects", "Research and planning projects",
                                List.of("Project", "Organisation (sector)", "Purpose", "Form of data", "Status", "Approved until",
                                        "Ethics approval", "Ledger entry"), projectRows)));
    }

    // ------------------------------------------------------------------ (b)

    private static Answer legalBasis(PublicRegisters.Reading r) {
        List<String> s = new ArrayList<>();
        Map<Agreement.Status, Long> byStatus = new LinkedHashMap<>();
        for (Agreement.Status st : Agreement.Status.values()) {
            byStatus.put(st, r.agreements().stream().filter(a -> a.item().status() == st).count());
        }
        int n = r.agreements().size();
        s.add(n == 0 ? "There are no data-sharing agreements in the register."
                : "The agreements register holds " + n + (n == 1 ? " agreement" : " agreements") + ": " + byStatus.entrySet().stream()
                        .map(e -> e.getValue() + " " + e.getKey().code()).collect(Collectors.joining(", ")) + ".");
        s.add("Each agreement's legal basis, dates, status and every payment or other benefit ('reward') passing under it, in either direction,"
                + " are below. Every change to an agreement is an entry in the ledger; the entry of its current version is named. A request under an"
                + " agreement that is not active and in date is refused at the very next decision.");
        long withPayments = r.agreements().stream().filter(a -> !a.item().payments().isEmpty()).count();
        s.add(withPayments + " of the agreements record payments or other benefits; the others record none.");
        List<List<String>> rows = new ArrayList<>();
        for (Recorded<Agreement> ra : r.agreements()) {
            Agreement a = ra.item();
            String payments = a.payments().isEmpty() ? "none recorded" : a.payments().stream()
                    .map(p -> (p.direction() == Agreement.Payment.Direction.TO_PARTNER ? "to the partner: " : "from the partner: ") + p.description()
                            + (p.amount() == null || p.amount().isBlank() ? "" : " (" + p.amount() + ")"))
                    .collect(Collectors.joining("; "));
            rows.add(List.of(a.title() + " (" + a.id() + ")", named(r, a.partner()), a.legalBasis(), a.from().toString(),
                    a.to() == null ? "no end date" : a.to().toString(), a.status().code(), a.optOutsApply() ? "yes" : "no", payments,
                    Long.toString(ra.ledgerIndex())));
        }
        return new Answer("legal-basis", "b", "Under what legal basis, and under which agreements, is patient data shared?", s, List.of(),
                List.of(new RegisterRows("agreements-terms", "Agreements: legal basis, dates, status, and payments or rewards either way",
                        List.of("Agreement", "Partner (sector)", "Legal basis", "From", "To", "Status", "Opt-outs apply", "Payments and rewards",
                                "Ledger entry"), rows)));
    }

    // ------------------------------------------------------------------ (c)

    private static Answer optOuts(Counts c, Instant readAt) {
        List<String> s = List.of(
                "A patient can say no to research, to planning (which includes public health and improving services), and to sharing their"
                        + " record for care beyond their GP practice; they can also refuse named organisations and withhold sensitive categories"
                        + " of their record. They can do it online, or by phone or at their GP practice's desk, where staff record it for them.",
                "Their choices apply to every secondary use, including pseudonymised and aggregate data (the national data opt-out does not"
                        + " cover those), and no agreement can set them aside: the agreements register refuses an agreement that says opt-outs"
                        + " do not apply.",
                "A change takes effect at the very next decision, on every server of the deployment: the gate decides each request on the"
                        + " patient's choices as they stand at that moment, and records the decision in the ledger before any data leaves.",
                "How many people have opted out is the state when this was read (" + WHEN.format(readAt) + ", UK time), not a count over the"
                        + " period: Custodian keeps each patient's current choices, and each change is in the ledger. The refusals below are"
                        + " counted over the period; a refusal can give more than one reason.");
        List<Figure> f = new ArrayList<>();
        f.add(new Figure("patients-registered", "Patients registered (now)", "", SmallNumbers.publish(c.counts.patientsRegistered()), false));
        f.add(new Figure("opted-out:research", "Patients who have opted out of research (now)", "",
                SmallNumbers.publish(c.counts.optedOut().getOrDefault(PurposeGroup.RESEARCH.code(), 0L)), false));
        f.add(new Figure("opted-out:planning", "Patients who have opted out of planning (now)", "",
                SmallNumbers.publish(c.counts.optedOut().getOrDefault(PurposeGroup.PLANNING.code(), 0L)), false));
        f.add(new Figure("opted-out:direct-care", "Patients who keep their record to their GP practice (now)", "",
                SmallNumbers.publish(c.counts.optedOut().getOrDefault(PurposeGroup.DIRECT_CARE.code(), 0L)), false));
        CONSENT_REASONS.forEach((reason, label) -> f.add(new Figure("refused:" + reason, label + " (in the period)", "",
                SmallNumbers.publish(c.reason(null, reason)), true)));
        return new Answer("opt-outs", "c", "How are opt-outs applied, and how many people have opted out?", s, f, List.of());
    }

    // ------------------------------------------------------------------ (d)

    private static Answer algorithms(Counts c) {
        List<String> s = List.of(
                "None are registered; Custodian has no algorithm register yet.",
                "So this answer cannot list algorithms used on patient data, by this service or by the organisations that receive data under the"
                        + " agreements above; it does not claim that there are none.",
                "Two statutory rules about algorithms are already in force at the gate: an algorithm's output about a person takes effect only"
                        + " once a named clinician has reviewed it (\"" + StatutoryRule.HUMAN_REVIEW_OF_AUTOMATED_DECISIONS.code() + "\"), and patient"
                        + " data is never used to decide where or on whom care money is spent by a person's 'value' (\""
                        + StatutoryRule.NO_VALUE_RATIONING.code() + "\").");
        List<Figure> f = List.of(new Figure("refused:" + StatutoryRule.NO_VALUE_RATIONING.code(),
                "Requests refused in the period because they were for deciding care by 'value'", "",
                SmallNumbers.publish(c.reason(null, StatutoryRule.NO_VALUE_RATIONING.code())), true));
        return new Answer("algorithms", "d", "Which algorithms are used on patient data?", s, f, List.of());
    }

    // ------------------------------------------------------------------ (e)

    private static Answer otherGovernment(PublicRegisters.Reading r, Counts c) {
        String og = Sector.OTHER_GOVERNMENT.code();
        long permits = 0;
        long denials = 0;
        for (MonthlyCounts.Decisions d : c.counts.decisions()) {
            if (d.sector().equals(og)) {
                if (d.permitted()) {
                    permits += d.count();
                } else {
                    denials += d.count();
                }
            }
        }
        long statutory = c.reason(og, StatutoryRule.NO_OTHER_GOVERNMENT_SECONDARY_USE.code());
        // Allowed and refused add up to the requests, published too: suppressed as a group.
        List<Tabulation.Row> parts = Tabulation.publish(List.of(new Tabulation.Cell("permits", og, permits), new Tabulation.Cell("refusals", og,
                denials)));
        List<Figure> f = List.of(
                new Figure("other-government-requests", "Requests by other government bodies in the period", "", SmallNumbers.publish(permits + denials),
                        true),
                new Figure("other-government-permits", "Requests by other government bodies allowed in the period", "", parts.get(0).count(), true),
                new Figure("other-government-refusals", "Requests by other government bodies refused in the period", "", parts.get(1).count(), true),
                new Figure("other-government-statutory-refusals",
                        "Requests by other government bodies refused by the statutory rule against their secondary use, in the period", "",
                        SmallNumbers.publish(statutory), true));
        List<String> s = new ArrayList<>();
        s.add("Nothing should flow to government bodies outside health and care (such as immigration, welfare or police): the statutory rule \""
                + StatutoryRule.NO_OTHER_GOVERNMENT_SECONDARY_USE.code() + "\" refuses them identifiable and pseudonymised data, and \""
                + StatutoryRule.NO_SALE_OR_MARKETING.code() + "\" refuses sale and marketing to"
                + " everyone. No register, agreement or setting can change that.");
        s.add(permits == 0 ? "In the period, nothing was given to another government body: no request by one was allowed."
                : "In the period, requests by other government bodies were allowed " + words(parts.get(0).count())
                        + " (the statutory rule allows them only counts and statistics that identify nobody).");
        s.add("Their refusals are counted below.");
        List<Organisation> bodies = r.organisations().stream().map(Recorded::item).filter(o -> o.sector() == Sector.OTHER_GOVERNMENT)
                .sorted(Comparator.comparing(Organisation::name)).toList();
        s.add(bodies.isEmpty() ? "No other government body is in the organisations register."
                : "Other government bodies in the organisations register: " + bodies.stream().map(Organisation::name).collect(Collectors.joining(", "))
                        + ".");
        return new Answer("other-government", "e", "What patient data flows to other government departments?", s, f, List.of());
    }

    // ------------------------------------------------------------------ (f)

    /**
     * Two separate facts, never merged: what the operator declares in the hosting register (each site's role, country and
     * provider), and what the process itself sees (an embedded database on this machine, or an external server's host).
     * Custodian cannot check one against the other, and says so rather than guess.
     */
    static Answer hosting(PublicRegisters.Reading r, Hosting seen) {
        List<String> s = new ArrayList<>();
        List<Recorded<HostingSite>> sites = r.hosting().stream()
                .sorted(Comparator.comparing((Recorded<HostingSite> h) -> h.item().role()).thenComparing(h -> h.item().id())).toList();
        if (sites.isEmpty()) {
            s.add("The operator of this deployment has not stated where the data is hosted: the hosting register is empty. Custodian does not"
                    + " know which country its machine is in; the operator of this deployment can say.");
        } else {
            s.add("The operator of this deployment declares that the data is hosted at " + sites.size() + (sites.size() == 1 ? " site" : " sites")
                    + ", in the hosting register (each change to it is an entry in the ledger; the entry of each site's current version is named"
                    + " below):");
            for (Recorded<HostingSite> rh : sites) {
                HostingSite h = rh.item();
                Optional<Organisation> o = h.organisation() == null ? Optional.empty() : r.organisation(h.organisation());
                StringBuilder line = new StringBuilder(capitalised(h.role().words())).append(" (").append(h.id()).append("): country ")
                        .append(h.country()).append("; provider ").append(h.provider());
                o.ifPresent(x -> line.append(" (registered as ").append(x.name()).append(", ").append(x.sector().words()).append(")"));
                line.append('.');
                if (o.isPresent() && o.get().sector() == Sector.PRIVATE_COMPANY) {
                    line.append(" ").append(o.get().name()).append(" is a private company: it acts only as a processor, running the machines on"
                            + " behalf of the organisation responsible for the data, and the statutory rule \"")
                            .append(StatutoryRule.NO_PRIVATE_SECONDARY_USE.code()).append("\" refuses it any use of the data for anything of its"
                                    + " own.");
                }
                if (h.description() != null) {
                    line.append(" The operator adds: ").append(h.description());
                }
                s.add(line.toString());
            }
            if (sites.stream().noneMatch(h -> h.item().role() == HostingSite.SiteRole.PRIMARY)) {
                s.add("None of the declared sites is marked as the primary site.");
            }
        }
        s.add(seen.seen());
        if (!sites.isEmpty()) {
            // Both facts, plainly: the process can see neither a country nor a contract, so it cannot confirm the declaration.
            s.add(seen.embedded()
                    ? "Custodian cannot check the operator's declaration against what it sees: it knows that the database is embedded on the"
                            + " machine running this service, not which of the declared sites, or which country, that machine is in."
                    : "Custodian cannot check the operator's declaration against what it sees: it knows the database server's host name, not"
                            + " which of the declared sites, or which country, that server is in.");
        } else if (!seen.embedded()) {
            s.add("If that server is a cloud provider's managed database, the data is hosted there: that is the operator's choice, and"
                    + " Custodian cannot see it from here.");
        }
        s.addAll(Hosting.services());
        List<List<String>> rows = new ArrayList<>();
        for (Recorded<HostingSite> rh : sites) {
            HostingSite h = rh.item();
            rows.add(List.of(h.id(), capitalised(h.role().words()), h.country(), h.provider(),
                    h.organisation() == null ? "not in the register" : named(r, h.organisation())
                            + (r.organisation(h.organisation()).map(o -> o.sector() == Sector.PRIVATE_COMPANY).orElse(false) ? ", a processor" : ""),
                    h.description() == null ? "none" : h.description(), Long.toString(rh.ledgerIndex())));
        }
        return new Answer("hosting", "f", "Where is the data hosted?", s, List.of(), List.of(new RegisterRows("hosting-sites",
                "Where the operator declares the data is hosted", List.of("Site", "Role", "Country", "Provider", "Provider's organisation (sector)",
                        "Description", "Ledger entry"), rows)));
    }

    private static String capitalised(String words) {
        return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    // ------------------------------------------------------------------ helpers

    /** The month counts, summed as the answers need them. */
    private record Counts(MonthlyCounts counts) {
        /** Refusals giving {@code reason}, to {@code sector} (null: any sector), over the months. */
        long reason(String sector, String reason) {
            return counts.refusalReasons().stream().filter(x -> x.reason().equals(reason) && (sector == null || x.sector().equals(sector)))
                    .mapToLong(MonthlyCounts.Reasons::count).sum();
        }
    }

    private static boolean secondary(String purpose) {
        // An unknown purpose code cannot be told to be care: count it as secondary rather than hide it.
        return Purpose.fromCode(purpose).map(p -> p.group().isSecondary()).orElse(true);
    }

    private static String purposes(Agreement a) {
        return a.purposes().stream().map(p -> p.display() + " (" + p.code() + ")").collect(Collectors.joining(", "));
    }

    private static String name(PublicRegisters.Reading r, String id) {
        return r.organisation(id).map(Organisation::name).orElse(id);
    }

    private static String named(PublicRegisters.Reading r, String id) {
        Optional<Organisation> o = r.organisation(id);
        return o.map(x -> x.name() + " (" + x.sector().words() + ")").orElse(id + " (not in the register)");
    }

    /** A published count in a sentence: "45 times", "fewer than 8 times (redacted)". */
    static String words(OptionalLong published) {
        if (published.isEmpty()) {
            return "between 1 and " + SmallNumbers.REDACT_AT_MOST + " times (the exact number is redacted)";
        }
        long n = published.getAsLong();
        return "about " + number(n) + " times (rounded to the nearest " + SmallNumbers.ROUND_TO + ")";
    }

    static String number(long n) {
        return String.format(Locale.UK, "%,d", n);
    }

    private static String day(LocalDate d) {
        return DAY.format(d);
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
