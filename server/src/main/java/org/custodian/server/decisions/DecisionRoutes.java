package org.custodian.server.decisions;

import static java.util.Objects.requireNonNull;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custodian.core.decisions.AccessRequest;
import org.custodian.core.decisions.Decision;
import org.custodian.core.decisions.DecisionNotRecordedException;
import org.custodian.core.decisions.Obligation;
import org.custodian.core.decisions.RecordedDecision;
import org.custodian.core.decisions.RecordingGate;
import org.custodian.core.decisions.Refusals;
import org.custodian.core.identity.Caller;
import org.custodian.core.identity.TokenException;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.rules.Reason;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.server.auth.BearerAuthentication;
import org.custodian.server.http.JsonBodies;
import org.custodian.server.http.Problem;
import org.custodian.server.http.Problems;

/**
 * {@code POST /api/decisions}: the gate for clinical systems that keep their own data. The purpose
 * is the token's own (a token is bound to one); the project, if any, is the token's. Every decision,
 * permit or deny, is in the ledger before the answer is sent, and the answer carries its receipt.
 */
public final class DecisionRoutes {
    private static final Set<String> MEMBERS = Set.of("patient", "resources", "categories", "form", "project");

    private final BearerAuthentication auth;
    private final RecordingGate gate;
    private final Refusals refusals;

    public DecisionRoutes(BearerAuthentication auth, RecordingGate gate, Refusals refusals) {
        this.auth = requireNonNull(auth, "auth is null");
        this.gate = requireNonNull(gate, "gate is null");
        this.refusals = requireNonNull(refusals, "refusals is null");
    }

    public void register(JavalinConfig config) {
        config.routes.post("/api/decisions", this::decide);
    }

    private void decide(Context ctx) {
        // The body first (without trusting it), so that a refused token naming a patient is recorded.
        Map<?, ?> body = JsonBodies.object(ctx, MEMBERS);
        NhsNumber patient = patient(JsonBodies.string(body, "patient", true));
        Caller caller;
        try {
            caller = auth.authenticate(ctx);
        } catch (Problem p) {
            refusals.record(patient, String.valueOf(p.extensions().getOrDefault("code", "token.invalid")), p.getMessage(),
                    null, null, "api");
            throw p;
        }
        String project = JsonBodies.string(body, "project", false);
        if (project != null) {
            try {
                org.custodian.core.identity.Authenticator.requireProject(caller, project);
            } catch (TokenException e) {
                refusals.record(patient, "token.wrong-project", e.getMessage(), caller.person().id(), caller.organisation().id(), "api");
                throw BearerAuthentication.problem(e);
            }
        }
        DataForm form = DataForm.fromCode(JsonBodies.string(body, "form", true)).orElseThrow(
                () -> Problem.badRequest("\"form\" must be one of identifiable, pseudonymised, aggregate"));
        List<String> resources = JsonBodies.strings(body, "resources");
        for (String r : resources) {
            if (!r.matches("[A-Z][A-Za-z]{1,63}")) {
                throw Problem.badRequest("\"" + r + "\" is not a FHIR resource type");
            }
        }
        Set<SensitiveCategory> categories = EnumSet.noneOf(SensitiveCategory.class);
        for (String c : JsonBodies.strings(body, "categories")) {
            categories.add(SensitiveCategory.fromCode(c).orElseThrow(() -> Problem.badRequest(
                    "\"" + c + "\" is not a sensitive category (one of " + List.of(SensitiveCategory.values()) + ")")));
        }
        String projectId = caller.projectInUse().map(p -> p.id()).orElse(null);
        AccessRequest request = new AccessRequest(caller.person(), caller.organisation(), caller.purpose(), patient, form,
                categories, resources, projectId, "api");
        // No Jetty thread waits while the ledger makes the decision durable; the answer is written
        // once it is (or, if it cannot be, the denial).
        ctx.future(() -> gate.decideAsync(request, RESPONSES).handle((recorded, failure) -> {
            if (failure == null) {
                Problems.json(ctx, json(recorded));
            } else if (unwrap(failure) instanceof DecisionNotRecordedException) {
                Problems.write(ctx, Problem.Category.UNAVAILABLE,
                        "the decision could not be recorded in the ledger, so the answer is deny; try again shortly",
                        Map.of("decision", "deny", "code", "gate.unrecorded"));
            } else {
                throw new java.util.concurrent.CompletionException(unwrap(failure));
            }
            return null;
        }));
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /** Where answers are written once their decisions are durable: never the ledger's own threads. */
    private static final java.util.concurrent.Executor RESPONSES = java.util.concurrent.Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "decision-responses");
                t.setDaemon(true);
                return t;
            });

    private static NhsNumber patient(String text) {
        try {
            return NhsNumber.parse(text);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("\"patient\": " + e.getMessage());
        }
    }

    static Map<String, Object> json(RecordedDecision recorded) {
        Decision d = recorded.decision();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("decision", d.effect().code());
        out.put("reasons", d.reasons().stream().map(DecisionRoutes::reason).toList());
        out.put("obligations", d.obligations().stream().map(Obligation::toJson).toList());
        out.put("breakGlass", d.breakGlass());
        Map<String, Object> receipt = new LinkedHashMap<>();
        receipt.put("index", recorded.index());
        receipt.put("leafHash", Hashes.hex(recorded.leafHash()));
        out.put("receipt", receipt);
        return out;
    }

    private static Map<String, Object> reason(Reason r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", r.code());
        m.put("text", r.text());
        return m;
    }
}
