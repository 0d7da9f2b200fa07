package org.custodian.server.breakglass;

import static java.util.Objects.requireNonNull;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.custodian.core.decisions.BreakGlassReviews;
import org.custodian.core.identity.Caller;
import org.custodian.core.registers.Role;
import org.custodian.server.auth.BearerAuthentication;
import org.custodian.server.http.JsonBodies;
import org.custodian.server.http.Problem;
import org.custodian.server.http.Problems;

/**
 * The Caldicott Guardian's queue of break-glass accesses by their organisation: {@code GET
 * /api/break-glass} lists those not yet reviewed, {@code POST /api/break-glass/{index}/review}
 * records a review ({@code {"outcome": "justified" | "not-justified", "note": "..."}}) as a
 * {@code breakglass.review} ledger entry. Only a Caldicott Guardian, and only for their own
 * organisation's accesses.
 */
public final class BreakGlassRoutes {
    private final BearerAuthentication auth;
    private final BreakGlassReviews reviews;

    public BreakGlassRoutes(BearerAuthentication auth, BreakGlassReviews reviews) {
        this.auth = requireNonNull(auth, "auth is null");
        this.reviews = requireNonNull(reviews, "reviews is null");
    }

    public void register(JavalinConfig config) {
        config.routes.get("/api/break-glass", this::open);
        config.routes.post("/api/break-glass/{index}/review", this::review);
    }

    private Caller guardian(Context ctx) {
        Caller caller = auth.authenticate(ctx);
        if (caller.person().role() != Role.CALDICOTT_GUARDIAN) {
            throw Problem.forbidden("only a Caldicott Guardian reviews break-glass accesses").with("code", "breakglass.not-a-guardian");
        }
        return caller;
    }

    private void open(Context ctx) {
        Caller caller = guardian(ctx);
        Problems.json(ctx, Map.of("organisation", caller.organisation().id(),
                "open", reviews.open(caller.organisation().id()).stream().map(BreakGlassRoutes::json).toList()));
    }

    private void review(Context ctx) {
        Caller caller = guardian(ctx);
        long index;
        try {
            index = Long.parseLong(ctx.pathParam("index"));
        } catch (NumberFormatException e) {
            throw Problem.badRequest("the index must be an integer");
        }
        Map<?, ?> body = JsonBodies.object(ctx, Set.of("outcome", "note"));
        String outcome = JsonBodies.string(body, "outcome", true);
        String note = JsonBodies.string(body, "note", false);
        BreakGlassReviews.Review reviewed;
        try {
            reviewed = reviews.review(index, caller.person(), outcome, note);
        } catch (IllegalArgumentException e) {
            throw new Problem(Problem.Category.CONFLICT, e.getMessage());
        }
        Problems.json(ctx, json(reviewed));
    }

    private static Map<String, Object> json(BreakGlassReviews.Review r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("decision", r.decisionIndex());
        m.put("patient", r.patient());
        m.put("person", r.person());
        m.put("organisation", r.organisation());
        m.put("decidedAt", r.decidedAt().toString());
        if (r.reviewedAt() != null) {
            m.put("reviewedBy", r.reviewedBy());
            m.put("reviewedAt", r.reviewedAt().toString());
            m.put("outcome", r.outcome());
        }
        return m;
    }
}
