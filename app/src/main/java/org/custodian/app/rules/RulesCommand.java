package org.custodian.app.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.cli.DataOptions;
import org.custodian.app.database.Database;
import org.custodian.app.serve.Databases;
import org.custodian.core.changes.DatabaseNotifications;
import org.custodian.core.rules.GovernedRule;
import org.custodian.core.rules.GovernedRuleSet;
import org.custodian.core.rules.GovernedRuleStore;
import org.custodian.core.rules.GovernedRulesJson;
import org.custodian.core.rules.StatutoryRule;
import org.custodian.ledger.entry.CanonicalJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code custodian rules}: the rules the gate applies; changing the governed rules, recorded. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Show the rules in force; change the governed rules (each change is a ledger entry).",
        subcommands = {RulesCommand.Show.class, RulesCommand.Set.class})
public final class RulesCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    private static GovernedRuleStore store(Database database) {
        // Not listening: an administrator command reads the database every time, never a cache.
        return new GovernedRuleStore(database.dataSource(), new DatabaseNotifications(database.dataSource()), Clock.systemUTC());
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Prints the statutory rules (fixed in code) and the governed rules in force.")
    static final class Show implements Callable<Integer> {
        @Mixin
        DataOptions data;

        @Option(names = "--json", description = "print the governed rules as JSON (the form `rules set` reads)")
        boolean json;

        @Override
        public Integer call() {
            try (Database database = Databases.open(data, true)) {
                GovernedRuleSet rules = store(database).current();
                if (json) {
                    System.out.println(CanonicalJson.canonicalString(rules.toJson()));
                    return 0;
                }
                System.out.println("Statutory rules (fixed in code; nothing can permit what they forbid):");
                for (StatutoryRule r : StatutoryRule.values()) {
                    System.out.println("  " + r.code() + ": " + r.text());
                }
                System.out.println();
                System.out.println("Governed rules, version " + rules.version() + " (what secondary use may be permitted, and on what conditions):");
                for (GovernedRule r : rules.rules()) {
                    System.out.println("  " + r.id() + ": " + r.description());
                    System.out.println("      sectors " + r.sectors().stream().map(s -> s.code()).toList() + ", purposes "
                            + r.purposes().stream().map(p -> p.code()).toList() + ", forms " + r.forms().stream().map(f -> f.code()).toList()
                            + (r.requiresProject() ? ", approved project required" : "")
                            + (r.requiresEthicsReference() ? ", ethics approval required" : "")
                            + ", counts below " + r.minimumCount() + " suppressed");
                }
                System.out.println();
                System.out.println("Secondary use no governed rule covers is refused; the patient's choices apply after the rules.");
                return 0;
            }
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Makes the rules in FILE the governed rules in force, as the next version, recorded in the ledger.",
                "FILE is JSON: {\"rules\":[{\"id\",\"description\",\"sectors\",\"purposes\",\"forms\",\"requiresProject\",",
                "\"requiresEthicsReference\",\"minimumCount\"}]} (`rules show --json` prints the current ones).",
                "Until the representative panel exists, this administrator command is how rules change."})
    static final class Set implements Callable<Integer> {
        @Mixin
        DataOptions data;

        @Parameters(paramLabel = "FILE", description = "the rules file")
        Path file;

        @Option(names = "--by", required = true, paramLabel = "NAME", description = "who made this change (recorded in the ledger)")
        String by;

        @Option(names = "--expect-version", required = true, paramLabel = "N",
                description = "the version the change was drafted against; refused if the rules changed since")
        int expectVersion;

        @Override
        public Integer call() {
            List<GovernedRule> rules;
            try {
                rules = GovernedRulesJson.rules(CanonicalJson.parse(Files.readAllBytes(file)));
            } catch (IOException e) {
                throw new CommandFailure(CommandFailure.USAGE, "cannot read " + file + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(file + " is refused; nothing was changed:\n" + e.getMessage());
            }
            if (by.isBlank()) {
                throw new CommandFailure(CommandFailure.USAGE, "--by must name who made the change");
            }
            try (Database database = Databases.open(data, true)) {
                GovernedRuleStore store = store(database);
                int before = store.current().version();
                GovernedRuleSet after;
                try {
                    after = store.replace(rules, by, expectVersion);
                } catch (IllegalStateException e) {
                    throw new CommandFailure(e.getMessage());
                }
                if (after.version() == before) {
                    System.out.println("The rules in " + file + " are already in force (version " + before + "); nothing changed.");
                } else {
                    System.out.println("Governed rules are now version " + after.version() + " (" + after.rules().size()
                            + " rules), recorded in the ledger; every server applies them within a second.");
                }
                return 0;
            }
        }
    }
}
