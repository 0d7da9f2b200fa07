package org.custodian.app.records;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.cli.DataOptions;
import org.custodian.app.database.Database;
import org.custodian.app.serve.Databases;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.records.transfer.ExportListener;
import org.custodian.records.transfer.ExportManifest;
import org.custodian.records.transfer.Exporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code custodian export --out DIR}: writes the records as NDJSON, one file per resource type. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes the current version of every resource (or of the types given) as NDJSON, one file per type",
            "(Patient.ndjson, Observation.ndjson, ...), and manifest.json with each file's count and SHA-256. The files are",
            "read from one snapshot of the database, so they agree with each other while the server runs. The export is",
            "recorded in the ledger (who, how many of each type, the files' digests) before the files get their names.",
            "'custodian import DIR' loads an export into another deployment, where it arrives unchanged."})
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", required = true, description = "where to write the files: a new or empty directory")
    Path out;

    @Option(names = "--type", paramLabel = "TYPE", split = ",", description = "export only these resource types, e.g. --type Patient,Observation")
    List<String> types = List.of();

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws IOException {
        Set<String> wanted = new TreeSet<>(types);
        check(wanted);
        Progress progress = Progress.onStandardStreams();
        try (Database database = Databases.open(data, false)) {
            DataSource ds = database.dataSource();
            ExportListener shown = new ExportListener() {
                @Override
                public void written(String type, long written, long total, double seconds) {
                    progress.update("exporting: " + written + "/" + total + " resources, " + Math.round(seconds > 0 ? written / seconds : 0)
                            + "/s  " + type);
                }
            };
            long start = System.nanoTime();
            ExportManifest m = new Exporter(ds, new PostgresLogStore(ds), Clock.systemUTC()).export(out, wanted, Operator.author(), shown);
            double seconds = (System.nanoTime() - start) / 1e9;
            progress.clear();
            StringBuilder s = new StringBuilder();
            long total = 0;
            for (ExportManifest.Output o : m.output()) {
                s.append(o.type()).append(": ").append(o.count()).append('\n');
                total += o.count();
            }
            s.append("total: ").append(total).append(" resources in ").append(m.output().size()).append(m.output().size() == 1 ? " file" : " files")
                    .append(", as of ").append(m.transactionTime()).append('\n');
            s.append("manifest: ").append(out.resolve(ExportManifest.FILE)).append('\n');
            s.append("ledger: entry ").append(m.ledgerIndex()).append('\n');
            s.append("time: ").append(Progress.seconds(seconds)).append(" (").append(Math.round(seconds > 0 ? total / seconds : 0))
                    .append(" resources/s)");
            progress.note(s.toString());
            return 0;
        }
    }

    /** Refuses a bad type or a directory in use before a database is opened. */
    private void check(Set<String> wanted) throws IOException {
        try {
            Exporter.check(out, wanted);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(CommandFailure.USAGE, e.getMessage());
        } catch (DirectoryNotEmptyException e) {
            throw new CommandFailure(CommandFailure.USAGE, out + " is not empty: export into a new or empty directory");
        }
    }
}
