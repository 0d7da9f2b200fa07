package org.custodian.server.rules;

import static java.util.Objects.requireNonNull;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custodian.core.decisions.Policy;
import org.custodian.core.rules.GovernedRuleSet;
import org.custodian.core.rules.GovernedRuleStore;
import org.custodian.core.rules.Reason;
import org.custodian.core.rules.StatutoryRule;
import org.custodian.server.http.Problems;

/**
 * {@code GET /api/rules}: the rules in force, public: the statutory rules (fixed in code), the
 * governed rules (versioned data) and the meaning of every reason code a decision can give.
 */
public final class RulesRoutes {
    private final GovernedRuleStore rules;

    public RulesRoutes(GovernedRuleStore rules) {
        this.rules = requireNonNull(rules, "rules is null");
    }

    public void register(JavalinConfig config) {
        config.routes.get("/api/rules", this::rules);
    }

    private void rules(Context ctx) {
        GovernedRuleSet governed = rules.current();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("statutory", java.util.Arrays.stream(StatutoryRule.values()).map(r -> reason(r.reason())).toList());
        out.put("governed", governed.toJson());
        List<Object> reasons = new java.util.ArrayList<>();
        Policy.fixedReasons().forEach(r -> reasons.add(reason(r)));
        out.put("reasons", reasons);
        Problems.json(ctx, out);
    }

    private static Map<String, Object> reason(Reason r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", r.code());
        m.put("text", r.text());
        return m;
    }
}
