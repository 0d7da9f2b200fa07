package org.custodian.app.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.custodian.app.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custodian rules}: the rules in force, and changing the governed rules as a recorded, checked change. */
class TestRulesCommand {
    @TempDir
    Path dir;

    @Test
    void showsTheRulesAndRecordsAChangeDraftedAgainstTheCurrentVersion() throws Exception {
        String data = dir.resolve("data").toString();
        Cli.Result shown = Cli.run("rules", "show", "--data", data).exits(0).showsNoJavaInternals();
        assertTrue(shown.out().contains("statutory.no-sale-or-marketing"), shown.out());
        assertTrue(shown.out().contains("Governed rules, version 1"), shown.out());

        Cli.Result json = Cli.run("rules", "show", "--json", "--data", data).exits(0);
        // Drop the planning rule and record that as version 2.
        String withoutPlanning = json.out().replaceAll(",\\{\"description\":\"NHS commissioners[^}]*\\}", "");
        assertTrue(!withoutPlanning.equals(json.out()), "the planning rule was removed from " + json.out());
        Path file = dir.resolve("rules.json");
        Files.writeString(file, withoutPlanning);
        Cli.run("rules", "set", file.toString(), "--by", "Jo Admin", "--expect-version", "1", "--data", data).exits(0);
        assertTrue(Cli.run("rules", "show", "--data", data).exits(0).out().contains("Governed rules, version 2"));

        // Setting the same rules again is not a change.
        Cli.Result same = Cli.run("rules", "set", file.toString(), "--by", "Jo Admin", "--expect-version", "2", "--data", data).exits(0);
        assertTrue(same.out().contains("already in force"), same.out());
        // A different change drafted against version 1: refused, nothing changed.
        Path original = dir.resolve("original.json");
        Files.writeString(original, json.out());
        Cli.Result stale = Cli.run("rules", "set", original.toString(), "--by", "Jo Admin", "--expect-version", "1", "--data", data)
                .exits(1).showsNoJavaInternals();
        assertTrue(stale.err().contains("version 2"), stale.err());
    }

    @Test
    void aBadRulesFileIsRefusedWithEveryProblemAndChangesNothing() throws Exception {
        String data = dir.resolve("data").toString();
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"rules\":[{\"id\":\"open-to-all\",\"description\":\"x\",\"sectors\":[\"private-company\",\"pirates\"],"
                + "\"purposes\":[\"HMARKT\",\"TREAT\"],\"forms\":[\"identifiable\"],\"requiresProject\":\"yes\"}]}");
        Cli.Result refused = Cli.run("rules", "set", file.toString(), "--by", "x", "--expect-version", "1", "--data", data)
                .exits(1).showsNoJavaInternals();
        assertTrue(refused.err().contains("unknown sector \"pirates\""), refused.err());
        assertTrue(refused.err().contains("\"requiresProject\" must be true or false"), refused.err());
        Cli.run("rules", "set", dir.resolve("missing.json").toString(), "--by", "x", "--expect-version", "1", "--data", data).exits(2);
        Cli.run("rules", "set", file.toString(), "--expect-version", "1", "--data", data).exits(2);
    }
}
