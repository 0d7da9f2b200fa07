package org.custodian.app.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.cli.DataOptions;
import org.custodian.app.database.Database;
import org.custodian.app.records.Progress;
import org.custodian.app.serve.Databases;
import org.custodian.core.audit.AgreementAudit;
import org.custodian.core.audit.AuditReport;
import org.custodian.core.audit.AuditReportJson;
import org.custodian.core.audit.AuditUnavailableException;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.server.audit.AuditModel;
import org.custodian.server.pages.Stylesheet;
import org.custodian.server.pages.Templates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code custodian audit}: independent audits computed from the ledger (issue 6, item 4). */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Independent audits from the ledger: what was done under a data-sharing agreement, and whether it kept to it.",
        subcommands = {AuditCommand.AgreementCommand.class})
public final class AuditCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    public enum Format {
        text, json, html
    }

    @Command(name = "agreement", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"The audit of one data-sharing agreement over a period (days in UTC, as the gate dates decisions): the agreement as",
                "registered and its changes; what was decided under it by month (patients, resource types, purposes, forms, permits,",
                "refusals by reason); whether every permit fell within the agreement and the patient's choices as they stood at the time;",
                "payments and other benefits; and the findings, each with its ledger indexes. Computed at one signed checkpoint (the latest,",
                "or --checkpoint), counting only entries below it, so that anyone with the same access can reproduce it.",
                "Running it is recorded in the ledger (audit.run). Works while the server runs."})
    static final class AgreementCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "the agreement's id, as in the agreements register")
        String id;

        @Option(names = "--from", required = true, paramLabel = "DATE", description = "first day of the period, yyyy-MM-dd (UTC)")
        String from;

        @Option(names = "--to", required = true, paramLabel = "DATE", description = "last day of the period, yyyy-MM-dd (UTC), inclusive")
        String to;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text, json or html (default: ${DEFAULT-VALUE})")
        Format format;

        @Option(names = "--out", paramLabel = "FILE", description = "write the report here (default: standard output)")
        Path out;

        @Option(names = "--checkpoint", paramLabel = "SIZE",
                description = "compute at the stored checkpoint of this tree size, to reproduce an earlier report (default: the latest)")
        Long checkpointSize;

        @Mixin
        DataOptions data;

        @Override
        public Integer call() throws IOException {
            // Everything that can be checked without the database is checked first: bad input touches nothing.
            LocalDate fromDay = day("--from", from);
            LocalDate toDay = day("--to", to);
            if (toDay.isBefore(fromDay)) {
                throw new CommandFailure("--to " + toDay + " is before --from " + fromDay + ": the period must not end before it starts");
            }
            if (out != null && out.toAbsolutePath().getParent() != null && !Files.isDirectory(out.toAbsolutePath().getParent())) {
                throw new CommandFailure(out + ": the directory " + out.toAbsolutePath().getParent() + " does not exist");
            }
            Progress progress = Progress.onStandardStreams();
            PrintStream err = System.err;
            long started = System.nanoTime();
            try (Database database = Databases.open(data, false)) {
                PostgresLogStore ledger = new PostgresLogStore(database.dataSource());
                PublishedCheckpoint checkpoint = checkpointSize == null
                        ? ledger.latestCheckpoint().orElseThrow(() -> new CommandFailure("the ledger has no signed checkpoint yet: start the server once"))
                        : ledger.checkpoint(checkpointSize).orElseThrow(() -> new CommandFailure("there is no stored checkpoint of size " + checkpointSize
                                + " (the latest is " + ledger.latestCheckpoint().map(c -> Long.toString(c.size())).orElse("none") + ")"));
                String origin = ledger.identity().map(i -> i[0]).orElse("custodian");
                err.println("Auditing agreement " + id + " from " + fromDay + " to " + toDay + " at checkpoint " + checkpoint.size() + " ("
                        + database.description() + ")...");
                AuditReport report;
                try {
                    report = new AgreementAudit(database.dataSource()).run(id, fromDay, toDay, origin, checkpoint, progress::update);
                } catch (IllegalArgumentException e) {
                    throw new CommandFailure(e.getMessage());
                } catch (AuditUnavailableException e) {
                    throw new CommandFailure(e.getMessage());
                }
                progress.clear();
                byte[] rendered = render(report).getBytes(StandardCharsets.UTF_8);

                // Written beside the destination first, then recorded, then moved into place: a report that could not be
                // recorded is not delivered.
                Path temporary = null;
                if (out != null) {
                    Path target = out.toAbsolutePath();
                    temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
                    Files.write(temporary, rendered);
                }
                long index;
                try {
                    index = record(database, ledger, report);
                } catch (RuntimeException e) {
                    if (temporary != null) {
                        Files.deleteIfExists(temporary);
                    }
                    throw e;
                }
                if (out != null) {
                    Files.move(temporary, out.toAbsolutePath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    System.out.write(rendered);
                    System.out.flush();
                }
                err.printf("%s under %s: %d decisions, %d findings, at checkpoint %d; recorded in ledger entry %d%s. Time: %s%n",
                        report.from() + " to " + report.to(), id, report.total().decisions(), report.findings().size(), checkpoint.size(), index,
                        out == null ? "" : "; written to " + out, Progress.seconds((System.nanoTime() - started) / 1e9));
                return 0;
            }
        }

        private String render(AuditReport report) {
            return switch (format) {
                case json -> CanonicalJson.canonicalString(AuditReportJson.toJson(report)) + "\n";
                case text -> AuditModel.of(report, AuditModel.command(report)).toText();
                case html -> Templates.render("auditfile.jte", new AuditModel.Document(AuditModel.of(report, AuditModel.command(report)),
                        Stylesheet.css()));
            };
        }

        private long record(Database database, PostgresLogStore ledger, AuditReport report) {
            Map<String, Object> who = new LinkedHashMap<>();
            who.put("operator", operator());
            try (Connection c = database.dataSource().getConnection()) {
                c.setAutoCommit(false);
                long index = ledger.appendWithin(c, AgreementAudit.runEntry(report, who, format.name(), "cli", Clock.systemUTC().instant()));
                c.commit();
                return index;
            } catch (SQLException e) {
                throw new CommandFailure("cannot record the audit in the ledger, so it is not delivered: " + e.getMessage());
            }
        }

        private static LocalDate day(String option, String value) {
            try {
                return LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                throw new CommandFailure(option + " \"" + value + "\" is not a date: write it as yyyy-MM-dd, e.g. 2026-09-01");
            }
        }

        private static String operator() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "localhost";
            }
            return System.getProperty("user.name", "unknown") + "@" + host;
        }
    }
}
