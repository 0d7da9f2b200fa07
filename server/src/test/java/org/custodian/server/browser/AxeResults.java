package org.custodian.server.browser;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What axe-core found on one page: the rules it saw broken ({@code violations}) and those it could not
 * decide without a person ({@code incomplete}, "needs review").
 *
 * @param url the page axe ran on
 * @param axeVersion the axe-core version that ran
 */
public record AxeResults(String url, String axeVersion, List<Rule> violations, List<Rule> incomplete) {
    /** Impacts that fail a test; {@code moderate} and {@code minor} are only logged. */
    public static final Set<String> FAILING_IMPACTS = Set.of("critical", "serious");

    public AxeResults {
        requireNonNull(url, "url is null");
        requireNonNull(axeVersion, "axeVersion is null");
        violations = List.copyOf(violations);
        incomplete = List.copyOf(incomplete);
    }

    /** The violations with impact serious or critical. */
    public List<Rule> failing() {
        return violations.stream().filter(r -> FAILING_IMPACTS.contains(r.impact())).toList();
    }

    /** The violations with impact moderate or minor (or none given). */
    public List<Rule> lesser() {
        return violations.stream().filter(r -> !FAILING_IMPACTS.contains(r.impact())).toList();
    }

    /** The ids of every violated rule, e.g. {@code image-alt}. */
    public Set<String> violatedRuleIds() {
        return violations.stream().map(Rule::id).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * One axe rule and the elements it applies to.
     *
     * @param impact {@code critical}, {@code serious}, {@code moderate}, {@code minor}, or "" when axe gives none
     */
    public record Rule(String id, String impact, String help, String helpUrl, List<String> tags, List<Node> nodes) {
        public Rule {
            requireNonNull(id, "id is null");
            requireNonNull(impact, "impact is null");
            requireNonNull(help, "help is null");
            requireNonNull(helpUrl, "helpUrl is null");
            tags = List.copyOf(tags);
            nodes = List.copyOf(nodes);
        }

        /** Several lines: the rule, then each element's selector and what to fix. */
        public String describe() {
            StringBuilder out = new StringBuilder();
            out.append('[').append(impact.isEmpty() ? "no impact" : impact).append("] ").append(id).append(": ")
                    .append(help).append(" (").append(helpUrl).append(")\n");
            for (Node node : nodes) {
                out.append("    at ").append(node.selector()).append('\n');
                out.append("       ").append(node.html()).append('\n');
                if (!node.failureSummary().isEmpty()) {
                    out.append("       ").append(node.failureSummary().replace("\n", "\n       ")).append('\n');
                }
            }
            return out.toString();
        }
    }

    /**
     * One element a rule applies to.
     *
     * @param target axe's selector path: one CSS selector per document or shadow root, outermost first
     * @param html the start of the element's markup
     * @param failureSummary what to fix, in axe's words ("" for elements that need review)
     */
    public record Node(List<String> target, String html, String failureSummary) {
        public Node {
            target = List.copyOf(target);
            requireNonNull(html, "html is null");
            requireNonNull(failureSummary, "failureSummary is null");
        }

        public String selector() {
            return String.join(" >>> ", target);
        }
    }
}
