package org.custodian.server.paper;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Letters to render in tests: realistic wording, made-up people (NHS numbers from the test range). */
final class SampleLetters {
    static final String PATIENT = "Jane Smith";
    static final String NHS_NUMBER = "943 476 5919";
    static final String HOSTILE = "<script>&\"";

    private SampleLetters() {}

    static Letter toPatient(List<Letter.Use> uses) {
        return letter(Letter.Recipient.patient("Ms " + PATIENT, address()), uses);
    }

    /** A letter to the patient, carrying the break-glass notice she asked for by letter. */
    static Letter toPatientWithNotice(List<Letter.Use> uses) {
        Letter l = toPatient(uses);
        return new Letter(l.recipient(), l.patient(), l.sender(), l.date(), l.period(), l.uses(), l.choices(), l.checkpoint(), l.contact(),
                List.of(new Letter.Notice("Someone looked at your health record in an emergency",
                        List.of("On 3 July 2026 at 14:05, Dr Amir Patel of Leeds Teaching Hospitals NHS Trust opened your record in an"
                                + " emergency (break-glass).", "It will be reviewed by the trust's Caldicott Guardian."), 17_001_233)));
    }

    static Letter toProxy(List<Letter.Use> uses) {
        return letter(Letter.Recipient.proxy("Mr Tom Smith", address(), "attorney for health and welfare"), uses);
    }

    static Letter letter(Letter.Recipient recipient, List<Letter.Use> uses) {
        return new Letter(recipient,
                new Letter.Patient(PATIENT, NHS_NUMBER),
                new Letter.Sender("Custodian for West Yorkshire", List.of("Freepost CUSTODIAN", "PO Box 1234", "Leeds", "LS1 4AP")),
                LocalDate.of(2026, 10, 12),
                new Letter.Period("1 July to 30 September 2026", "2026-Q3"),
                uses,
                List.of(
                        new Letter.Choice("University research projects",
                                "you have said no. They will not receive your data, even without your name on it."),
                        new Letter.Choice("NHS service planning",
                                "you have said yes, without your name or address. Planners see numbers, not people."),
                        new Letter.Choice("Mental health records",
                                "you have asked that only the team caring for you may see them.")),
                new Letter.Checkpoint("custodian.west-yorkshire.example/log", 18_204_331,
                        "hmI4ch6ocAnQPT8NE8f3XeZLTSmM/+aq3M0oRk5kPys="),
                new Letter.Contact("0113 496 0000 (Monday to Friday, 8am to 6pm)",
                        "the reception desk of your GP practice", "https://custodian.west-yorkshire.example"));
    }

    static List<String> address() {
        return List.of("14 Back Lane", "Chapeltown", "Leeds", "LS7 3AB");
    }

    static List<Letter.Use> someUses() {
        Instant start = Instant.parse("2026-07-03T13:05:00Z");
        return List.of(
                new Letter.Use(start, "Leeds Teaching Hospitals NHS Trust", "NHS hospital",
                        "Dr Amir Patel, consultant in emergency medicine", "your care in an emergency",
                        "your whole record", true, "an emergency, with no time to ask", null, true, 17_001_233),
                new Letter.Use(start.plusSeconds(86_400 * 2 + 3_600), "Chapel Allerton Surgery", "NHS GP practice",
                        "a practice nurse", "your care", "your medicines and allergies", true,
                        "they are caring for you", null, false, 17_010_554),
                new Letter.Use(start.plusSeconds(86_400 * 20), "University of Leeds", "university (public research)",
                        "a researcher", "a research project", "your diagnoses, without your name", false,
                        "you have said no to university research", "Heart failure after COVID-19 (project HF-2026-07)",
                        false, 17_204_002),
                new Letter.Use(start.plusSeconds(86_400 * 41 + 60 * 55), "Quickhealth Analytics Ltd", "private company",
                        "an analyst", "marketing a product", "your prescriptions", false,
                        "the law here forbids any use of health data for marketing", null, false, 17_655_908),
                new Letter.Use(start.plusSeconds(86_400 * 70 - 46_800), "Boots UK Ltd, for the NHS", "private company working for the NHS",
                        "a pharmacist", "your care", "your current medicines", true,
                        "they are dispensing your prescription", "NHS community pharmacy agreement", false, 18_100_001));
    }

    /** {@code n} uses, every tenth refused and every 25th a break-glass access, a minute apart. */
    static List<Letter.Use> manyUses(int n) {
        List<Letter.Use> uses = new ArrayList<>(n);
        Instant start = Instant.parse("2026-07-01T08:00:00Z");
        for (int i = 0; i < n; i++) {
            boolean refused = i % 10 == 9;
            boolean breakGlass = i % 25 == 24;
            uses.add(new Letter.Use(start.plusSeconds(3_600L * 7 * i), "Leeds Teaching Hospitals NHS Trust", "NHS hospital",
                    "a ward nurse", "your care", "your observations and medicines", !refused,
                    refused ? "they have no care relationship with you" : null, null, breakGlass, 17_000_000L + 37L * i));
        }
        return uses;
    }
}
