package org.custodian.server.patients;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.custodian.core.consent.ConsentChoices;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Registers;

/**
 * A patient's current choices as plain statements, in the words of the "My choices" page, for paper
 * letters: the same choice reads the same on screen and on paper.
 */
public final class ChoiceStatements {
    private ChoiceStatements() {}

    /** Each choice as {@code {subject, statement}}. */
    public static List<String[]> of(ConsentChoices choices, Registers registers) {
        List<String[]> out = new ArrayList<>();
        for (ChoicesPage.Group g : ChoicesPage.Group.values()) {
            boolean refused = choices.refusedPurposes().contains(g.group);
            String effect = (refused ? g.effectIfRefused : g.effectIfAllowed).replace("From now on, ", "");
            out.add(new String[] {g.name, (refused ? "You have said no. " : "You have not said no. ")
                    + Character.toUpperCase(effect.charAt(0)) + effect.substring(1)});
        }
        for (String orgId : choices.refusedOrganisations()) {
            out.add(new String[] {registers.organisation(orgId).map(Organisation::name).orElse(orgId),
                    "You have said no to this organisation for every purpose, even as a processor for the NHS."});
        }
        for (Map.Entry<org.custodian.core.vocabulary.SensitiveCategory, java.util.Set<String>> e : choices.withheldCategories().entrySet()) {
            List<String> names = e.getValue().stream().map(id -> registers.person(id).map(Person::name).orElse(id)).sorted().toList();
            out.add(new String[] {"Information about " + e.getKey().words(), names.isEmpty() ? "Kept from everyone."
                    : "Kept from everyone except " + String.join(", ", names) + "."});
        }
        return out;
    }
}
