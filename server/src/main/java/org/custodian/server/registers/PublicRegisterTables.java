package org.custodian.server.registers;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.custodian.core.registers.Agreement;
import org.custodian.core.registers.HostingSite;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Project;
import org.custodian.core.registers.PublicRegisters.Recorded;
import org.custodian.core.registers.Sector;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.server.patients.PageFormat;

/**
 * The public registers' columns and filters (fields modelled on NHS England's Data Uses Register). Only
 * what the public may see is here: never people, care relationships or proxies, never an NHS number.
 */
final class PublicRegisterTables {
    /** What the page says of a project's detail that the register does not state (the files have null). */
    static final String NOT_STATED = "Not stated";
    /** Between a project's outputs in their CSV cell. */
    static final String OUTPUT_SEPARATOR = " | ";

    private PublicRegisterTables() {}

    /** A project with its organisation, as the projects register shows it. */
    record ProjectRow(Recorded<Project> recorded, Organisation organisation) {
        Project project() {
            return recorded.item();
        }
    }

    /** An agreement with its partner and processors, as the agreements register shows it. */
    record AgreementRow(Recorded<Agreement> recorded, Organisation partner, List<Organisation> processors) {
        Agreement agreement() {
            return recorded.item();
        }

        String partnerName() {
            return partner == null ? agreement().partner() : partner.name();
        }
    }

    /** A hosting site with its provider's organisation (null when it names none, or one not in the register). */
    record HostingRow(Recorded<HostingSite> recorded, Organisation organisation) {
        HostingSite site() {
            return recorded.item();
        }
    }

    static List<RegisterTable<?>> all() {
        return List.of(organisations(), agreements(), projects(), hosting());
    }

    static RegisterTable<HostingRow> hosting() {
        return new RegisterTable<>("hosting", "Where the data is hosted",
                "Where the operator of this deployment declares that patients' data and the ledger are hosted: each site, what it is "
                        + "for, the country it is in and who runs the machines. This is the operator's declaration, each change recorded "
                        + "in the ledger: Custodian cannot see a country or a provider for itself. A private company that runs the machines "
                        + "acts only as a processor, and the rules that cannot be changed refuse it any use of the data of its own.",
                "site", "sites",
                reading -> {
                    Map<String, Organisation> byId = new HashMap<>();
                    reading.organisations().forEach(r -> byId.put(r.item().id(), r.item()));
                    return reading.hosting().stream()
                            .sorted(java.util.Comparator.comparing((Recorded<HostingSite> h) -> h.item().role()).thenComparing(h -> h.item().id()))
                            .map(h -> new HostingRow(h, h.item().organisation() == null ? null : byId.get(h.item().organisation()))).toList();
                },
                r -> "hosting-" + r.site().id(),
                List.of(
                        Column.text("Site", "id", r -> r.site().id()),
                        Column.coded("Role", "role", r -> r.site().role().code(), r -> capitalised(r.site().role().words())),
                        Column.text("Country", "country", r -> r.site().country()),
                        new Column<HostingRow>("Provider",
                                List.of(new Column.Field<>("provider", r -> r.site().provider()),
                                        new Column.Field<>("organisation", r -> r.site().organisation()),
                                        new Column.Field<>("organisationName", r -> r.organisation() == null ? null : r.organisation().name()),
                                        new Column.Field<>("organisationSector", r -> r.organisation() == null ? null : r.organisation().sector().code())),
                                r -> r.organisation() == null ? Column.Cell.of(r.site().provider())
                                        : new Column.Cell(r.site().provider(), "/registers/organisations#" + organisationAnchor(r.organisation().id()),
                                                null, r.organisation().name() + " (" + r.organisation().sector().words() + ")"
                                                        + (r.organisation().sector() == Sector.PRIVATE_COMPANY ? ": a processor" : ""))),
                        new Column<HostingRow>("Description",
                                List.of(new Column.Field<>("description", r -> r.site().description())),
                                r -> r.site().description() == null ? Column.Cell.of(NOT_STATED)
                                        : new Column.Cell(r.site().description(), null, null, null, true, List.of())),
                        lastChanged(HostingRow::recorded)),
                List.of(new Filter<>("role", "Role", "Any role",
                        Arrays.stream(HostingSite.SiteRole.values()).map(s -> new Filter.Option(s.code(), capitalised(s.words()))).toList(),
                        r -> r.site().role().code())));
    }

