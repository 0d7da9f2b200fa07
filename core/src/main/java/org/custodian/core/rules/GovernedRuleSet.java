package org.custodian.core.rules;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custodian.core.registers.Sector;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;

/**
 * The governed rules in force: versioned data, changed only through a recorded change (by the
 * representative panel; until it exists, an administrator command). Version numbers increase by one
 * with every change.
 */
public record GovernedRuleSet(int version, List<GovernedRule> rules) {

    public GovernedRuleSet {
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1");
        }
        rules = List.copyOf(requireNonNull(rules, "rules is null"));
        Set<String> ids = new HashSet<>();
        for (GovernedRule r : rules) {
            if (!ids.add(r.id())) {
                throw new IllegalArgumentException("rule id \"" + r.id() + "\" appears twice");
            }
        }
    }

    /** The first rule covering this sector, purpose and form, or null. */
    public GovernedRule covering(Sector sector, Purpose purpose, DataForm form) {
        for (GovernedRule r : rules) {
            if (r.covers(sector, purpose, form)) {
                return r;
            }
        }
        return null;
    }

    /**
     * The default rules, following the campaign documents: public-interest research and NHS
     * planning, only through an approved project, pseudonymised or aggregate, always subject to the
     * patient's choice (the gate applies consent after these rules). Nothing else is permitted for
     * secondary use.
     */
    public static GovernedRuleSet defaults() {
        return new GovernedRuleSet(1, List.of(
                new GovernedRule("public-interest-research",
                        "Universities, research charities and the NHS may receive pseudonymised or aggregate data for"
                                + " research, only through an approved project with ethics approval.",
                        EnumSet.of(Sector.PUBLIC_RESEARCH, Sector.NHS_CARE, Sector.NHS_COMMISSIONER),
                        EnumSet.of(Purpose.HRESCH, Purpose.CLINTRCH),
                        EnumSet.of(DataForm.PSEUDONYMISED, DataForm.AGGREGATE),
                        true, true, 8),
                new GovernedRule("nhs-planning",
                        "NHS commissioners and care providers, and local authorities for public health, may receive"
                                + " pseudonymised or aggregate data to plan and improve services, only through an approved project.",
                        EnumSet.of(Sector.NHS_COMMISSIONER, Sector.NHS_CARE, Sector.LOCAL_AUTHORITY),
                        EnumSet.of(Purpose.HOPERAT, Purpose.POPHLTH, Purpose.PUBHLTH, Purpose.HQUALIMP),
                        EnumSet.of(DataForm.PSEUDONYMISED, DataForm.AGGREGATE),
                        true, false, 8)));
    }

    /** The wire form (the rules file and the ledger entry): {"version":N,"rules":[...]}. */
    public Map<String, Object> toJson() {
        List<Object> list = new ArrayList<>();
        for (GovernedRule r : rules) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("description", r.description());
            m.put("sectors", r.sectors().stream().map(Sector::code).toList());
            m.put("purposes", r.purposes().stream().map(Purpose::code).toList());
            m.put("forms", r.forms().stream().map(DataForm::code).toList());
            m.put("requiresProject", r.requiresProject());
            m.put("requiresEthicsReference", r.requiresEthicsReference());
            m.put("minimumCount", (long) r.minimumCount());
            list.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", (long) version);
        m.put("rules", list);
        return m;
    }
}
