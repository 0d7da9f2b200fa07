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
 * The one place where failures become HTTP responses: RFC 9457 problem+json, or under {@code /fhir} a
 * FHIR OperationOutcome with the same status. Nothing else in the server writes an error status, and no
 * stack trace ever reaches a client.
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
        // Javalin's own responses, such as a body over the limit (set before this is installed): same form as ours.
        String limit = String.format(java.util.Locale.ROOT, "%,d bytes", config.http.maxRequestSize);
        config.routes.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> {
            java.util.Optional<Problem.Category> category = Problem.Category.of(e.getStatus());
            if (e.getStatus() == Problem.Category.CONTENT_TOO_LARGE.status) {
                ctx.header("Connection", "close");
                write(ctx, Problem.Category.CONTENT_TOO_LARGE, "the request body is larger than this server accepts (" + limit
                        + "); nothing was stored. To load a whole deployment's records, use custodian import, which reads files");
            } else if (category.isPresent()) {
                write(ctx, category.get(), e.getMessage());
            } else {
                LOG.log(Level.SEVERE, "unexpected HTTP " + e.getStatus() + " serving " + ctx.method() + " " + ctx.path(), e);
                write(ctx, Problem.Category.INTERNAL, "an unexpected error occurred; it has been logged");
            }
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.log(Level.SEVERE, "unexpected failure serving " + ctx.method() + " " + ctx.path(), e);
            write(ctx, Problem.Category.INTERNAL, "an unexpected error occurred; it has been logged");
        });
        config.routes.error(404, ctx -> {
            // Our own 404s are already problems, or pages written for people; Javalin's "no such endpoint" is plain text.
            String type = ctx.res().getContentType();
            if (type == null || !(type.startsWith("application/problem+json") || type.startsWith("application/fhir+json")
                    || type.startsWith("text/html"))) {
                write(ctx, Problem.Category.NOT_FOUND, "no such resource: " + ctx.path());
            }
        });
        config.routes.error(405, ctx -> write(ctx, Problem.Category.BAD_REQUEST, ctx.method() + " is not allowed on " + ctx.path()));
    }

    public static void write(Context ctx, Problem.Category category, String detail) {
        write(ctx, category, detail, Map.of());
    }

    public static void write(Context ctx, Problem.Category category, String detail, Map<String, Object> extensions) {
        if (isFhir(ctx)) {
            writeOperationOutcome(ctx, category, detail, extensions);
            return;
        }
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

    private static boolean isFhir(Context ctx) {
        String path = ctx.path();
        return path.equals("/fhir") || path.startsWith("/fhir/");
    }

    /**
     * The extension member listing located errors, such as a profile validator's, each a map with
     * {@code severity} ("error" or "fatal"), {@code expression} (FHIRPath: where), {@code detail} (what is
     * wrong) and optionally {@code messageId}: in problem+json as it is (RFC 9457 extension members), and
     * under {@code /fhir} as one OperationOutcome issue each.
     */
    public static final String ERRORS = "errors";

    /** FHIR's extension for an issue's message id. */
    private static final String MESSAGE_ID = "http://hl7.org/fhir/StructureDefinition/operationoutcome-message-id";

    /**
     * The FHIR form of a problem: an OperationOutcome with one error issue (reason codes as its details),
     * or, when the problem lists {@value #ERRORS}, one {@code invalid} issue for each of them, with its
     * location as the issue's expression.
     */
    private static void writeOperationOutcome(Context ctx, Problem.Category category, String detail, Map<String, Object> extensions) {
        if (extensions.get(ERRORS) instanceof java.util.List<?> errors && !errors.isEmpty()) {
            StringBuilder issues = new StringBuilder();
            for (Object o : errors) {
                Map<?, ?> e = (Map<?, ?>) o;
                issues.append(issues.length() == 0 ? "" : ",").append('{');
                if (e.get("messageId") != null) {
                    issues.append("\"extension\":[{\"url\":").append(JsonText.quote(MESSAGE_ID)).append(",\"valueString\":")
                            .append(JsonText.quote(String.valueOf(e.get("messageId")))).append("}],");
                }
                issues.append("\"severity\":").append(JsonText.quote("fatal".equals(e.get("severity")) ? "fatal" : "error"))
                        .append(",\"code\":\"invalid\",\"diagnostics\":").append(JsonText.quote(String.valueOf(e.get("detail"))))
                        .append(",\"expression\":[").append(JsonText.quote(String.valueOf(e.get("expression")))).append("]}");
            }
            ctx.status(category.status).contentType("application/fhir+json")
                    .result("{\"resourceType\":\"OperationOutcome\",\"issue\":[" + issues + "]}");
            return;
        }
        StringBuilder issue = new StringBuilder("{\"severity\":\"").append(category.status >= 500 ? "fatal" : "error")
                .append("\",\"code\":\"").append(issueType(category)).append('"');
        java.util.List<String> codes = new java.util.ArrayList<>();
        if (extensions.get("reasons") instanceof java.util.List<?> l) {
            l.forEach(r -> codes.add(String.valueOf(r)));
        } else if (extensions.get("code") != null) {
            codes.add(String.valueOf(extensions.get("code")));
        }
        if (!codes.isEmpty()) {
            issue.append(",\"details\":{\"coding\":[");
            for (int i = 0; i < codes.size(); i++) {
                issue.append(i == 0 ? "" : ",").append("{\"system\":").append(JsonText.quote(REASON_SYSTEM)).append(",\"code\":")
                        .append(JsonText.quote(codes.get(i))).append('}');
            }
            issue.append("]}");
        }
        issue.append(",\"diagnostics\":").append(JsonText.quote(detail == null ? category.title : detail)).append('}');
        if ((category == Problem.Category.OVERLOADED || category == Problem.Category.UNAVAILABLE) && ctx.res().getHeader("Retry-After") == null) {
            ctx.header("Retry-After", "1");
        }
        Object receipt = extensions.get("receipt");
        if (receipt != null && ctx.res().getHeader("X-Custodian-Receipt") == null) {
            ctx.header("X-Custodian-Receipt", receipt instanceof Map<?, ?> m ? String.valueOf(m.get("index")) : String.valueOf(receipt));
        }
        ctx.status(category.status).contentType("application/fhir+json")
                .result("{\"resourceType\":\"OperationOutcome\",\"issue\":[" + issue + "]}");
    }

    /** Custodian's reason codes ({@code GET /api/rules} lists them with their texts). */
    public static final String REASON_SYSTEM = "urn:custodian:reason";

    private static String issueType(Problem.Category c) {
        return switch (c) {
            case BAD_REQUEST, UNSUPPORTED_MEDIA_TYPE -> "invalid";
            case UNAUTHORIZED -> "login";
            case FORBIDDEN -> "forbidden";
            case NOT_FOUND -> "not-found";
            case NOT_ACCEPTABLE -> "not-supported";
            case CONFLICT -> "conflict";
            case PRECONDITION_FAILED -> "multiple-matches";
            case CONTENT_TOO_LARGE -> "too-long";
            case UNPROCESSABLE -> "business-rule";
            case OVERLOADED -> "throttled";
            case UNAVAILABLE -> "transient";
            case INTERNAL -> "exception";
        };
    }

    /** Writes a JSON body (canonical JSON: stable bytes, handy for clients that hash responses). */
    public static void json(Context ctx, Object body) {
        ctx.contentType("application/json").result(CanonicalJson.canonicalString(body));
    }
}
