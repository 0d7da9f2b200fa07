package org.custodian.app.records;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.cli.DataOptions;
import org.custodian.app.cli.Failures;
import org.custodian.app.cli.ProfileOptions;
import org.custodian.app.database.Database;
import org.custodian.app.serve.Databases;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.records.index.Sensitivity;
import org.custodian.records.store.Maintenance;
import org.custodian.records.store.RecordStore;
import org.custodian.records.store.RecordsUnavailableException;
import org.custodian.records.transfer.ImportFile;
import org.custodian.records.transfer.ImportListener;
import org.custodian.records.transfer.ImportPlan;
import org.custodian.records.transfer.ImportRefusedException;
import org.custodian.records.transfer.ImportTotals;
import org.custodian.records.transfer.Importer;
import org.custodian.records.write.Preparer;
import org.custodian.records.validate.ProfileValidator;
import org.custodian.records.write.RecordWriter;
import org.custodian.records.write.WriteRefusedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code custodian import FILES|DIRS...}: loads FHIR bundles and NDJSON files into the records. */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Loads clinical records: FHIR batch or transaction bundles (*.json, e.g. Synthea's output) and NDJSON files",
            "(*.ndjson, one resource per line, e.g. what 'custodian export' writes). Directories are searched for both;",
            "directory bundles (providers) load before patients' bundles, Patient files before other NDJSON files.",
            "Ids are kept, and so are versions and times of resources new here, so an export arrives as it left.",
            "Each write is recorded in the ledger, by the operator running this command.",
            "Running it again adds nothing: files already loaded are skipped, and resources already as stored make",
            "no new version. A run that stops part way (a bad line, the database going away) is continued by the next:",
            "a bundle is stored whole or not at all, an NDJSON file in transactions of " + Importer.DEFAULT_CHUNK_LINES + " lines.",
            "Works while the server runs, and against a shared database with --db-url.",
            "With --validate-profiles, every resource is checked against its FHIR profiles first, and a file that is not",
            "valid stops the import as any other refusal does."})
