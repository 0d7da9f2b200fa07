package org.custodian.core.consent;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custodian.core.vocabulary.PurposeGroup;
import org.custodian.core.vocabulary.SensitiveCategory;

/**
 * Custodian's own JSON form of {@link ConsentChoices}, as stored and as recorded in the ledger:
 * {"refusedPurposes":["research"],"refusedOrganisations":["X1"],"withheldCategories":{"PSY":["dr-1"]}}.
 * (The API speaks FHIR Consent; this form is internal and canonical.)
 */
public final class ConsentJson {
    private ConsentJson() {}

    public static Map<String, Object> toJson(ConsentChoices c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("refusedPurposes", c.refusedPurposes().stream().map(PurposeGroup::code).toList());
        m.put("refusedOrganisations", List.copyOf(c.refusedOrganisations()));
        Map<String, Object> withheld = new LinkedHashMap<>();
        c.withheldCategories().forEach((category, allowed) -> withheld.put(category.code(), List.copyOf(allowed)));
        m.put("withheldCategories", withheld);
        return m;
    }

    /** Reads the form {@link #toJson} writes; throws IllegalArgumentException naming what is wrong. */
    public static ConsentChoices fromJson(Object json) {
        if (!(json instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("consent choices must be a JSON object");
        }
        for (Object key : m.keySet()) {
            if (!Set.of("refusedPurposes", "refusedOrganisations", "withheldCategories").contains(key)) {
                throw new IllegalArgumentException("unknown field \"" + key + "\" in consent choices");
            }
        }
        Set<PurposeGroup> purposes = new LinkedHashSet<>();
        for (String code : strings(m.get("refusedPurposes"), "refusedPurposes")) {
            purposes.add(PurposeGroup.fromCode(code).orElseThrow(
                    () -> new IllegalArgumentException("unknown purpose group \"" + code + "\"")));
        }
        Set<String> organisations = new LinkedHashSet<>(strings(m.get("refusedOrganisations"), "refusedOrganisations"));
        Map<SensitiveCategory, Set<String>> withheld = new EnumMap<>(SensitiveCategory.class);
        Object w = m.get("withheldCategories");
        if (w != null) {
            if (!(w instanceof Map<?, ?> wm)) {
                throw new IllegalArgumentException("withheldCategories must be an object");
            }
            for (Map.Entry<?, ?> e : wm.entrySet()) {
                SensitiveCategory category = SensitiveCategory.fromCode((String) e.getKey()).orElseThrow(
                        () -> new IllegalArgumentException("unknown sensitive category \"" + e.getKey() + "\""));
                withheld.put(category, new LinkedHashSet<>(strings(e.getValue(), "withheldCategories." + e.getKey())));
            }
        }
        return new ConsentChoices(purposes, organisations, withheld);
    }

    private static List<String> strings(Object value, String name) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(name + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw new IllegalArgumentException(name + " must be an array of strings");
            }
            out.add(s);
        }
        return out;
    }
}
