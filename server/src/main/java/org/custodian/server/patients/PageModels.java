package org.custodian.server.patients;

import java.util.List;
import org.custodian.core.activity.DescribedUse;

/** What the patients' templates render: plain values, already in words. */
public final class PageModels {
    private PageModels() {}

    /** Who is signed in and whose record they are acting on; shown at the top of every page. */
    public record Banner(String personName, String patientName, String nhsNumber, boolean proxy, String csrf, boolean staff) {
        /** The NHS number as people write it: 943 476 5919. */
        public String nhsNumberSpaced() {
            return nhsNumber == null ? null : new org.custodian.core.registers.NhsNumber(nhsNumber).formatted();
        }
    }

    public record Message(Banner banner, String title, String heading, String text, String linkHref, String linkText) {}

    public record DemoPerson(String id, String name, String description) {}

    /**
     * @param oidcLabel the patients' provider's name, or null when there is none
     * @param staffLabel the staff's provider's name, or null when there is none
     */
    public record SignIn(boolean demo, List<DemoPerson> people, boolean oidc, String oidcLabel, String staffLabel, String error) {}

    public record CodeEntry(String attemptId, String personName, String shownCode, String error) {}

    public record Choice(String nhsNumber, String name, String relation) {}

    public record ChooseRecord(Banner banner, List<Choice> choices) {}

    public record Home(Banner banner, long uses) {}

    public record Option(String value, String label, boolean selected) {}

    /** "Who used my data": one page of uses, the filters as set, and where the next page is. */
    public record Activity(Banner banner, List<DescribedUse> uses, long matching, String from, String to, List<Option> organisations,
            List<Option> purposes, String nextHref, String newestHref, boolean filtered, String error, String receipt) {}

    /** One choice a patient can make, as the page shows it. */
    /** @param whileRefused what saying no means, as a standing fact ("Research projects will not receive ...") */
    public record ChoiceGroup(String name, String question, String explanation, boolean refused, String effectIfRefused,
            String effectIfAllowed, String whileRefused) {}

    /**
     * @param formAction where the form posts ({@code /my/choices}, or the staff page's)
     * @param patient the NHS number the form names (staff pages), or null (the session says whose)
     */
    public record Choices(Banner banner, List<ChoiceGroup> groups, List<String> otherChoices, String recordedAt, String recordedBy,
            List<String> confirmation, String receipt, boolean mayChange, String whyNot, String formAction, String patient) {}

    /**
     * "My record": the summary (null when no record is held), and which categories the gate left out.
     */
    public record RecordPage(Banner banner, org.custodian.records.summary.RecordSummary summary, List<String> leftOut, String receipt) {
        /** "Mental health, HIV" for an item's categories, or "". */
        public static String categories(java.util.Set<org.custodian.core.vocabulary.SensitiveCategory> categories) {
            return String.join(", ", categories.stream().map(c -> c.words()).toList());
        }
    }

    /**
     * The proof that one entry is in the ledger, and the commands that check it without trusting this server.
     *
     * @param checkpoint the witnessed checkpoint (a C2SP signed note with its cosignatures), or null if the entry is not in one yet
     */
    public record Proof(Banner banner, long index, String leafHash, long treeSize, String root, List<String> proof, String checkpoint,
            int witnesses, String verifierKey, String origin) {
        public String proofArgument() {
            return String.join(",", proof);
        }
    }

    /** The staff page: find a patient by NHS number. */
    public record StaffStart(Banner banner, String nhsNumber, String error) {}

    /** A field's error: shown at the field and listed at the top of the page, linked to the field's id. */
    public record FieldError(String field, String text) {}

    /**
     * "Notifications": what the patient is told about and how, as recorded or as just typed.
     *
     * @param channel {@code email}, {@code letter}, or "" when none was chosen
     */
    public record NotificationSettings(Banner banner, boolean breakGlass, boolean newOrganisation, String channel, String email,
            String recordedAt, String recordedBy, List<String> confirmation, String receipt, boolean mayChange, String whyNot,
            List<FieldError> errors) {
        public NotificationSettings {
            confirmation = List.copyOf(confirmation);
            errors = List.copyOf(errors);
        }

        /** The error at this field, or null. */
        public String error(String field) {
            return errors.stream().filter(e -> e.field().equals(field)).map(FieldError::text).findFirst().orElse(null);
        }
    }
}
