package org.custodian.server.patients;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.custodian.core.consent.ConsentAuthority;
import org.custodian.core.consent.ConsentChoices;
import org.custodian.core.consent.ConsentRecord;
import org.custodian.core.consent.ConsentStore;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Registers;
import org.custodian.core.vocabulary.PurposeGroup;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.server.patients.PageModels.ChoiceGroup;

/**
 * "My choices": the three choices a patient makes with a click (research, planning, sharing for care
 * beyond their practice), each stated with its effect in plain words, and the change recorded through
 * the same store as the API's (one ledger entry, effective for the very next request in every process).
 */
final class ChoicesPage {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMMM yyyy 'at' HH:mm", Locale.UK).withZone(PatientPages.UK);

    /** The choosable groups in the order the page asks about them, with their words. */
    enum Group {
        RESEARCH(PurposeGroup.RESEARCH, "research", "Research",
                "Can university and charity research projects use your data?",
                "Approved public-interest research only. Companies can never use your data for research, whatever you choose here.",
                "From now on, research projects will not receive your data, even without your name on it.",
                "From now on, approved public-interest research projects may receive your data, usually without your name on it."),
        PLANNING(PurposeGroup.PLANNING, "planning", "Planning and improving services",
                "Can the NHS and your council use your data to plan and improve services?",
                "For example, working out how many nurses an area needs. They never get your data to sell or to decide who gets care by cost.",
                "From now on, your data will not be used to plan or improve services, even without your name on it.",
                "From now on, your data may be used to plan and improve services, usually without your name on it."),
        DIRECT_CARE(PurposeGroup.DIRECT_CARE, "care", "Sharing for your care",
                "Can NHS services other than your GP practice see your record when they care for you?",
                "For example, a hospital you are referred to. In an emergency, a clinician can still see it, and you will be told.",
                "From now on, only your GP practice can see your record for your care, except in an emergency.",
                "From now on, NHS services caring for you can see your record.");

        final PurposeGroup group;
        final String field;
        final String name;
        final String question;
        final String explanation;
        final String effectIfRefused;
        final String effectIfAllowed;

        Group(PurposeGroup group, String field, String name, String question, String explanation, String refused, String allowed) {
            this.group = group;
            this.field = field;
            this.name = name;
            this.question = question;
            this.explanation = explanation;
            this.effectIfRefused = refused;
            this.effectIfAllowed = allowed;
        }
    }

    /** What a change did: the sentences to confirm it with, its ledger index, or why it was refused. */
    record Outcome(List<String> changes, long receipt, String refusal) {}

    private final ConsentStore consents;
    private final ConsentAuthority authority;
    private final Registers registers;

    ChoicesPage(ConsentStore consents, ConsentAuthority authority, Registers registers) {
        this.consents = requireNonNull(consents, "consents is null");
        this.authority = requireNonNull(authority, "authority is null");
        this.registers = requireNonNull(registers, "registers is null");
    }

    PageModels.Choices model(PatientPages.Acting a, Person person, String receipt, List<String> confirmation) {
        return model(a, person, receipt, confirmation, "/my/choices", null);
    }

    PageModels.Choices model(PatientPages.Acting a, Person person, String receipt, List<String> confirmation, String formAction,
            String patientField) {
        ConsentRecord current = consents.current(a.patient());
        List<ChoiceGroup> groups = new ArrayList<>();
        for (Group g : Group.values()) {
            groups.add(new ChoiceGroup(g.field, g.question, g.explanation, current.choices().refusedPurposes().contains(g.group),
                    g.effectIfRefused, g.effectIfAllowed, capitalised(g.effectIfRefused.replace("From now on, ", ""))));
        }
        List<String> other = new ArrayList<>();
        for (String orgId : current.choices().refusedOrganisations()) {
            other.add("You have said no to " + registers.organisation(orgId).map(Organisation::name).orElse(orgId)
                    + " for every purpose, even as a processor for the NHS.");
        }
        current.choices().withheldCategories().forEach((category, allowed) -> other.add(withheldWords(category, allowed)));
        ConsentAuthority.Verdict verdict = authority.mayChange(person, a.purpose(), a.patient());
        String recordedAt = current.version() == 0 ? null : WHEN.format(current.recordedAt());
        String recordedBy = current.version() == 0 ? null : channelWords(current, a);
        return new PageModels.Choices(a.banner(), groups, other, recordedAt, recordedBy, confirmation, receipt, verdict.allowed(),
                verdict.allowed() ? null : verdict.text(), formAction, patientField);
    }

    private String withheldWords(SensitiveCategory category, Set<String> allowed) {
        String what = category.words();
        if (allowed.isEmpty()) {
            return "Information about " + what + " is kept from everyone.";
        }
        List<String> names = allowed.stream().map(id -> registers.person(id).map(Person::name).orElse(id)).sorted().toList();
        return "Information about " + what + " is kept from everyone except " + String.join(", ", names) + ".";
    }

    /** Who made the last change, as the person reading the page would say it. */
    private String channelWords(ConsentRecord r, PatientPages.Acting a) {
        String who = registers.person(r.recordedBy()).map(Person::name).orElse(r.recordedBy());
        boolean ownPage = a.patient().equals(a.person().nhsNumber());
        String patient = ownPage ? "you" : a.banner().patientName();
        String behalf = ownPage ? "your" : "their";
        if (r.recordedBy().equals(a.person().id())) {
            who = "you";
        }
        return switch (r.channel()) {
            case PATIENT -> patient;
            case PROXY -> who + ", acting for " + patient;
            case ASSISTED -> who + ", on " + behalf + " behalf (by phone or at the desk)";
        };
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Applies the form, if this person may change these choices; only the three groups change. */
    Outcome change(PatientPages.Acting a, Person person, Context ctx) {
        ConsentAuthority.Verdict verdict = authority.mayChange(person, a.purpose(), a.patient());
        if (!verdict.allowed()) {
            return new Outcome(List.of(), -1, verdict.text());
        }
        ConsentRecord current = consents.current(a.patient());
        EnumSet<PurposeGroup> refused = current.choices().refusedPurposes().isEmpty() ? EnumSet.noneOf(PurposeGroup.class)
                : EnumSet.copyOf(current.choices().refusedPurposes());
        List<String> changes = new ArrayList<>();
        for (Group g : Group.values()) {
            String answer = ctx.formParam(g.field);
            if (answer == null) {
                continue; // not on the form: unchanged
            }
            boolean no = answer.equals("no");
            if (!no && !answer.equals("yes")) {
                return new Outcome(List.of(), -1, "The form sent an answer this page does not know.");
            }
            if (no && refused.add(g.group)) {
                changes.add(g.effectIfRefused);
            } else if (!no && refused.remove(g.group)) {
                changes.add(g.effectIfAllowed);
            }
        }
        if (changes.isEmpty()) {
            return new Outcome(List.of(), -1, null);
        }
        ConsentChoices next = new ConsentChoices(refused, current.choices().refusedOrganisations(), current.choices().withheldCategories());
        ConsentRecord recorded = consents.replace(a.patient(), next, person.id(), verdict.channel());
        return new Outcome(changes, recorded.ledgerIndex(), null);
    }
}
