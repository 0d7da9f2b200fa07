package org.custodian.app.ledger;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.cli.DataOptions;
import org.custodian.app.cli.LogKeys;
import org.custodian.app.serve.Databases;
import org.custodian.app.database.Database;
import org.custodian.ledger.note.NoteVerifier;
import org.custodian.ledger.note.NoteVerifiers;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.verify.LedgerVerifier;
import org.custodian.ledger.verify.VerificationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code custodian ledger}: administrator and auditor commands on a deployment's ledger. */
@Command(name = "ledger", mixinStandardHelpOptions = true,
        description = "Verify the ledger, print its key.",
        subcommands = {LedgerCommand.Verify.class, LedgerCommand.Key.class})
public final class LedgerCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Recomputes the ledger from its entries and checks everything stored.",
                "Checks every entry, tile and stored checkpoint (root and signature). Exits 0 when everything checks out; otherwise lists each",
                "changed, deleted, inserted or reordered entry or hash with its index and exits 1.",
                "Works while the server runs."})
    static final class Verify implements Callable<Integer> {
        @Mixin
        DataOptions data;

        @Option(names = "--key", paramLabel = "VERIFIER_KEY",
                description = "the log's verifier key to trust (default: the key in DIR/keys; an auditor should pass a key obtained independently)")
        String key;

        @Override
        public Integer call() {
            try (Database database = Databases.open(data, false)) {
                PostgresLogStore store = new PostgresLogStore(database.dataSource());
                NoteVerifier verifier = trustedKey(store);
                long started = System.nanoTime();
                System.err.println("Verifying the ledger in " + database.description() + " against " + verifier.name() + "...");
                VerificationReport report = new LedgerVerifier(store, verifier,
                        n -> System.err.printf("  %,d entries checked%n", n)).verify();
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("Entries: %,d (contents erased after retention: %,d); integrated tree size: %,d; checkpoints: %,d (%.1f s)%n",
                        report.entries(), report.erasedContents(), report.treeSize(), report.checkpoints(), seconds);
                if (report.ok()) {
                    System.out.println("OK: every entry, tile and checkpoint verifies.");
                    return 0;
                }
                System.out.println("FAILED: " + (report.problems().size() + report.problemsNotListed()) + " problem(s):");
                for (VerificationReport.Problem p : report.problems()) {
                    System.out.println("  " + p);
                }
                if (report.problemsNotListed() > 0) {
                    System.out.println("  ... and " + report.problemsNotListed() + " more");
                }
                return 1;
            }
        }

        private NoteVerifier trustedKey(PostgresLogStore store) {
            Optional<String[]> identity = store.identity();
            if (identity.isEmpty()) {
                throw new CommandFailure("this database holds no ledger yet (nothing has been served from it)");
            }
            NoteVerifier trusted;
            if (key != null) {
                try {
                    trusted = NoteVerifiers.parse(key.trim());
                } catch (IllegalArgumentException e) {
                    throw new CommandFailure(CommandFailure.USAGE, "--key: " + e.getMessage());
                }
            } else if (java.nio.file.Files.exists(data.keysDir().resolve(LogKeys.FILE))) {
                trusted = LogKeys.load(data.keysDir()).verifier();
            } else {
                System.err.println("Note: no --key given and no key file in " + data.keysDir()
                        + "; trusting the key recorded in the database. Pass --key to check against a key you trust.");
                trusted = NoteVerifiers.parse(identity.get()[1]);
            }
            if (!identity.get()[1].equals(trustedKeyText(trusted, identity.get()[1]))) {
                System.err.println("Warning: the database records the log key " + identity.get()[1]);
            }
            return trusted;
        }

        private static String trustedKeyText(NoteVerifier trusted, String recorded) {
            NoteVerifier other = NoteVerifiers.parse(recorded);
            return other.name().equals(trusted.name()) && other.keyId() == trusted.keyId() ? recorded : "";
        }
    }

    @Command(name = "key", mixinStandardHelpOptions = true,
            description = "Prints the log's verifier key (C2SP signed-note form name+hexkeyid+base64), for witnesses, monitors and auditors.")
    static final class Key implements Callable<Integer> {
        @Option(names = "--data", paramLabel = "DIR", defaultValue = "custodian-data", description = "data directory (default: ${DEFAULT-VALUE})")
        java.nio.file.Path data;

        @Override
        public Integer call() {
            System.out.println(LogKeys.load(data.toAbsolutePath().resolve("keys")).verifierKeyText());
            return 0;
        }
    }
}
