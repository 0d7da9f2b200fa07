package org.custodian.app.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.custodian.app.Cli;
import org.custodian.app.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command and subcommand answers --help with its usage, exit status 0 and nothing on standard error: no
 * formatting warning from a description (a '%' not written '%%' makes picocli complain and print the raw text).
 */
class TestEveryCommandsHelp {
    @Test
    void everyCommandsHelpIsCleanUsage() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new Main()), new ArrayList<>(), paths);
        assertTrue(paths.size() > 20, "every command was found: " + paths);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Cli.Result r = Cli.run(args.toArray(String[]::new)).exits(0);
            assertTrue(r.out().startsWith("Usage: custodian"), String.join(" ", args) + ": " + r);
            assertFalse(r.err().contains("WARN"), String.join(" ", args) + " warns: " + r.err());
        }
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> out) {
        for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
            if (sub.getValue().getCommandSpec().aliases().length > 0 && List.of(sub.getValue().getCommandSpec().aliases()).contains(sub.getKey())) {
                continue;
            }
            List<String> next = new ArrayList<>(path);
            next.add(sub.getKey());
            if (!sub.getKey().equals("help")) {
                out.add(next);
            }
            collect(sub.getValue(), next, out);
        }
    }
}
