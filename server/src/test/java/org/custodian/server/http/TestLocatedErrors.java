package org.custodian.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.records.fhir.FhirJson;
import org.custodian.server.CustodianServer;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

/**
 * A problem that lists located errors (a profile validator's) gives one OperationOutcome issue per error,
 * with its FHIRPath location as the issue's expression and the validator's message id, under /fhir; and
 * the same list as an extension member of problem+json elsewhere.
 */
class TestLocatedErrors {
    static final List<Map<String, Object>> ERRORS = List.of(
            error("error", "Bundle.entry[1].resource", "Observation.status: minimum required = 1, but only found 0", "Validation_VAL_Profile_Minimum"),
            error("fatal", "Bundle.entry[3].resource.code", "a \"quoted\" message\nover two lines", null));

    static Map<String, Object> error(String severity, String expression, String detail, String messageId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("severity", severity);
        m.put("expression", expression);
        m.put("detail", detail);
        if (messageId != null) {
            m.put("messageId", messageId);
        }
        return m;
    }

    static HttpResponse<String> get(CustodianServer server, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void eachErrorIsAnIssueWithItsLocationAndTheSameListIsInProblemJson() throws Exception {
        try (CustodianServer server = CustodianServer.start("127.0.0.1", 0, List.of(config -> {
            config.routes.get("/fhir/check", ctx -> Problems.write(ctx, Problem.Category.UNPROCESSABLE, "2 errors", Map.of(Problems.ERRORS, ERRORS)));
            config.routes.get("/api/check", ctx -> Problems.write(ctx, Problem.Category.UNPROCESSABLE, "2 errors", Map.of(Problems.ERRORS, ERRORS)));
        }))) {
            HttpResponse<String> fhir = get(server, "/fhir/check");
            assertEquals(422, fhir.statusCode());
            assertTrue(fhir.headers().firstValue("Content-Type").orElse("").startsWith("application/fhir+json"));
            OperationOutcome oo = (OperationOutcome) FhirJson.parse(fhir.body()); // strict: a valid R4 OperationOutcome
            assertEquals(2, oo.getIssue().size());
            OperationOutcome.OperationOutcomeIssueComponent first = oo.getIssue().get(0);
            assertEquals(OperationOutcome.IssueSeverity.ERROR, first.getSeverity());
            assertEquals(OperationOutcome.IssueType.INVALID, first.getCode());
            assertEquals("Bundle.entry[1].resource", first.getExpression().get(0).getValue());
            assertEquals("Observation.status: minimum required = 1, but only found 0", first.getDiagnostics());
            assertEquals("Validation_VAL_Profile_Minimum",
                    first.getExtensionByUrl("http://hl7.org/fhir/StructureDefinition/operationoutcome-message-id").getValue().primitiveValue());
            OperationOutcome.OperationOutcomeIssueComponent second = oo.getIssue().get(1);
            assertEquals(OperationOutcome.IssueSeverity.FATAL, second.getSeverity());
            assertEquals("a \"quoted\" message\nover two lines", second.getDiagnostics());
            assertTrue(second.getExtension().isEmpty());

            HttpResponse<String> problem = get(server, "/api/check");
            assertEquals(422, problem.statusCode());
            Map<?, ?> body = (Map<?, ?>) CanonicalJson.parse(problem.body());
            assertEquals("2 errors", body.get("detail"));
            assertEquals(ERRORS, body.get("errors"));
        }
    }
}
