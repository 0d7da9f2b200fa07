package org.custodian.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.custodian.server.CustodianServer;
import org.junit.jupiter.api.Test;

/**
 * A request body over the configured limit is refused with 413, in the same form as every other error
 * (an OperationOutcome under /fhir, a problem elsewhere), and the handler never gets it.
 */
class TestRequestLimit {
    private static HttpResponse<String> post(int port, String path, int bytes) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString("x".repeat(bytes))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBodyOverTheLimitIs413AndNeverReachesTheHandler() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        try (CustodianServer server = CustodianServer.start("127.0.0.1", 0, 1_000, List.of(config -> {
            config.routes.post("/fhir/Patient", ctx -> {
                ctx.body();
                handled.incrementAndGet();
                ctx.status(201);
            });
            config.routes.post("/api/things", ctx -> {
                ctx.body();
                handled.incrementAndGet();
                ctx.status(201);
            });
        }))) {
            HttpResponse<String> fhir = post(server.port(), "/fhir/Patient", 1_001);
            assertEquals(413, fhir.statusCode(), fhir.body());
            assertTrue(fhir.headers().firstValue("Content-Type").orElse("").startsWith("application/fhir+json"));
            assertTrue(fhir.body().contains("\"resourceType\":\"OperationOutcome\"") && fhir.body().contains("\"code\":\"too-long\"")
                    && fhir.body().contains("1,000 bytes"), fhir.body());

            HttpResponse<String> api = post(server.port(), "/api/things", 5_000);
            assertEquals(413, api.statusCode(), api.body());
            assertTrue(api.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            assertEquals(0, handled.get(), "no handler saw a body over the limit");

            assertEquals(201, post(server.port(), "/fhir/Patient", 1_000).statusCode(), "a body at the limit is accepted");
            assertEquals(1, handled.get());
        }
    }

    @Test
    void theDefaultLimitIsFiftyMegabytes() {
        assertEquals(50_000_000L, CustodianServer.DEFAULT_MAX_REQUEST_BYTES);
    }
}