public final class ImportCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Mixin
    ProfileOptions profileOptions;

    @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "bundles (*.json), NDJSON files (*.ndjson), or directories of them")
    List<Path> paths;

    @Override
    public Integer call() {
        List<ImportFile> plan = plan();
        ProfileValidator profiles = profileOptions.validator();
        Progress progress = Progress.onStandardStreams();
        if (profiles.enabled()) {
            progress.note("validating every resource against " + profiles.description());
        }
        Shown shown = new Shown(progress);
        try (Database database = Databases.open(data, true)) {
            DataSource ds = database.dataSource();
            Clock clock = Clock.systemUTC();
            RecordWriter writer = RecordWriter.forOperator(new RecordStore(ds, new PostgresLogStore(ds), clock),
                    new Preparer(Sensitivity.standard(), profiles), clock);
            RecordWriter.Context ctx = new RecordWriter.Context(Operator.author(), null, "import");
            ImportTotals totals = new Importer(writer, ds, clock, Importer.DEFAULT_CHUNK_LINES).run(plan, ctx, shown);
            progress.clear();
            if (totals.created() + totals.updated() >= Maintenance.BULK_LOAD) {
                // So that searches' totals read the index alone from the start, not once autovacuum gets there.
                progress.note("vacuuming and analysing the records' tables after the load ...");
                long t0 = System.nanoTime();
                Maintenance.vacuumAnalyze(ds);
                progress.note("  done in " + Progress.seconds((System.nanoTime() - t0) / 1e9));
            }
            progress.note(summary(totals, false));
            return 0;
        } catch (ImportRefusedException e) {
            return stopped(progress, shown, e.getMessage(), e);
        } catch (RecordsUnavailableException e) {
            return stopped(progress, shown, e.getMessage(), null);
        } catch (IOException e) {
            return stopped(progress, shown, Failures.describe(e), null);
        }
    }

    private List<ImportFile> plan() {
        try {
            List<ImportFile> plan = ImportPlan.of(paths);
            if (plan.isEmpty()) {
                throw new CommandFailure("nothing to import: no bundles (*.json) or NDJSON files (*.ndjson) in " + paths);
            }
            return plan;
        } catch (NoSuchFileException e) {
            throw new CommandFailure(CommandFailure.USAGE, "cannot read " + e.getFile() + ": no such file or directory");
        } catch (IOException e) {
            throw new CommandFailure(CommandFailure.USAGE, "cannot read " + Failures.describe(e));
        } catch (ImportRefusedException e) {
            throw new CommandFailure(e.getMessage() + "; nothing was imported");
        }
    }

    /** Says what failed, what stays, and how to go on; exit 1. */
    private static int stopped(Progress progress, Shown shown, String message, ImportRefusedException refused) {
        progress.clear();
        ImportTotals totals = shown.last;
        if (totals != null) {
            progress.note(summary(totals, true));
        }
        StringBuilder err = new StringBuilder("custodian: ").append(message).append('\n');
        if (refused != null && refused.getCause() instanceof WriteRefusedException w && w.issues().size() > 1) {
            // The reason names the first of the profile validator's errors; here are all it gave.
            err.append("custodian: the profile validator's errors:\n");
            w.issues().forEach(i -> err.append("custodian:   ").append(i).append('\n'));
        }
        if (refused != null) {
            // A bundle is one transaction; an NDJSON file is several, and only the failing one is undone.
            boolean ndjson = refused.file().getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".ndjson");
            String unit = refused.line() > 0 ? "that line's transaction" : ndjson ? "that transaction" : "that file";
            err.append("custodian: nothing of ").append(unit).append(" was stored; what was loaded before it stays.\n");
        }
        err.append("custodian: run the same command again to continue: finished files are skipped, and a file stopped part way")
                .append(" continues after its last committed line.\n");
        byte[] bytes = err.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        System.err.write(bytes, 0, bytes.length);
        System.err.flush();
        return CommandFailure.FAILED;
    }

    /** @param stopped whether the import stopped in a file (which is neither loaded nor skipped) */
    static String summary(ImportTotals t, boolean stopped) {
        int notReached = t.filesTotal() - t.filesLoaded() - t.filesSkipped() - (stopped ? 1 : 0);
        return "files: " + t.filesLoaded() + " loaded, " + t.filesSkipped() + " skipped (already imported)"
                + (stopped ? ", 1 stopped" : "") + (notReached > 0 ? ", " + notReached + " not reached" : "") + "\n"
                + "resources: " + t.created() + " created, " + t.updated() + " updated, " + t.unchanged() + " unchanged\n"
                + "time: " + Progress.seconds(t.elapsed().toMillis() / 1000.0) + " (" + Math.round(t.rate()) + " resources/s)";
    }

    /** Shows the import's progress, and keeps the latest totals for a summary if it stops. */
    private static final class Shown implements ImportListener {
        private final Progress progress;
        ImportTotals last;
        private ImportFile current;

        Shown(Progress progress) {
            this.progress = progress;
        }

        @Override
        public void started(ImportFile file, long resumeAfter, ImportTotals totals) {
            last = totals;
            current = file;
            if (resumeAfter > 0) {
                progress.note("resuming " + file.path() + " after line " + resumeAfter + " (committed by an earlier run)");
            }
            show(totals);
        }

        @Override
        public void skipped(ImportFile file, String why, ImportTotals totals) {
            last = totals;
            progress.note("skipped " + file.path() + ": " + why);
        }

        @Override
        public void committed(ImportFile file, ImportTotals totals) {
            last = totals;
            show(totals);
        }

        @Override
        public void finished(ImportFile file, ImportTotals totals) {
            last = totals;
        }

        private void show(ImportTotals t) {
            int file = t.filesLoaded() + t.filesSkipped() + 1;
            progress.update("importing: file " + file + "/" + t.filesTotal() + ", " + t.resources() + " resources, "
                    + Math.round(t.rate()) + "/s  " + current.path().getFileName());
        }
    }
}
