package org.custodian.server.transparency;

import static java.util.Objects.requireNonNull;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.custodian.core.foi.FoiAnswers;
import org.custodian.core.foi.FoiPeriod;
import org.custodian.core.foi.FoiQuestions;
import org.custodian.core.foi.Hosting;
import org.custodian.core.registers.PublicRegisters;
import org.custodian.core.registers.RegistersUnavailableException;
import org.custodian.core.statistics.MonthlyCounts;
import org.custodian.core.statistics.StatisticsUnavailableException;
import org.custodian.server.http.Problem;
import org.custodian.server.patients.PageModels;
import org.custodian.server.pages.Templates;

/**
 * {@code /transparency/foi}: the questions campaigners put to Integrated Care Boards, answered from live data, as an
 * accessible page, and the same answers as {@code .csv}. Public, no sign-in. {@code ?from=YYYY-MM-DD&to=YYYY-MM-DD}
 * chooses the period (each defaults to its end of the last twelve complete months); anything else in the query is
 * refused with 400 and a message saying what is wrong.
 */
public final class FoiPage {
    private static final Set<String> PARAMETERS = Set.of("from", "to");

    private final PublicRegisters registers;
    private final DataSource dataSource;
    private final Hosting hosting;
    private final Clock clock;

    public FoiPage(PublicRegisters registers, DataSource dataSource, Hosting hosting, Clock clock) {
        this.registers = requireNonNull(registers, "registers is null");
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.hosting = requireNonNull(hosting, "hosting is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public void register(JavalinConfig config) {
        config.routes.get("/transparency/foi", this::html);
        config.routes.get("/transparency/foi.csv", this::csv);
    }

    /** The answers for a period (MUST have been validated), read now. */
    public static FoiAnswers answers(FoiPeriod period, PublicRegisters registers, DataSource dataSource, Hosting hosting, Clock clock) {
        PublicRegisters.Reading reading = registers.read();
        MonthlyCounts counts = MonthlyCounts.read(dataSource, period.firstMonth(), period.lastMonth());
        return FoiQuestions.answer(period, reading, counts, hosting, clock.instant(), LocalDate.now(clock.withZone(FoiPeriod.UK)));
    }

    /** The period the query asks for, or an IllegalArgumentException saying what is wrong with it. */
    FoiPeriod period(Context ctx) {
        Map<String, List<String>> q = ctx.queryParamMap();
        List<String> unknown = q.keySet().stream().filter(k -> !PARAMETERS.contains(k)).sorted()
                .map(k -> k.length() > 40 ? k.substring(0, 40) + "..." : k).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("this page takes only from and to (dates as YYYY-MM-DD); it does not understand: "
                    + String.join(", ", unknown));
        }
        for (String p : PARAMETERS) {
            if (q.getOrDefault(p, List.of()).size() > 1) {
                throw new IllegalArgumentException(p + " is given more than once");
            }
        }
        FoiPeriod defaults = FoiPeriod.lastTwelveCompleteMonths(clock);
        String from = ctx.queryParam("from");
        String to = ctx.queryParam("to");
        return FoiPeriod.parse(from == null || from.isEmpty() ? defaults.from().toString() : from,
                to == null || to.isEmpty() ? defaults.to().toString() : to, "from", "to");
    }

    private void html(Context ctx) {
        FoiPeriod period;
        try {
            period = period(ctx);
        } catch (IllegalArgumentException e) {
            ctx.status(400);
            Templates.page(ctx, "message.jte", new PageModels.Message(null, "Bad request", "The period asked for is not understood",
                    "The address asks for something this page cannot answer: " + e.getMessage() + ".", "/transparency/foi",
                    "The answers for the last twelve complete months"));
            return;
        }
        FoiAnswers a;
        try {
            a = answers(period, registers, dataSource, hosting, clock);
        } catch (StatisticsUnavailableException | RegistersUnavailableException e) {
            ctx.status(503).header("Retry-After", "5");
            Templates.page(ctx, "message.jte", new PageModels.Message(null, "Answers unavailable", "The answers cannot be shown just now",
                    "The database cannot be read. Try again in a few minutes.", "/", "The front page"));
            return;
        }
        Templates.page(ctx, "foi.jte", FoiModel.of(a));
    }

    private void csv(Context ctx) {
        FoiPeriod period;
        try {
            period = period(ctx);
        } catch (IllegalArgumentException e) {
            throw new Problem(Problem.Category.BAD_REQUEST, e.getMessage());
        }
        FoiAnswers a;
        try {
            a = answers(period, registers, dataSource, hosting, clock);
        } catch (StatisticsUnavailableException | RegistersUnavailableException e) {
            throw new Problem(Problem.Category.UNAVAILABLE, "the answers cannot be read just now; try again shortly");
        }
        ctx.header("Cache-Control", "no-cache");
        ctx.header("Content-Disposition", "inline; filename=\"custodian-foi-" + period.from() + "-to-" + period.to() + ".csv\"");
        ctx.contentType("text/csv; charset=utf-8; header=present").result(FoiDocuments.csv(a));
    }

    static String query(FoiPeriod p) {
        return "from=" + p.from() + "&to=" + p.to();
    }
}
