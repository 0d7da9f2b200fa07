package org.custodian.server.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;

/**
 * axe-core, injected into the page the browser shows and run there. The script is the npm package's
 * {@code axe.min.js}, kept with its licence in test resources ({@code axe-core/README.md} says where it
 * came from); it is checked against the hash axe-core publishes for that version, so a damaged or
 * edited copy fails loudly instead of checking less.
 */
final class Axe {
    static final String VERSION = "4.14.1";
    /** {@code axe.min.js} 4.14.1, from the package's own {@code sri-history.json}. */
    private static final String SHA_256 = "KTSJmUUM3yhJqOcLeRL8LahahJ2jnA0NU5T1HUqe2Vw=";
    private static final String RESOURCE = "axe-core/axe.min.js";

    /**
     * WCAG 2.0, 2.1 and 2.2 at levels A and AA, and Deque's best practices. axe has no rule tagged
     * {@code wcag22a} today (WCAG 2.2's new level-A criteria need a person to judge); it is asked for so
     * that a later axe's rules are not missed, and axe only logs a tag it does not know.
     */
    static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice");

    /**
     * Runs axe on the whole document and hands back plain values: every violation and every result that
     * needs review with all their elements; passes and inapplicable rules are left out.
     */
    private static final String RUN = """
            const tags = arguments[0];
            const done = arguments[arguments.length - 1];
            const rules = list => list.map(rule => ({
              id: rule.id, impact: rule.impact || '', help: rule.help, helpUrl: rule.helpUrl, tags: rule.tags,
              nodes: rule.nodes.map(node => ({
                target: node.target.flat(Infinity).map(String), html: node.html, failureSummary: node.failureSummary || ''
              }))
            }));
            axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations', 'incomplete']})
              .then(r => done({url: r.url, version: r.testEngine.version, violations: rules(r.violations), incomplete: rules(r.incomplete)}))
              .catch(e => done({error: String((e && e.stack) || e)}));
            """;

    private static final String SOURCE = load();

    private Axe() {}

    /** Injects axe into the current page (once per page) and runs it. */
    static AxeResults run(JavascriptExecutor page) {
        if (!Boolean.TRUE.equals(page.executeScript("return typeof window.axe === 'object';"))) {
            page.executeScript(SOURCE);
        }
        Object raw = page.executeAsyncScript(RUN, TAGS);
        if (!(raw instanceof Map<?, ?> result)) {
            throw new IllegalStateException("axe-core returned " + raw + " instead of its results");
        }
        if (result.get("error") != null) {
            throw new IllegalStateException("axe-core failed: " + result.get("error"));
        }
        return new AxeResults(string(result, "url"), string(result, "version"), rules(result.get("violations")),
                rules(result.get("incomplete")));
    }

    private static List<AxeResults.Rule> rules(Object list) {
        return ((List<?>) list).stream().map(o -> (Map<?, ?>) o).map(rule -> new AxeResults.Rule(
                string(rule, "id"), string(rule, "impact"), string(rule, "help"), string(rule, "helpUrl"),
                strings(rule.get("tags")),
                ((List<?>) rule.get("nodes")).stream().map(o -> (Map<?, ?>) o).map(node -> new AxeResults.Node(
                        strings(node.get("target")), string(node, "html"), string(node, "failureSummary"))).toList()))
                .toList();
    }

    private static String string(Map<?, ?> map, String key) {
        Object value = map.get(key);
        return value == null ? "" : value.toString();
    }

    private static List<String> strings(Object list) {
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }

    private static String load() {
        try (InputStream in = Axe.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("axe-core is missing from the test resources: " + RESOURCE);
            }
            byte[] script = in.readAllBytes();
            String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(script));
            if (!hash.equals(SHA_256)) {
                throw new IllegalStateException("axe.min.js is not axe-core " + VERSION + " as published (sha256-" + hash
                        + ", expected sha256-" + SHA_256 + "); see axe-core/README.md in the test resources");
            }
            return new String(script, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
