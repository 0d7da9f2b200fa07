package org.custodian.core.activity;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.custodian.core.decisions.Policy;
import org.custodian.core.registers.Agreement;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Registers;
import org.custodian.core.registers.Role;
import org.custodian.core.rules.GovernedRule;
import org.custodian.core.rules.GovernedRuleSet;
import org.custodian.core.rules.Reason;
import org.custodian.core.rules.StatutoryRule;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.SensitiveCategory;

/**
 * Turns a patient's ledger entries into plain words: names instead of ids (from the registers),
 * purposes and reasons as sentences (from the same texts {@code GET /api/rules} publishes), so that
 * the pages and the letters say the same thing about the same entry.
 */
public final class UseDescriber {
    private final Registers registers;
    private final Map<String, String> reasonTexts = new HashMap<>();

    public UseDescriber(Registers registers, GovernedRuleSet governed) {
        this.registers = requireNonNull(registers, "registers is null");
        reasonTexts.putAll(reasonTexts(governed));
    }

    /** Every reason code a decision can give, with its text, as {@code GET /api/rules} publishes them. */
    public static Map<String, String> reasonTexts(GovernedRuleSet governed) {
        Map<String, String> texts = new HashMap<>();
        for (StatutoryRule r : StatutoryRule.values()) {
            texts.put(r.code(), r.text());
        }
        for (Reason r : Policy.fixedReasons()) {
            texts.put(r.code(), r.text());
        }
        for (GovernedRule r : governed.rules()) {
            texts.put("governed." + r.id(), r.description());
        }
        return texts;
    }

    public List<DescribedUse> describe(List<ActivityEntry> entries) {
        List<DescribedUse> out = new ArrayList<>(entries.size());
        for (ActivityEntry e : entries) {
            out.add(describe(e));
        }
        return out;
    }

    public DescribedUse describe(ActivityEntry e) {
        if (e.erased()) {
            return new DescribedUse(e.index(), e.at(), headline(e), "", "", "", "", "", "", List.of(), "", false, true);
        }
        Optional<Organisation> org = Optional.ofNullable(e.organisation()).flatMap(registers::organisation);
        String orgName = org.map(Organisation::name).orElse(e.organisation() == null ? "" : e.organisation());
        String sector = org.map(o -> o.sector().words()).orElse("");
        String outcome = switch (e.type()) {
            case ActivityEntry.ACCESS, ActivityEntry.REFUSED -> e.refused() ? "Refused" : "Allowed";
            default -> "";
        };
        List<String> reasons = new ArrayList<>();
        if (e.type().equals(ActivityEntry.REFUSED)) {
            e.field("detail", String.class).ifPresent(reasons::add);
        } else {
            for (String code : e.strings("reasons")) {
                reasons.add(reasonTexts.getOrDefault(code, code));
            }
        }
        String project = e.field("project", String.class)
                .map(id -> registers.project(id).map(p -> id + (p.ethicsReference() == null ? "" : " (ethics approval " + p.ethicsReference() + ")"))
                        .orElse(id))
                .orElse("");
        // Under a data-sharing agreement too: named by its title, as the public agreements register shows it.
        String agreement = e.field("agreement", String.class).map(id -> "the data-sharing agreement \u201c"
                + (e.organisation() == null ? id : registers.agreementsOf(e.organisation()).stream().filter(a -> a.id().equals(id))
                        .map(Agreement::title).findFirst().orElse(id)) + "\u201d (" + id + ")").orElse("");
        if (!agreement.isEmpty()) {
            project = project.isEmpty() ? agreement : project + "; " + agreement;
        }
        return new DescribedUse(e.index(), e.at(), headline(e), orgName, sector, who(e), purpose(e), data(e), outcome, reasons, project,
                e.breakGlass(), false);
    }

    private static String headline(ActivityEntry e) {
        return switch (e.type()) {
            case ActivityEntry.ACCESS -> {
                if (e.breakGlass()) {
                    yield "Emergency access to your record (break-glass)";
                }
                if ("PATRQT".equals(e.purpose()) && !e.refused()) {
                    yield "You looked at your record";
                }
                if (("PWATRNY".equals(e.purpose()) || "FAMRQT".equals(e.purpose())) && !e.refused()) {
                    yield "Someone acting for you looked at your record";
                }
                yield e.refused() ? "A request for your data was refused" : "Your data was used";
            }
            case ActivityEntry.REFUSED -> "A request for your data was refused";
            case ActivityEntry.CONSENT -> "Your choices were changed";
            case ActivityEntry.REVIEW -> "An emergency access was reviewed";
            case ActivityEntry.WRITE -> "Your record was added to or changed";
            case "letter.prepared" -> "A letter about who used your data was prepared";
            case ActivityEntry.CONSENT_VIEW -> "Staff looked at your choices to record them for you";
            case ActivityEntry.REGISTER -> "Who cares for you, or who acts for you, was updated";
            case ActivityEntry.NOTIFICATIONS -> "What you are told about, and how, was changed";
            default -> "Recorded: " + e.type();
        };
    }

