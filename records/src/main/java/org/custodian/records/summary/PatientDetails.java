package org.custodian.records.summary;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.records.store.StoredVersion;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

/**
 * The patient's own details, as their Patient resource gives them.
 *
 * @param reference {@code Patient/id}
 * @param name the name in use ("Ada Lovelace"), or "Unknown"
 * @param birthDate the date of birth, if recorded (its words at the precision recorded)
 * @param gender "Female", "Male", "Other" or "Unknown"
 * @param nhsNumber the NHS number, if the record has a valid one ({@link NhsNumber#formatted()} prints it)
 * @param address the current home address, one line per element (street lines, town, county, postcode);
 *     empty when none is recorded or it is withheld
 * @param categories the Patient resource's own sensitive categories (rarely any)
 */
public record PatientDetails(String reference, String name, Optional<SummaryDate> birthDate, String gender, Optional<NhsNumber> nhsNumber,
        List<String> address, Set<SensitiveCategory> categories) {

    public PatientDetails {
        requireNonNull(reference, "reference is null");
        requireNonNull(name, "name is null");
        requireNonNull(birthDate, "birthDate is null");
        requireNonNull(gender, "gender is null");
        requireNonNull(nhsNumber, "nhsNumber is null");
        address = List.copyOf(address);
        categories = SummaryItem.copyOf(categories);
    }

    /** The date of birth in words, or "Unknown". */
    public String born() {
        return birthDate.map(SummaryDate::words).orElse(SummaryItem.UNKNOWN);
    }

    static PatientDetails from(StoredVersion v, Patient p) {
        String gender = switch (Objects.requireNonNullElse(p.getGenderElement().getValueAsString(), "")) {
            case "female" -> "Female";
            case "male" -> "Male";
            case "other" -> "Other";
            default -> SummaryItem.UNKNOWN;
        };
        Optional<SummaryDate> born = Order.dateOf(p.getBirthDateElement());
        return new PatientDetails(v.reference(), name(p.getName()), born, gender, nhsNumber(v, p), address(p.getAddress()), v.categories());
    }

    /** The official name, else the usual one, else the first other; never one marked old or with an end date. */
    private static String name(List<HumanName> names) {
        HumanName chosen = null;
        for (String use : new String[] {"official", "usual", null}) {
            for (HumanName n : names) {
                String u = n.getUseElement().getValueAsString();
                boolean old = "old".equals(u) || (n.hasPeriod() && n.getPeriod().hasEnd());
                if (chosen == null && !old && (use == null || use.equals(u)) && !words(n).isEmpty()) {
                    chosen = n;
                }
            }
        }
        return chosen == null ? SummaryItem.UNKNOWN : words(chosen);
    }

    private static String words(HumanName n) {
        if (n.hasText() && !n.getText().isBlank()) {
            return n.getText().strip();
        }
        List<String> parts = new ArrayList<>();
        for (StringType g : n.getGiven()) {
            Words.text(g.getValue()).ifPresent(parts::add);
        }
        Words.text(n.getFamily()).ifPresent(parts::add);
        return String.join(" ", parts);
    }

    /** The store's link when it made one (it checks the number); else a valid number among the identifiers. */
    private static Optional<NhsNumber> nhsNumber(StoredVersion v, Patient p) {
        if (v.nhsNumber() != null) {
            return Optional.of(v.nhsNumber());
        }
        for (Identifier i : p.getIdentifier()) {
            if (NhsNumber.SYSTEM.equals(i.getSystem()) && NhsNumber.isValid(i.getValue())) {
                return Optional.of(NhsNumber.parse(i.getValue()));
            }
        }
        return Optional.empty();
    }

    /**
     * The home address, else the first other current one. An address marked old or with an end date is not
     * shown (a summary has no clock to tell a future end from a past one, and an old address is worse than none).
     */
    private static List<String> address(List<Address> addresses) {
        Address chosen = null;
        for (boolean homeOnly : new boolean[] {true, false}) {
            for (Address a : addresses) {
                String use = a.getUseElement().getValueAsString();
                boolean current = !"old".equals(use) && !(a.hasPeriod() && a.getPeriod().hasEnd());
                if (chosen == null && current && (!homeOnly || "home".equals(use) || use == null)) {
                    chosen = a;
                }
            }
        }
        if (chosen == null) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        chosen.getLine().forEach(l -> Words.text(l.getValue()).ifPresent(lines::add));
        for (String part : new String[] {chosen.getCity(), chosen.getDistrict(), chosen.getState(), chosen.getPostalCode()}) {
            Words.text(part).ifPresent(lines::add);
        }
        if (lines.isEmpty() && chosen.hasText()) {
            // Only free text: one line per line of it.
            chosen.getText().lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(lines::add);
        }
        return lines;
    }
}