    static RegisterTable<AgreementRow> agreements() {
        return new RegisterTable<>("agreements", "Data-sharing agreements and partnerships",
                "Every agreement under which an organisation uses patients' data for anything but their care: who the partner is "
                        + "(the controller of what it receives), which companies process the data for it, for what purposes, which data "
                        + "and in what form, on what legal basis, for how long, and any payment or other benefit passing either way. "
                        + "A partner's requests for these purposes are refused while its agreement is not in force, and patients' choices "
                        + "always apply.",
                "agreement", "agreements",
                reading -> {
                    Map<String, Organisation> byId = new HashMap<>();
                    reading.organisations().forEach(r -> byId.put(r.item().id(), r.item()));
                    return reading.agreements().stream().map(a -> new AgreementRow(a, byId.get(a.item().partner()),
                            a.item().processors().stream().map(p -> byId.getOrDefault(p, new Organisation(p, p, Sector.PRIVATE_COMPANY))).toList()))
                            .toList();
                },
                r -> "agreement-" + r.agreement().id(),
                List.of(
                        new Column<AgreementRow>("Agreement",
                                List.of(new Column.Field<>("id", r -> r.agreement().id()), new Column.Field<>("title", r -> r.agreement().title())),
                                r -> new Column.Cell(r.agreement().title(), null, r.agreement().id(), null)),
                        new Column<AgreementRow>("Partner (controller)",
                                List.of(new Column.Field<>("partner", r -> r.agreement().partner()),
                                        new Column.Field<>("partnerName", AgreementRow::partnerName),
                                        new Column.Field<>("partnerSector", r -> r.partner() == null ? null : r.partner().sector().code())),
                                r -> new Column.Cell(r.partnerName(), "/registers/organisations#" + organisationAnchor(r.agreement().partner()),
                                        r.agreement().partner(), r.partner() == null ? null : capitalised(r.partner().sector().words()))),
                        new Column<AgreementRow>("Processors",
                                List.of(new Column.Field<>("processors", r -> r.agreement().processors()),
                                        new Column.Field<>("processorNames", r -> r.processors().stream().map(Organisation::name).toList())),
                                r -> Column.Cell.of(r.processors().isEmpty() ? "None"
                                        : r.processors().stream().map(o -> o.name() + " (" + o.sector().words() + ")").collect(Collectors.joining("; ")))),
                        new Column<AgreementRow>("Purposes",
                                List.of(new Column.Field<>("purposes", r -> codes(r.agreement().purposes(), Purpose::code)),
                                        new Column.Field<>("purposeNames", r -> codes(r.agreement().purposes(), p -> capitalised(p.display())))),
                                r -> Column.Cell.of(String.join("; ", codes(r.agreement().purposes(), p -> capitalised(p.display()) + " (" + p.code() + ")")))),
                        Column.coded("Form of the data", "form", r -> r.agreement().form().code(), r -> capitalised(r.agreement().form().code())),
                        new Column<AgreementRow>("Data",
                                List.of(new Column.Field<>("data", r -> r.agreement().data()),
                                        new Column.Field<>("categories", r -> codes(r.agreement().categories(), SensitiveCategory::code))),
                                r -> new Column.Cell(String.join(", ", r.agreement().data()), null, null, r.agreement().categories().isEmpty()
                                        ? "No sensitive categories"
                                        : "Sensitive categories: " + String.join(", ", codes(r.agreement().categories(), SensitiveCategory::words)))),
                        Column.text("Legal basis", "legalBasis", r -> r.agreement().legalBasis()),
                        new Column<AgreementRow>("Opt-outs apply",
                                List.of(new Column.Field<>("optOutsApply", r -> r.agreement().optOutsApply() ? "yes" : "no")),
                                r -> Column.Cell.of(r.agreement().optOutsApply() ? "Yes: patients' choices always apply" : "No")),
                        Column.date("From", "from", r -> r.agreement().from()),
                        new Column<AgreementRow>("To",
                                List.of(new Column.Field<>("to", r -> r.agreement().to() == null ? null : r.agreement().to().toString())),
                                r -> r.agreement().to() == null ? Column.Cell.of("No end date") : Column.date("To", "to", (AgreementRow x) -> x.agreement().to())
                                        .cell().apply(r)),
                        Column.coded("Status", "status", r -> r.agreement().status().code(), r -> capitalised(r.agreement().status().code())),
                        new Column<AgreementRow>("Payments and other benefits",
                                List.of(new Column.Field<>("payments", r -> r.agreement().payments().stream().map(PublicRegisterTables::payment).toList())),
                                r -> Column.Cell.of(r.agreement().payments().isEmpty() ? "None recorded"
                                        : r.agreement().payments().stream().map(PublicRegisterTables::payment).collect(Collectors.joining("; ")))),
                        lastChanged(AgreementRow::recorded)),
                List.of(
                        new Filter<>("status", "Status", "Any status",
                                Arrays.stream(Agreement.Status.values()).map(s -> new Filter.Option(s.code(), capitalised(s.code()))).toList(),
                                r -> r.agreement().status().code()),
                        new Filter<>("sector", "Partner's sector", "Any sector",
                                Arrays.stream(Sector.values()).map(s -> new Filter.Option(s.code(), capitalised(s.words()))).toList(),
                                r -> r.partner() == null ? "" : r.partner().sector().code())));
    }