    private String who(ActivityEntry e) {
        Optional<String> personId = e.nested("requester", "person").or(() -> e.nested("author", "person")).or(() -> e.field("person", String.class))
                .or(() -> e.field("reviewer", String.class)).or(() -> e.field("recordedBy", String.class))
                .or(() -> e.field("claimedPerson", String.class));
        if (personId.isEmpty()) {
            return e.nested("author", "operator").map(op -> "An administrator (" + op + ")").orElse("");
        }
        Optional<Person> person = registers.person(personId.get());
        if (person.isEmpty()) {
            return personId.get();
        }
        Person p = person.get();
        if (e.type().equals(ActivityEntry.CONSENT)) {
            String channel = e.field("channel", String.class).orElse("");
            return switch (channel) {
                case "patient" -> "You";
                case "proxy" -> p.name() + ", acting for you";
                case "assisted" -> p.name() + " (" + roleWords(p.role()) + "), on your behalf";
                default -> p.name();
            };
        }
        if (p.role() == Role.PATIENT) {
            return p.nhsNumber() != null && p.nhsNumber().value().equals(e.fields().map(f -> f.get("patient")).orElse(null)) ? "You"
                    : p.name() + ", acting for you";
        }
        return p.name() + ", " + roleWords(p.role());
    }

    private static String roleWords(Role role) {
        return switch (role) {
            case CALDICOTT_GUARDIAN -> "Caldicott Guardian";
            default -> role.code().replace('-', ' ');
        };
    }

    private static String purpose(ActivityEntry e) {
        if (e.purpose() == null) {
            return "";
        }
        return Purpose.fromCode(e.purpose()).map(UseDescriber::purposeWords).orElse(e.purpose());
    }

    /** Why, as a patient would say it. */
    public static String purposeWords(Purpose p) {
        return switch (p) {
            case TREAT -> "Your care";
            case ETREAT, BTG -> "Emergency care";
            case PATRQT -> "You looking at your own record";
            case PWATRNY, FAMRQT -> "Someone you chose acting for you";
            case HRESCH, CLINTRCH -> "Research";
            case HOPERAT, HQUALIMP -> "Planning and improving health services";
            case POPHLTH -> "Population health planning";
            case PUBHLTH -> "Public health";
            case HMARKT, MARKT -> "Marketing (never allowed)";
            case COVAUTH, ELIGDTRM -> "Deciding who gets care by cost (never allowed)";
            case GOV, LEGAL, HLEGAL -> "Government or legal use outside health care";
        };
    }

    private static String data(ActivityEntry e) {
        List<String> parts = new ArrayList<>();
        List<String> resources = e.strings("resources");
        if (!resources.isEmpty()) {
            parts.add(resources.contains("*") ? "your whole record" : String.join(", ", resources.stream().map(UseDescriber::resourceWords).toList()));
        } else if (e.type().equals(ActivityEntry.WRITE)) {
            e.field("resources", Map.class).ifPresent(m -> parts.add(String.join(", ",
                    ((Map<?, ?>) m).entrySet().stream().map(x -> resourceWords(String.valueOf(x.getKey())) + " (" + x.getValue() + ")").toList())));
        } else if (e.type().equals(ActivityEntry.CONSENT) || e.type().equals(ActivityEntry.CONSENT_VIEW)) {
            parts.add("your choices");
        } else if (e.type().equals(ActivityEntry.NOTIFICATIONS)) {
            parts.add("your notification choices");
        }
        List<String> categories = e.strings("categories");
        if (!categories.isEmpty()) {
            parts.add("including " + String.join(", ", categories.stream()
                    .map(c -> SensitiveCategory.fromCode(c).map(SensitiveCategory::words).orElse(c)).toList()));
        }
        e.field("form", String.class).flatMap(DataForm::fromCode).filter(f -> f != DataForm.IDENTIFIABLE)
                .ifPresent(f -> parts.add("as " + f.words()));
        return String.join("; ", parts);
    }

    private static String resourceWords(String type) {
        return switch (type) {
            case "Patient" -> "your details";
            case "Observation" -> "test results and measurements";
            case "Condition" -> "conditions";
            case "MedicationRequest" -> "medicines";
            case "AllergyIntolerance" -> "allergies";
            case "Immunization" -> "immunisations";
            case "Encounter" -> "appointments and visits";
            case "Procedure" -> "procedures";
            case "DiagnosticReport" -> "reports";
            case "Consent" -> "your choices";
            case "AuditEvent" -> "the list of who used your data";
            default -> type.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        };
    }
}
