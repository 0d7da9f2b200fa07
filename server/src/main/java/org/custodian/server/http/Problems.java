package org.custodian.server.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.log.LedgerOverloadedException;
import org.custodian.ledger.log.LedgerUnavailableException;

/**
 * The one place where failures become HTTP responses (RFC 9457 problem+json). Nothing else in the
 * server writes an error status, and no stack trace ever reaches a client.
 */
public final class Problems {
    private static final Logger LOG = Logger.getLogger(Problems.class.getName());

    private Problems() {}

    public static void install(JavalinConfig config) {
        config.routes.exception(Problem.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            write(ctx, e.category(), e.getMessage(), e.extensions());
        });
        config.routes.exception(IllegalArgumentException.class,
                (e, ctx) -> write(ctx, Problem.Category.BAD_REQUEST, e.getMessage()));
        config.routes.exception(LedgerOverloadedException.class,
                (e, ctx) -> write(ctx, Problem.Category.OVERLOADED, e.getMessage()));
        config.routes.exception(LedgerUnavailableException.class, (e, ctx) -> {
            LOG.log(Level.WARNING, "ledger unavailable: {0}", e.getMessage());
            write(ctx, Problem.Category.UNAVAILABLE, "the ledger is unavailable; try again shortly");
        });
        // The gate's sources failing: the gate has already denied; the caller may retry.
        for (Class<? extends Exception> unavailable : java.util.List.of(
                org.custodian.core.consent.ConsentUnavailableException.class,
                org.custodian.core.rules.RulesUnavailableException.class,
                org.custodian.core.registers.RegistersUnavailableException.class)) {
            config.routes.exception(unavailable, (e, ctx) -> {
                LOG.log(Level.WARNING, "{0}", e.getMessage());
                write(ctx, Problem.Category.UNAVAILABLE, "the database is unavailable; nothing was changed; try again shortly");
            });
        }
        // An OpenID Connect provider's keys cannot be fetched: no token can be checked, and it is not the caller's fault.
        config.routes.exception(org.custodian.core.identity.IdentityProviderUnavailableException.class, (e, ctx) -> {
            LOG.log(Level.WARNING, "{0}", e.getMessage());
            write(ctx, Problem.Category.UNAVAILABLE, "the identity provider cannot be reached to check the token; try again shortly");
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.log(Level.SEVERE, "unexpected failure serving " + ctx.method() + " " + ctx.path(), e);
            write(ctx, Problem.Category.INTERNAL, "an unexpected error occurred; it has been logged");
        });
        config.routes.error(404, ctx -> {
            // Our own 404s are already problems; Javalin's "no such endpoint" is plain text.
            String type = ctx.res().getContentType();
            if (type == null || !type.startsWith("application/problem+json")) {
                write(ctx, Problem.Category.NOT_FOUND, "no such resource: " + ctx.path());
            }
        });
        config.routes.error(405, ctx -> write(ctx, Problem.Category.BAD_REQUEST, ctx.method() + " is not allowed on " + ctx.path()));
    }

    public static void write(Context ctx, Problem.Category category, String detail) {
        write(ctx, category, detail, Map.of());
    }

    public static void write(Context ctx, Problem.Category category, String detail, Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", category.title);
        body.put("status", (long) category.status);
        body.put("detail", detail == null ? category.title : detail);
        body.put("instance", ctx.path());
        extensions.forEach(body::putIfAbsent);
        if ((category == Problem.Category.OVERLOADED || category == Problem.Category.UNAVAILABLE) && ctx.res().getHeader("Retry-After") == null) {
            ctx.header("Retry-After", "1");
        }
        ctx.status(category.status)
                .contentType("application/problem+json")
                .result(CanonicalJson.canonicalString(body));
    }

    /** Writes a JSON body (canonical JSON: stable bytes, handy for clients that hash responses). */
    public static void json(Context ctx, Object body) {
        ctx.contentType("application/json").result(CanonicalJson.canonicalString(body));
    }
}
