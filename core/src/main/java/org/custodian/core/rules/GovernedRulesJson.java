package org.custodian.core.rules;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.custodian.core.registers.Sector;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;

/**
 * Reads a governed rules file: {"rules":[{"id","description","sectors":[...],"purposes":[...],
 * "forms":[...],"requiresProject","requiresEthicsReference","minimumCount"}]} (a "version" member,
 * as {@link GovernedRuleSet#toJson} writes it, is allowed and ignored: the store numbers versions).
 * Every problem is reported, naming the rule.
 */
public final class GovernedRulesJson {
    private static final Set<String> TOP = Set.of("version", "rules");
    private static final Set<String> RULE = Set.of("id", "description", "sectors", "purposes", "forms",
            "requiresProject", "requiresEthicsReference", "minimumCount");

    private GovernedRulesJson() {}

    /** The rules in the file, or IllegalArgumentException listing every problem, one per line. */
    public static List<GovernedRule> rules(Object json) {
        List<String> problems = new ArrayList<>();
        List<GovernedRule> rules = new ArrayList<>();
        if (!(json instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException("a rules file is a JSON object with a \"rules\" array");
        }
        for (Object key : top.keySet()) {
            if (!TOP.contains(key)) {
                problems.add("unknown field \"" + key + "\" (expected \"rules\")");
            }
        }
        if (!(top.get("rules") instanceof List<?> list)) {
            problems.add("\"rules\" must be an array");
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        for (int i = 0; i < list.size(); i++) {
            String where = "rules[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> r)) {
                problems.add(where + ": must be an object");
                continue;
            }
            if (r.get("id") instanceof String id) {
                where += " (\"" + id + "\")";
            }
            int before = problems.size();
            for (Object key : r.keySet()) {
                if (!RULE.contains(key)) {
                    problems.add(where + ": unknown field \"" + key + "\"");
                }
            }
            String id = string(r, "id", where, problems);
            String description = string(r, "description", where, problems);
            Set<Sector> sectors = codes(r, "sectors", where, Sector.class, Sector::fromCode, problems);
            Set<Purpose> purposes = codes(r, "purposes", where, Purpose.class, Purpose::fromCode, problems);
            Set<DataForm> forms = codes(r, "forms", where, DataForm.class, DataForm::fromCode, problems);
            boolean project = bool(r, "requiresProject", where, problems);
            boolean ethics = bool(r, "requiresEthicsReference", where, problems);
            long minimum = r.get("minimumCount") == null ? 8 : r.get("minimumCount") instanceof Long l ? l : -1;
            if (minimum < 1 || minimum > 1000) {
                problems.add(where + ": minimumCount must be an integer from 1 to 1000");
            }
            if (problems.size() == before) {
                try {
                    rules.add(new GovernedRule(id, description, sectors, purposes, forms, project, ethics, (int) minimum));
                } catch (IllegalArgumentException e) {
                    problems.add(where + ": " + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return rules;
    }

    private static String string(Map<?, ?> r, String name, String where, List<String> problems) {
        if (r.get(name) instanceof String s && !s.isBlank()) {
            return s;
        }
        problems.add(where + ": \"" + name + "\" must be a non-empty string");
        return null;
    }

    private static boolean bool(Map<?, ?> r, String name, String where, List<String> problems) {
        Object v = r.get(name);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        problems.add(where + ": \"" + name + "\" must be true or false");
        return false;
    }

    private static <E extends Enum<E>> Set<E> codes(Map<?, ?> r, String name, String where, Class<E> type,
            Function<String, java.util.Optional<E>> parse, List<String> problems) {
        EnumSet<E> out = EnumSet.noneOf(type);
        if (!(r.get(name) instanceof List<?> list) || list.isEmpty()) {
            problems.add(where + ": \"" + name + "\" must be a non-empty array");
            return out;
        }
        for (Object o : list) {
            java.util.Optional<E> value = o instanceof String s ? parse.apply(s) : java.util.Optional.empty();
            if (value.isEmpty()) {
                problems.add(where + ": unknown " + name.substring(0, name.length() - 1) + " " + CanonicalText.of(o));
            } else {
                out.add(value.get());
            }
        }
        return out;
    }

    /** JSON-ish text of a value for messages. */
    private static final class CanonicalText {
        static String of(Object o) {
            return o instanceof String s ? "\"" + s + "\"" : String.valueOf(o);
        }
    }
}
