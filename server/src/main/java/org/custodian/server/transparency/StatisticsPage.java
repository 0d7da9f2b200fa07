package org.custodian.server.transparency;

import static java.util.Objects.requireNonNull;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.custodian.core.statistics.PublishedStatistics;
import org.custodian.core.statistics.PublishedStatistics.Row;
import org.custodian.core.statistics.PublishedStatistics.Table;
import org.custodian.core.statistics.SmallNumbers;
import org.custodian.core.statistics.Statistics;
import org.custodian.core.statistics.StatisticsUnavailableException;
import org.custodian.server.http.Problem;
import org.custodian.server.http.Problems;
import org.custodian.server.pages.Templates;

/**
 * {@code /transparency/statistics}: the public statistics, as an accessible page with charts that read without
 * JavaScript, and the same figures as {@code .json} and {@code .csv}. Public, no sign-in: every count has been through
 * the small-number rule ({@link SmallNumbers}) and secondary suppression before it gets here. The three forms are
 * rendered from one {@link PublishedStatistics}, so they cannot disagree.
 */
public final class StatisticsPage {
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm:ss", Locale.UK)
            .withZone(java.time.ZoneId.of("Europe/London"));
    static final String RULE = "Counts from 1 to " + SmallNumbers.REDACT_AT_MOST + " are redacted and every other count is rounded to the"
            + " nearest " + SmallNumbers.ROUND_TO + " (0 is published as 0). Where a table would have exactly one redacted row among rows that"
            + " add up to a published figure, a second row is redacted too, so that no redacted count can be worked out by subtraction.";

    private final Statistics statistics;

    public StatisticsPage(Statistics statistics) {
        this.statistics = requireNonNull(statistics, "statistics is null");
    }

    public void register(JavalinConfig config) {
        config.routes.get("/transparency/statistics", this::html);
        config.routes.get("/transparency/statistics.json", this::json);
        config.routes.get("/transparency/statistics.csv", this::csv);
    }

    /** These pages take no parameters: anything in the query is a mistake worth telling the caller about. */
    private static String unexpectedParameters(Context ctx) {
        if (ctx.queryParamMap().isEmpty()) {
            return null;
        }
        return "this page takes no query parameters (got: " + String.join(", ", ctx.queryParamMap().keySet().stream().sorted()
                .map(k -> k.length() > 40 ? k.substring(0, 40) + "..." : k).toList()) + ")";
    }

    private PublishedStatistics figures() {
        try {
            return statistics.current();
        } catch (StatisticsUnavailableException e) {
            throw new Problem(Problem.Category.UNAVAILABLE, "the statistics cannot be read just now; try again shortly");
        }
    }

    private void html(Context ctx) {
        String bad = unexpectedParameters(ctx);
        if (bad != null) {
            ctx.status(400);
            Templates.page(ctx, "message.jte", new org.custodian.server.patients.PageModels.Message(null, "Bad request",
                    "This page takes no options", "The address asks for something this page does not understand: " + bad + ".",
                    "/transparency/statistics", "The statistics"));
            return;
        }
        PublishedStatistics p;
        try {
            p = statistics.current();
        } catch (StatisticsUnavailableException e) {
            ctx.status(503).header("Retry-After", "5");
            Templates.page(ctx, "message.jte", new org.custodian.server.patients.PageModels.Message(null, "Statistics unavailable",
                    "The statistics cannot be shown just now", "The database cannot be read. Try again in a few minutes.", "/", "The front page"));
            return;
        }
        Templates.page(ctx, "statistics.jte", StatisticsModel.of(p, RULE));
    }

    private void json(Context ctx) {
        String bad = unexpectedParameters(ctx);
        if (bad != null) {
            throw new Problem(Problem.Category.BAD_REQUEST, bad);
        }
        PublishedStatistics p = figures();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("entriesCounted", p.entriesCounted());
        out.put("checkpointAt", p.checkpointAt().map(Object::toString).orElse(null));
        out.put("treeSize", p.treeSize());
        out.put("readAt", p.readAt().toString());
        out.put("rule", RULE);
        List<Object> tables = new ArrayList<>();
        for (Table t : p.tables()) {
            Map<String, Object> table = new LinkedHashMap<>();
            table.put("id", t.id());
            table.put("title", t.title());
            table.put("key", t.keyName());
            table.put("note", t.note());
            List<Object> rows = new ArrayList<>();
            for (Row r : t.rows()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("key", r.key());
                row.put("label", r.label());
                if (!r.group().isEmpty()) {
                    row.put("group", r.group());
                }
                row.put("count", r.countOrNull());
                if (t.rates()) {
                    row.put("rate", r.rate().orElse(null));
                }
                rows.add(row);
            }
            table.put("rows", rows);
            tables.add(table);
        }
        out.put("tables", tables);
        ctx.header("Cache-Control", "no-cache");
        Problems.json(ctx, out);
    }

    private void csv(Context ctx) {
        String bad = unexpectedParameters(ctx);
        if (bad != null) {
            throw new Problem(Problem.Category.BAD_REQUEST, bad);
        }
        PublishedStatistics p = figures();
        StringBuilder out = new StringBuilder(8192);
        // RFC 4180: CRLF line ends, a header row, fields quoted when they need it.
        out.append("table,key,label,group,count,suppression,rate,entries_counted\r\n");
        for (Table t : p.tables()) {
            for (Row r : t.rows()) {
                out.append(field(t.id())).append(',').append(field(r.key())).append(',').append(field(r.label())).append(',')
                        .append(field(r.group())).append(',').append(r.redacted() ? "" : Long.toString(r.count().getAsLong())).append(',')
                        .append(r.redacted() ? "redacted" : "").append(',').append(field(r.rate().orElse(""))).append(',')
                        .append(p.entriesCounted()).append("\r\n");
            }
        }
        ctx.header("Cache-Control", "no-cache");
        ctx.header("Content-Disposition", "inline; filename=\"custodian-statistics.csv\"");
        ctx.contentType("text/csv; charset=utf-8; header=present").result(out.toString());
    }

    /**
     * One CSV field: quoted when it holds a comma, quote or line break; and a leading {@code = + - @} (which a
     * spreadsheet would run as a formula) is neutralised with a leading apostrophe.
     */
    static String field(String s) {
        String v = s;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
