package org.custodian.app.registers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.cli.DataOptions;
import org.custodian.app.cli.Failures;
import org.custodian.app.database.Database;
import org.custodian.app.serve.Databases;
import org.custodian.core.registers.ApplyResult;
import org.custodian.core.registers.Register;
import org.custodian.core.registers.RegisterDocument;
import org.custodian.core.registers.RegisterRefusedException;
import org.custodian.core.registers.RegisterSnapshot;
import org.custodian.core.registers.RegisterStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code custodian register FILE.json}: loads or updates the registers, recording each change in the ledger. */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = {"Loads or updates the registers (organisations, people, care relationships, proxies, projects, agreements, and where",
            "the data is hosted) from a JSON file.",
            "Each item that is new or differs from what is stored is written together with a ledger entry recording the change;",
            "items already as stored change nothing, so applying a file again is harmless. A file with any problem is refused",
            "as a whole: every problem is listed and nothing is applied (exit 1). Format: docs/registers.md.",
            "Works while the server runs, and against a shared database with --db-url."})
public final class RegisterCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Parameters(paramLabel = "FILE.json", description = "the register file")
    Path file;

    @Override
    public Integer call() {
        RegisterDocument document = RegisterDocument.parse(read(file));
        if (!document.problems().isEmpty() && !databaseExists()) {
            // Refused in any case: check it against empty registers rather than create a database for it.
            return refused(document.problemsAgainst(RegisterSnapshot.builder().build()));
        }
        ApplyResult result;
        try (Database database = Databases.open(data, true); RegisterStore store = RegisterStore.open(database.dataSource())) {
            result = store.apply(document);
        } catch (RegisterRefusedException e) {
            return refused(e.problems());
        }
        StringBuilder out = new StringBuilder();
        for (Register register : Register.values()) {
            ApplyResult.Counts c = result.counts(register);
            out.append(register.code()).append(": ").append(c.added()).append(" added, ").append(c.updated())
                    .append(" updated, ").append(c.unchanged()).append(" unchanged\n");
        }
        out.append("ledger: ").append(ledgerLine(result.ledgerIndexes())).append('\n');
        Output.print(out.toString());
        return 0;
    }

    private static String ledgerLine(List<Long> indexes) {
        if (indexes.isEmpty()) {
            return "nothing appended (every item was already as stored)";
        }
        if (indexes.size() == 1) {
            return "1 entry appended, index " + indexes.get(0);
        }
        // Other appends (the server's) may fall between ours: the range can hold more than our entries.
        long first = indexes.stream().mapToLong(Long::longValue).min().orElseThrow();
        long last = indexes.stream().mapToLong(Long::longValue).max().orElseThrow();
        return indexes.size() + " entries appended, indexes " + first + " to " + last;
    }

    private int refused(List<String> problems) {
        StringBuilder err = new StringBuilder("custodian: " + file + " refused, nothing applied ("
                + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "):\n");
        problems.forEach(p -> err.append("  ").append(p).append('\n'));
        Output.printError(err.toString());
        return CommandFailure.FAILED;
    }

    private boolean databaseExists() {
        return data.dbUrl() != null || Files.isDirectory(data.dataDir().resolve("pg"));
    }

    /** A file that cannot be read is a mistake on the command line (exit 2), not a refused document. */
    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CommandFailure(CommandFailure.USAGE, "cannot read " + file + ": " + Failures.reason(e));
        }
    }
}
