package org.custodian.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.custodian.core.identity.IdentityProviderUnavailableException;
import org.custodian.server.CustodianServer;
import org.junit.jupiter.api.Test;

/** An identity provider that cannot be reached is the server's problem (503), not the caller's. */
class TestIdentityProblems {
    @Test
    void anUnreachableIdentityProviderIs503WithoutItsDetails() throws Exception {
        try (CustodianServer server = CustodianServer.start("127.0.0.1", 0, List.of(config -> config.routes.get("/api/check",
                ctx -> {
                    throw new IdentityProviderUnavailableException("cannot fetch the identity provider's keys from "
                            + "https://login.internal.example/certs: connection refused", new IOException("refused"));
                })))) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/check")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, response.statusCode(), response.body());
            assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
            assertTrue(response.body().contains("the identity provider cannot be reached to check the token"), response.body());
            assertFalse(response.body().contains("login.internal.example"), "internal addresses stay in the log");
        }
    }
}
