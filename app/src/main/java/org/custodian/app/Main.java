package org.custodian.app;

import org.custodian.app.bench.BenchCommand;
import org.custodian.app.cli.Failures;
import org.custodian.app.ledger.LedgerCommand;
import org.custodian.app.rules.RulesCommand;
import org.custodian.app.serve.DemoCommand;
import org.custodian.app.serve.ServeCommand;
import org.custodian.app.tlog.TlogCommand;
import org.custodian.app.witness.WitnessCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code custodian} command. */
@Command(
        name = "custodian",
        mixinStandardHelpOptions = true,
        version = "custodian 0.1.0",
        description = "A publicly owned home for health records, with a verifiable public ledger of every use.",
        subcommands = {
            ServeCommand.class,
            DemoCommand.class,
            WitnessCommand.class,
            LedgerCommand.class,
            org.custodian.app.registers.RegisterCommand.class,
            org.custodian.app.registers.UsersCommand.class,
            org.custodian.app.records.ImportCommand.class,
            org.custodian.app.records.ExportCommand.class,
            org.custodian.app.letters.LettersCommand.class,
            org.custodian.app.foi.FoiCommand.class,
            org.custodian.app.audit.AuditCommand.class,
            org.custodian.app.identity.TokenCommand.class,
            TlogCommand.class,
            RulesCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this without exiting the JVM). */
    public static int run(String... args) {
        // One-line log records from java.util.logging (used by the ledger, which depends on the JDK only).
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s - %5$s%6$s%n");
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Failures::handle);
        cli.setParameterExceptionHandler(Failures::handleUsage);
        return cli.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
