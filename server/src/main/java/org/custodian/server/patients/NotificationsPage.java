package org.custodian.server.patients;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.custodian.core.consent.ConsentAuthority;
import org.custodian.core.notifications.NotificationChoices;
import org.custodian.core.notifications.NotificationPreferenceStore;
import org.custodian.core.notifications.NotificationPreferences;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Registers;
import org.custodian.server.pages.Templates;
import org.custodian.server.patients.PageModels.FieldError;
import org.custodian.server.patients.PageModels.NotificationSettings;

/**
 * "Notifications": whether to be told when someone opens the record in an emergency (break-glass) or an
 * organisation uses the data for the first time, and whether by e-mail or by letter. The same people who may
 * change the patient's choices may change these ({@link ConsentAuthority}); the change is recorded in the ledger
 * by {@link NotificationPreferenceStore}. Errors are listed at the top, each linked to its field, and shown at
 * the field, with what was typed kept.
 */
final class NotificationsPage {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMMM yyyy 'at' HH:mm", Locale.UK).withZone(PatientPages.UK);

    private final NotificationPreferenceStore store;
    private final ConsentAuthority authority;
    private final Registers registers;

    NotificationsPage(NotificationPreferenceStore store, ConsentAuthority authority, Registers registers) {
        this.store = requireNonNull(store, "store is null");
        this.authority = requireNonNull(authority, "authority is null");
        this.registers = requireNonNull(registers, "registers is null");
    }

    void show(Context ctx, PatientPages.Acting a, Person person) {
        NotificationPreferences current = store.current(a.patient());
        Templates.page(ctx, "notifications.jte", model(a, person, current, current.choices(), null, List.of()));
    }

    /** Applies the form, if this person may change these preferences. */
    void change(Context ctx, PatientPages.Acting a, Person person) {
        ConsentAuthority.Verdict verdict = authority.mayChange(person, a.purpose(), a.patient());
        if (!verdict.allowed()) {
            throw new PageSupport.PageException(403, "Not allowed", verdict.text());
        }
        NotificationPreferences current = store.current(a.patient());
        boolean breakGlass = "yes".equals(ctx.formParam("breakGlass"));
        boolean newOrganisation = "yes".equals(ctx.formParam("newOrganisation"));
        Optional<NotificationChoices.Channel> channel = NotificationChoices.Channel.fromCode(ctx.formParam("channel"));
        String email = ctx.formParam("email") == null ? "" : ctx.formParam("email").strip();

        List<FieldError> errors = new ArrayList<>();
        if (channel.isEmpty()) {
            errors.add(new FieldError("channel-email", "Choose how you want to be told: by e-mail or by letter."));
        } else if (channel.get() == NotificationChoices.Channel.EMAIL && email.isEmpty()) {
            errors.add(new FieldError("email", "Enter the e-mail address to send the messages to."));
        } else if (channel.get() == NotificationChoices.Channel.EMAIL && !NotificationChoices.isPlausibleEmail(email)) {
            errors.add(new FieldError("email", "Enter an e-mail address in the right form, like name@example.com."));
        }
        if (!errors.isEmpty()) {
            // Shown again as typed, with the errors; nothing is stored.
            ctx.status(400);
            Templates.page(ctx, "notifications.jte", model(a, person, current, breakGlass, newOrganisation,
                    channel.map(NotificationChoices.Channel::code).orElse(""), email, null, List.of(), errors));
            return;
        }
        NotificationChoices wanted = channel.get() == NotificationChoices.Channel.EMAIL
                ? NotificationChoices.byEmail(breakGlass, newOrganisation, email)
                : NotificationChoices.byLetter(breakGlass, newOrganisation);
        List<String> changes = changes(current.choices(), wanted);
        if (changes.isEmpty()) {
            Templates.page(ctx, "notifications.jte", model(a, person, current, current.choices(), null,
                    List.of("Nothing changed: your notification choices are as they were.")));
            return;
        }
        NotificationPreferences recorded = store.replace(a.patient(), wanted, person.id(), verdict.channel());
        Templates.page(ctx, "notifications.jte", model(a, person, recorded, recorded.choices(), Long.toString(recorded.ledgerIndex()), changes));
    }

    /** What changed, one sentence each, in the order the page asks. */
    private static List<String> changes(NotificationChoices before, NotificationChoices after) {
        List<String> out = new ArrayList<>();
        if (before.breakGlass() != after.breakGlass()) {
            out.add(after.breakGlass() ? "From now on, you will be told when someone looks at your record in an emergency."
                    : "You will no longer be told when someone looks at your record in an emergency. It is still listed under Who used my data.");
        }
        if (before.newOrganisation() != after.newOrganisation()) {
            out.add(after.newOrganisation() ? "From now on, you will be told when an organisation uses your data for the first time."
                    : "You will no longer be told when an organisation uses your data for the first time. It is still listed under Who used my data.");
        }
        if (!before.channel().equals(after.channel()) || !before.email().equals(after.email())) {
            out.add(after.channel() == NotificationChoices.Channel.EMAIL ? "Messages will go by e-mail to " + after.email().orElseThrow() + "."
                    : "Messages will go by letter, with the next batch of letters.");
        }
        return out;
    }

    private NotificationSettings model(PatientPages.Acting a, Person person, NotificationPreferences current, NotificationChoices shown,
            String receipt, List<String> confirmation) {
        return model(a, person, current, shown.breakGlass(), shown.newOrganisation(), shown.channel().code(), shown.email().orElse(""), receipt,
                confirmation, List.of());
    }

    private NotificationSettings model(PatientPages.Acting a, Person person, NotificationPreferences current, boolean breakGlass,
            boolean newOrganisation, String channel, String email, String receipt, List<String> confirmation, List<FieldError> errors) {
        ConsentAuthority.Verdict verdict = authority.mayChange(person, a.purpose(), a.patient());
        String recordedAt = current.version() == 0 ? null : WHEN.format(current.setAt());
        String recordedBy = current.version() == 0 ? null : byWhom(current);
        return new NotificationSettings(a.banner(), breakGlass, newOrganisation, channel, email, recordedAt, recordedBy, confirmation, receipt,
                verdict.allowed(), verdict.allowed() ? null : verdict.text(), errors);
    }

    private String byWhom(NotificationPreferences p) {
        String who = registers.person(p.setBy()).map(Person::name).orElse(p.setBy());
        return switch (p.setVia()) {
            case PATIENT -> "you";
            case PROXY -> who + ", acting for you";
            case ASSISTED -> who + ", on your behalf (by phone or at the desk)";
        };
    }
}
