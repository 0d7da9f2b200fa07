package org.custodian.server.registers;

import static java.util.Objects.requireNonNull;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custodian.core.registers.PublicRegisters;
import org.custodian.core.registers.PublicRegisters.Reading;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.server.http.Problem;
import org.custodian.server.http.Problems;
import org.custodian.server.pages.Templates;
import org.custodian.server.patients.PageFormat;
import org.custodian.server.patients.PageModels;

/**
 * The public registers (issue 6, item 1): {@code /registers}, and for each register
 * {@code /registers/<name>} as a page, {@code .json} and {@code .csv}, all three narrowed by the same query
 * parameters. Public, with no sign-in: registers are public by design (DESIGN.md invariant 5); only what
 * {@link PublicRegisters} reads can appear, never a person or a patient.
 *
 * <p>A bad filter is the client's mistake: 400, as a page for the page and as problem+json for the files.
 */
public final class RegisterPages {
    private static final String CSV_TYPE = "text/csv; charset=utf-8";

    private final PublicRegisters registers;
    private final TransparencyLog log;
    private final Clock clock;
    private final Map<String, RegisterTable<?>> tables = new LinkedHashMap<>();

    public RegisterPages(PublicRegisters registers, TransparencyLog log, Clock clock) {
        this.registers = requireNonNull(registers, "registers is null");
        this.log = requireNonNull(log, "log is null");
        this.clock = requireNonNull(clock, "clock is null");
        for (RegisterTable<?> t : PublicRegisterTables.all()) {
            tables.put(t.name(), t);
        }
    }

    public void register(JavalinConfig config) {
        config.routes.get("/registers", this::index);
        config.routes.get("/registers/{file}", this::file);
    }

    private enum Form { PAGE, JSON, CSV }

    private void index(Context ctx) {
        Reading reading = registers.read();
        List<RegisterModels.Entry> entries = new ArrayList<>();
        for (RegisterTable<?> t : tables.values()) {
            int n = t.rows().apply(reading).size();
            entries.add(new RegisterModels.Entry(t.name(), t.title(), t.description(), PageFormat.count(n) + " " + (n == 1 ? t.singular() : t.plural())));
        }
        Templates.page(ctx, "registers.jte", new RegisterModels.Index(entries));
    }

    private void file(Context ctx) {
        String file = ctx.pathParam("file");
        Form form = file.endsWith(".json") ? Form.JSON : file.endsWith(".csv") ? Form.CSV : Form.PAGE;
        String name = form == Form.PAGE ? file : file.substring(0, file.lastIndexOf('.'));
        RegisterTable<?> table = tables.get(name);
        if (table == null) {
            if (form == Form.PAGE) {
                ctx.status(404);
                Templates.page(ctx, "message.jte", new PageModels.Message(null, "Page not found", "Page not found",
                        "There is no register called \"" + name + "\".", "/registers", "The public registers"));
                return;
            }
            throw Problem.notFound("there is no register called \"" + name + "\"; the registers are " + String.join(", ", tables.keySet()));
        }
        serve(ctx, table, form);
    }

    private <R> void serve(Context ctx, RegisterTable<R> table, Form form) {
        Map<String, String> chosen;
        try {
            chosen = table.choose(ctx.queryParamMap());
        } catch (RegisterTable.BadFilter e) {
            if (form != Form.PAGE) {
                throw Problem.badRequest(e.getMessage());
            }
            ctx.status(400);
            Templates.page(ctx, "message.jte", new PageModels.Message(null, "There is a problem with the filter",
                    "There is a problem with the filter", PublicRegisterTables.capitalised(e.getMessage()),
                    "/registers/" + table.name(), "Show the whole " + table.plural() + " register"));
            return;
        }
        // The checkpoint first: every change in an entry below its size was committed before the registers
        // are read, so the reading holds at least all of them.
        Long treeSize = log.latestCheckpoint().map(PublishedCheckpoint::size).orElse(null);
        Instant readAt = clock.instant();
        Reading reading = registers.read();
        List<R> selected = table.select(reading, chosen);
        switch (form) {
            case PAGE -> Templates.page(ctx, "register.jte", table.page(reading, selected, chosen, readAt, treeSize));
            case JSON -> {
                ctx.header("Cache-Control", "no-cache").header("Access-Control-Allow-Origin", "*");
                Problems.json(ctx, table.json(selected, chosen, readAt, treeSize));
            }
            case CSV -> ctx.header("Cache-Control", "no-cache").header("Access-Control-Allow-Origin", "*")
                    .header("Content-Disposition", "attachment; filename=\"custodian-" + table.name() + ".csv\"")
                    .contentType(CSV_TYPE).result(table.csv(selected));
        }
    }
}