    /** "To the partner or its processors: description (amount)". */
    private static String payment(Agreement.Payment p) {
        String way = p.direction() == Agreement.Payment.Direction.TO_PARTNER ? "To the partner or its processors" : "From the partner";
        return way + ": " + p.description() + (p.amount() == null ? "" : " (" + p.amount() + ")");
    }

    private static <E extends Enum<E>> List<String> codes(java.util.Set<E> set, java.util.function.Function<E, String> text) {
        return set.stream().sorted().map(text).toList();
    }

    static RegisterTable<Recorded<Organisation>> organisations() {
        return new RegisterTable<>("organisations", "Organisations",
                "Every organisation registered here, and its sector. The rules that cannot be changed are stated by sector: "
                        + "a private company, or a government department outside health, can never use patients' data for anything but their care.",
                "organisation", "organisations",
                reading -> reading.organisations().stream()
                        .sorted(java.util.Comparator.comparing((Recorded<Organisation> r) -> r.item().name().toLowerCase(Locale.UK))
                                .thenComparing(r -> r.item().id()))
                        .toList(),
                r -> organisationAnchor(r.item().id()),
                List.of(
                        new Column<Recorded<Organisation>>("Organisation",
                                List.of(new Column.Field<>("id", r -> r.item().id()), new Column.Field<>("name", r -> r.item().name())),
                                r -> new Column.Cell(r.item().name(), null, r.item().id(), null)),
                        Column.coded("Sector", "sector", r -> r.item().sector().code(), r -> capitalised(r.item().sector().words())),
                        lastChanged(r -> r)),
                List.of(new Filter<>("sector", "Sector", "Any sector",
                        Arrays.stream(Sector.values()).map(s -> new Filter.Option(s.code(), capitalised(s.words()))).toList(),
                        r -> r.item().sector().code())));
    }

