package org.custodian.server.consent;

import static java.util.Objects.requireNonNull;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;
import org.custodian.core.consent.ConsentAuthority;
import org.custodian.core.consent.ConsentChoices;
import org.custodian.core.consent.ConsentRecord;
import org.custodian.core.consent.ConsentStore;
import org.custodian.core.decisions.AccessRequest;
import org.custodian.core.decisions.DecisionNotRecordedException;
import org.custodian.core.decisions.RecordedDecision;
import org.custodian.core.decisions.RecordingGate;
import org.custodian.core.decisions.Refusals;
import org.custodian.core.identity.Caller;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.rules.Reason;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.server.auth.BearerAuthentication;
import org.custodian.server.http.Problem;

/**
 * A patient's choices as a FHIR R4 Consent: {@code GET /api/patients/{nhsNumber}/consent} returns the
 * current choices (reading them is an access like any other: it passes the gate and is recorded),
 * {@code PUT} replaces them (the patient, their proxy, or staff on the patient's behalf; recorded as a
 * {@code consent.change} entry and in force for the very next decision).
 */
public final class ConsentRoutes {
    static final String FHIR_JSON = "application/fhir+json";

    private final BearerAuthentication auth;
    private final RecordingGate gate;
    private final ConsentStore consents;
    private final ConsentAuthority authority;
    private final Refusals refusals;
    private final FhirConsent fhir;

    public ConsentRoutes(BearerAuthentication auth, RecordingGate gate, ConsentStore consents, ConsentAuthority authority, Refusals refusals,
            FhirConsent fhir) {
        this.fhir = requireNonNull(fhir, "fhir is null");
        this.auth = requireNonNull(auth, "auth is null");
        this.gate = requireNonNull(gate, "gate is null");
        this.consents = requireNonNull(consents, "consents is null");
        this.authority = requireNonNull(authority, "authority is null");
        this.refusals = requireNonNull(refusals, "refusals is null");
    }

    public void register(JavalinConfig config) {
        config.routes.get("/api/patients/{nhsNumber}/consent", this::read);
        config.routes.put("/api/patients/{nhsNumber}/consent", this::replace);
    }

    private void read(Context ctx) {
        NhsNumber patient = patient(ctx);
        Caller caller = authenticate(ctx, patient);
        RecordedDecision decision;
        try {
            decision = gate.decide(new AccessRequest(caller.person(), caller.organisation(), caller.purpose(), patient,
                    DataForm.IDENTIFIABLE, Set.of(), List.of("Consent"), null, "api"));
        } catch (DecisionNotRecordedException e) {
            throw new Problem(Problem.Category.UNAVAILABLE, "the access could not be recorded, so it is refused; try again shortly")
                    .with("decision", "deny").with("code", "gate.unrecorded");
        }
        if (!decision.decision().permitted()) {
            throw Problem.forbidden("reading this patient's choices is refused: "
                    + String.join(" ", decision.decision().reasons().stream().map(Reason::text).toList()))
                    .with("decision", "deny")
                    .with("reasons", decision.decision().reasons().stream().map(Reason::code).toList())
                    .with("receipt", receipt(decision));
        }
        ctx.header("X-Custodian-Receipt", Long.toString(decision.index()));
        ctx.contentType(FHIR_JSON).result(fhir.toFhirJson(consents.current(patient)));
    }

    private void replace(Context ctx) {
        NhsNumber patient = patient(ctx);
        Caller caller = authenticate(ctx, patient);
        ConsentAuthority.Verdict verdict = authority.mayChange(caller.person(), caller.purpose(), patient);
        if (!verdict.allowed()) {
            long index = refusals.record(patient, verdict.code(), verdict.text(), caller.person().id(), caller.organisation().id(), "api");
            Problem p = Problem.forbidden(verdict.text()).with("code", verdict.code());
            throw index >= 0 ? p.with("receipt", index) : p;
        }
        ConsentChoices choices;
        try {
            org.custodian.ledger.entry.CanonicalJson.parse(ctx.bodyAsBytes());
        } catch (IllegalArgumentException e) {
            // Not JSON at all (or numbers a Consent never holds): a bad request, not an unprocessable Consent.
            throw Problem.badRequest("the body is not a JSON FHIR Consent: " + e.getMessage());
        }
        try {
            choices = fhir.fromFhirJson(ctx.body(), patient);
        } catch (IllegalArgumentException e) {
            throw new Problem(Problem.Category.UNPROCESSABLE, "the Consent cannot be applied: " + e.getMessage());
        }
        ConsentRecord recorded = consents.replace(patient, choices, caller.person().id(), verdict.channel());
        if (recorded.ledgerIndex() >= 0) {
            ctx.header("X-Custodian-Receipt", Long.toString(recorded.ledgerIndex()));
        }
        ctx.contentType(FHIR_JSON).result(fhir.toFhirJson(recorded));
    }

    private Caller authenticate(Context ctx, NhsNumber patient) {
        try {
            return auth.authenticate(ctx);
        } catch (Problem p) {
            refusals.record(patient, String.valueOf(p.extensions().getOrDefault("code", "token.invalid")), p.getMessage(), null, null, "api");
            throw p;
        }
    }

    private static NhsNumber patient(Context ctx) {
        try {
            return NhsNumber.parse(ctx.pathParam("nhsNumber"));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
    }

    private static java.util.Map<String, Object> receipt(RecordedDecision d) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("index", d.index());
        m.put("leafHash", org.custodian.ledger.merkle.Hashes.hex(d.leafHash()));
        return m;
    }
}
