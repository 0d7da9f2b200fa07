package org.custodian.app.patients;

import static org.custodian.app.patients.DemoSite.find;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** A browser without JavaScript: its own cookies, redirects not followed (so that they can be checked). */
public final class PageClient {
    public static final String CSRF = "name=\"csrf\" value=\"([^\"]+)\"";

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();

    public PageClient(String base) {
        this.base = base;
    }

    public HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path.substring(1))).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(URI.create(base + path.substring(1))).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The demonstration's sign-in for a patient: choose the person, read the code the page shows, type it in. */
    public void signIn(String personId) throws Exception {
        signIn(personId, "/my");
    }

    /** As {@link #signIn(String)}, checking where the person lands ({@code /staff} for staff). */
    public void signIn(String personId, String landing) throws Exception {
        HttpResponse<String> code = post("/sign-in/demo", Map.of("person", personId));
        assertEquals(200, code.statusCode(), code.body());
        HttpResponse<String> done = post("/sign-in/code", Map.of("attempt", find(code.body(), "name=\"attempt\" value=\"([^\"]+)\""),
                "code", find(code.body(), "id=\"demo-code\">([0-9]{6})<")));
        assertEquals(303, done.statusCode(), done.body());
        assertEquals(landing, done.headers().firstValue("Location").orElseThrow());
    }

    /** The session's CSRF token, as the pages' forms carry it. */
    public String csrf() throws Exception {
        return find(get("/my").body(), CSRF);
    }

    /** Chooses whose record to act on (a proxy's choice). */
    public void actFor(String nhsNumber) throws Exception {
        assertEquals(303, post("/my/acting-for", Map.of("csrf", csrf(), "patient", nhsNumber)).statusCode());
    }
}
