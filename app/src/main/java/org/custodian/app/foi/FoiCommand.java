package org.custodian.app.foi;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.cli.DataOptions;
import org.custodian.app.database.Database;
import org.custodian.app.serve.Databases;
import org.custodian.core.foi.FoiAnswers;
import org.custodian.core.foi.FoiPeriod;
import org.custodian.core.registers.PublicRegisters;
import org.custodian.core.registers.RegistersUnavailableException;
import org.custodian.core.statistics.StatisticsCounter;
import org.custodian.core.statistics.StatisticsUnavailableException;
import org.custodian.server.transparency.FoiDocuments;
import org.custodian.server.transparency.FoiPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code custodian foi}: the FOI-ready answers of {@code /transparency/foi} for a period, as a file: a self-contained
 * HTML page, a tagged PDF/UA, or CSV. The period and format are checked before anything is read, and the file is
 * written only once the whole document is made, so a failure leaves nothing behind.
 */
@Command(name = "foi", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Answers the questions campaigners put to Integrated Care Boards, from live data: which organisations and",
            "private companies receive or process patients' data and for what; the legal basis and agreements; how opt-outs are",
            "applied and how many people opted out; algorithms; what flows to other government departments; where the data is",
            "hosted. Every count through the small-number rule; the document names the ledger tree size it is as of.",
            "Works while the server runs."})
public final class FoiCommand implements Callable<Integer> {
    @Option(names = "--from", paramLabel = "DATE", description = "first day, YYYY-MM-DD (default: the first day of the last 12 complete months)")
    String from;

    @Option(names = "--to", paramLabel = "DATE", description = "last day, YYYY-MM-DD, included (default: the last day of the last complete month)")
    String to;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "html", description = "html, pdf or csv (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "where to write it (default: standard output)")
    Path out;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws IOException {
        Clock clock = Clock.systemUTC();
        String f = format.toLowerCase(Locale.ROOT);
        if (!f.equals("html") && !f.equals("pdf") && !f.equals("csv")) {
            throw new CommandFailure("--format \"" + (format.length() > 20 ? format.substring(0, 20) + "..." : format)
                    + "\" is not a format: give html, pdf or csv");
        }
        FoiPeriod defaults = FoiPeriod.lastTwelveCompleteMonths(clock);
        FoiPeriod period;
        try {
            period = FoiPeriod.parse(from == null ? defaults.from().toString() : from, to == null ? defaults.to().toString() : to, "--from", "--to");
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage());
        }
        if (out != null && Files.isDirectory(out)) {
            throw new CommandFailure(out + " is a directory: give --out a file name");
        }
        byte[] document;
        long asOf;
        try (Database database = Databases.open(data, false)) {
            // Count up to the integrated tree first: with no server running, nobody else does.
            new StatisticsCounter(database.dataSource()).catchUp();
            FoiAnswers answers = FoiPage.answers(period, new PublicRegisters(database.dataSource()), database.dataSource(), database.hosting(), clock);
            asOf = answers.entriesCounted();
            document = switch (f) {
                case "csv" -> FoiDocuments.csv(answers).getBytes(StandardCharsets.UTF_8);
                case "pdf" -> FoiDocuments.pdf(answers);
                default -> FoiDocuments.xhtml(answers).getBytes(StandardCharsets.UTF_8);
            };
        } catch (StatisticsUnavailableException | RegistersUnavailableException e) {
            throw new CommandFailure("cannot read the data for the answers: " + e.getMessage());
        }
        if (out == null) {
            OutputStream stdout = System.out;
            stdout.write(document);
            stdout.flush();
            return 0;
        }
        Path target = out.toAbsolutePath();
        Path parent = target.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path partial = Files.createTempFile(parent, ".foi-", ".partial");
        try {
            Files.write(partial, document);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        System.err.println("custodian: the FOI answers for " + period.from() + " to " + period.to() + " (" + f + ") in " + target + ", as of tree size "
                + asOf);
        return 0;
    }
}
