package org.custodian.core.notifications;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import org.custodian.core.activity.DescribedUse;

/**
 * A notification's words, from the same description of the entry that the patient's pages and letters use
 * ({@link org.custodian.core.activity.UseDescriber}). The message says what happened, when, who, which
 * organisation and why; it leaves out which data and any sensitive categories (an e-mail crosses the internet
 * in the clear): those are on the patient's own page, behind sign-in, under the ledger index it gives.
 */
final class NotificationText {
    static final ZoneId UK = ZoneId.of("Europe/London");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMMM yyyy 'at' HH:mm", Locale.UK).withZone(UK);

    private NotificationText() {}

    record Text(String subject, String body) {}

    /**
     * @param firstUse the organisation used the patient's data for the first time (said as well, when the
     *     notification is for a break-glass access)
     */
    static Text compose(Notification.Kind kind, boolean firstUse, DescribedUse use, Optional<String> patientName) {
        String organisation = use.organisation().isEmpty() ? "An organisation" : use.organisation();
        String subject = switch (kind) {
            case BREAK_GLASS -> "Someone looked at your health record in an emergency";
            case NEW_ORGANISATION -> organisation + " has used your health data for the first time";
        };
        StringBuilder b = new StringBuilder();
        b.append(patientName.map(n -> "Dear " + n + ",").orElse("Hello,")).append("\n\n");
        switch (kind) {
            case BREAK_GLASS -> {
                b.append("Someone who was not already caring for you looked at your health record in an emergency. This is called")
                        .append(" \"break-glass\". You asked to be told when this happens.");
                if (firstUse && !use.organisation().isEmpty()) {
                    b.append(" It was also the first time ").append(use.organisation()).append(" has used your data.");
                }
            }
            case NEW_ORGANISATION -> b.append(organisation).append(" has used your health data for the first time. You asked to be told")
                    .append(" when an organisation uses your data for the first time.");
        }
        b.append("\n\n");
        line(b, "What happened", use.headline());
        line(b, "When", WHEN.format(use.at()) + " (UK time)");
        line(b, "Organisation", use.organisation() + (use.sector().isEmpty() ? "" : " (" + use.sector() + ")"));
        line(b, "Who", use.who());
        line(b, "Why", use.purpose());
        line(b, "Outcome", use.outcome());
        line(b, "Project or agreement", use.project());
        b.append("\n");
        if (kind == Notification.Kind.BREAK_GLASS) {
            b.append("Every emergency access is reviewed by the organisation's Caldicott Guardian, the person responsible for")
                    .append(" protecting patients' information there. If you think this access was wrong, tell your GP practice")
                    .append(" and give them the ledger entry number below.\n\n");
        }
        b.append("This is ledger entry ").append(use.index()).append(". Sign in to Custodian and open \"Who used my data\" to see")
                .append(" it in full, with proof that it is recorded in the public ledger.\n\n");
        b.append("To stop these messages, or to change how you get them, sign in and open \"Notifications\".\n\n");
        b.append("Custodian, the publicly owned home for your health record\n");
        return new Text(subject, b.toString());
    }

    private static void line(StringBuilder b, String label, String value) {
        if (!value.isBlank()) {
            b.append(label).append(": ").append(value).append("\n");
        }
    }
}