    static RegisterTable<ProjectRow> projects() {
        return new RegisterTable<>("projects", "Research and planning projects",
                "Every project approved, or asked for, to use patients' data for research or planning: the only way data is used "
                        + "for anything but a patient's own care. Each says who leads it, the public benefit it claims, its ethics "
                        + "approval, the dates it is approved for and what it has published. Aggregate data is counts and statistics "
                        + "that identify nobody; pseudonymised data is records without name, address or NHS number, under the "
                        + "project's own pseudonyms; identifiable data identifies the patient.",
                "project", "projects",
                reading -> {
                    Map<String, Organisation> byId = new HashMap<>();
                    reading.organisations().forEach(r -> byId.put(r.item().id(), r.item()));
                    return reading.projects().stream().map(p -> new ProjectRow(p, byId.get(p.item().organisation()))).toList();
                },
                r -> "project-" + r.project().id(),
                List.of(
                        Column.text("Project", "id", r -> r.project().id()),
                        new Column<ProjectRow>("Organisation",
                                List.of(new Column.Field<>("organisation", r -> r.project().organisation()),
                                        new Column.Field<>("organisationName", r -> r.organisation() == null ? null : r.organisation().name())),
                                r -> new Column.Cell(r.organisation() == null ? r.project().organisation() : r.organisation().name(),
                                        "/registers/organisations#" + organisationAnchor(r.project().organisation()), r.project().organisation(), null)),
                        new Column<ProjectRow>("Lead",
                                List.of(new Column.Field<>("lead", r -> r.project().lead() == null ? null : r.project().lead().name()),
                                        new Column.Field<>("leadRole", r -> r.project().lead() == null ? null : r.project().lead().role())),
                                r -> r.project().lead() == null ? Column.Cell.of(NOT_STATED)
                                        : new Column.Cell(r.project().lead().name(), null, null, r.project().lead().role())),
                        Column.coded("Purpose", "purpose", r -> r.project().purpose().code(), r -> capitalised(r.project().purpose().display())),
                        new Column<ProjectRow>("Public benefit",
                                List.of(new Column.Field<>("publicBenefit", r -> r.project().publicBenefit())),
                                r -> r.project().publicBenefit() == null ? Column.Cell.of(NOT_STATED)
                                        : new Column.Cell(r.project().publicBenefit(), null, null, null, true, List.of())),
                        Column.coded("Form of the data", "form", r -> r.project().form().code(), r -> capitalised(r.project().form().code())),
                        Column.coded("Status", "status", r -> r.project().status().code(), r -> capitalised(r.project().status().code())),
                        new Column<ProjectRow>("Approval dates",
                                List.of(new Column.Field<>("approvedFrom", r -> iso(r.project().approvedFrom())),
                                        new Column.Field<>("approvedUntil", r -> iso(r.project().approvedUntil()))),
                                r -> r.project().approvedFrom() == null
                                        ? new Column.Cell("Until " + Column.day(r.project().approvedUntil()), null, null, "Start not stated")
                                        : Column.Cell.of(Column.day(r.project().approvedFrom()) + " to " + Column.day(r.project().approvedUntil()))),
                        Column.text("Ethics approval", "ethicsReference", r -> r.project().ethicsReference()),
                        new Column<ProjectRow>("Outputs",
                                List.of(new Column.Field<>("outputs", r -> outputs(r.project()), r -> outputsCsv(r.project()))),
                                r -> r.project().outputs().isEmpty() ? Column.Cell.of("None listed")
                                        : new Column.Cell("", null, null, null, false,
                                                r.project().outputs().stream().map(o -> new Column.Link(o.title(), o.url())).toList())),
                        lastChanged(ProjectRow::recorded)),
                List.of(
                        new Filter<>("status", "Status", "Any status",
                                Arrays.stream(Project.Status.values()).map(s -> new Filter.Option(s.code(), capitalised(s.code()))).toList(),
                                r -> r.project().status().code()),
                        new Filter<>("purpose", "Purpose", "Any purpose",
                                Arrays.stream(Purpose.values()).map(p -> new Filter.Option(p.code(), capitalised(p.display()) + " (" + p.code() + ")")).toList(),
                                r -> r.project().purpose().code()),
                        new Filter<>("form", "Form of the data", "Any form",
                                Arrays.stream(DataForm.values()).map(f -> new Filter.Option(f.code(), capitalised(f.code()))).toList(),
                                r -> r.project().form().code())));
    }

    private static String iso(java.time.LocalDate day) {
        return day == null ? null : day.toString();
    }

    /** The JSON form of a project's outputs: {@code [{"title", "url"}]}, the url null when there is none. */
    private static List<Object> outputs(Project p) {
        return p.outputs().stream().map(o -> {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("title", o.title());
            m.put("url", o.url());
            return (Object) m;
        }).toList();
    }

    /**
     * The CSV cell of a project's outputs: each as its title, then its address in angle brackets when it has one
     * (RFC 3986 appendix C), separated by {@value #OUTPUT_SEPARATOR}: {@code Title <https://...> | Other title}. A title
     * may itself hold the separator; the JSON form is the one to parse.
     */
    static String outputsCsv(Project p) {
        return p.outputs().isEmpty() ? null : p.outputs().stream()
                .map(o -> o.url() == null ? o.title() : o.title() + " <" + o.url() + ">")
                .collect(Collectors.joining(OUTPUT_SEPARATOR));
    }

    static String organisationAnchor(String id) {
        return "organisation-" + id;
    }

    /**
     * The ledger entry that recorded the row's current version: its index and time in the files; on the page
     * a link to its public inclusion proof ({@code /api/receipts/<index>}) and the time.
     */
    private static <R> Column<R> lastChanged(java.util.function.Function<R, Recorded<?>> recorded) {
        return new Column<>("Last changed",
                List.of(new Column.Field<>("ledgerIndex", r -> recorded.apply(r).ledgerIndex()),
                        new Column.Field<>("updatedAt", r -> recorded.apply(r).updatedAt().toString())),
                r -> new Column.Cell("Ledger entry " + recorded.apply(r).ledgerIndex(), "/api/receipts/" + recorded.apply(r).ledgerIndex(),
                        null, PageFormat.when(recorded.apply(r).updatedAt())));
    }

    static String capitalised(String words) {
        return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
