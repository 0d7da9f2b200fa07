package org.custodian.app.patients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.custodian.app.ServeProcess;
import org.custodian.app.database.Database;
import org.custodian.app.database.DatabaseOptions;
import org.custodian.core.registers.RegisterDocument;
import org.custodian.core.registers.RegisterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Patients and their proxies signing in to their pages through an OpenID Connect provider, end to end
 * over HTTP: {@code custodian serve} configured with a provider ({@link FakeOidcProvider}, a real HTTP
 * server with real signatures), a browser that keeps cookies and follows each redirect by hand, and
 * the servers' own PostgreSQL. The happy paths (a patient, a proxy with an NHS number, a carer with
 * none, a sign-in begun on one server process and finished on another, a public client), and every
 * way a sign-in must fail: with a page in plain words, the right status, and no session.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestOidcSignInOverHttp {
    private static final String ADA = "9434765919";
    private static final String BEN = "9434765870";
    /** A valid NHS number that nobody in the registers has. */
    private static final String UNREGISTERED = "9434765927";
    private static final String CLIENT = "custodian-web";
    /** A secret with characters that RFC 6749 §2.3.1's form-encoding must carry through Basic authentication. */
    private static final String SECRET = "s3cret: with spaces & symbols/+=";
    private static final String PERSON_CLAIM = "custodian_person";
    /** Ada and Ben (her proxy, with an NHS number of his own), Cara (her carer, with none) and a GP. */
    static final String REGISTERS = """
            {"organisations": [{"id": "A99001", "name": "Riverside Medical Practice", "sector": "nhs-care"}],
             "people": [
               {"id": "dr-okafor", "name": "Dr Ngozi Okafor", "role": "clinician", "organisation": "A99001"},
               {"id": "patient-ada", "name": "Ada Lovelace", "role": "patient", "organisation": "A99001", "nhsNumber": "9434765919"},
               {"id": "patient-ben", "name": "Ben Lovelace", "role": "patient", "organisation": "A99001", "nhsNumber": "9434765870"},
               {"id": "carer-cara", "name": "Cara Okoye", "role": "patient", "organisation": "A99001"}],
             "careRelationships": [
               {"patient": "9434765919", "organisation": "A99001", "from": "2015-04-01"},
               {"patient": "9434765870", "organisation": "A99001", "from": "2019-09-12"}],
             "proxies": [
               {"proxy": "patient-ben", "patient": "9434765919", "scope": "full", "from": "2025-06-01"},
               {"proxy": "carer-cara", "patient": "9434765919", "scope": "read", "from": "2025-06-01"}]}
            """;

    @TempDir
    static Path dir;

    private FakeOidcProvider provider;
    private Database database;
    private ServeProcess server;
    private final List<ServeProcess> others = new ArrayList<>();
    private Path data;
    private String base;

    @BeforeAll
    void start() throws Exception {
        provider = new FakeOidcProvider();
        data = dir.resolve("data");
        // The test's own connection to the database the servers share (it starts the embedded PostgreSQL; the last user stops it).
        database = Database.open(DatabaseOptions.embedded(data).withShutdownHook(false));
        try (RegisterStore store = RegisterStore.open(database.dataSource())) {
            store.apply(RegisterDocument.parse(REGISTERS.getBytes(StandardCharsets.UTF_8)));
        }
        int port = freePort();
        base = "http://127.0.0.1:" + port + "/";
        provider.register(new FakeOidcProvider.Client(CLIENT, SECRET, base + "sign-in/oidc/callback"));
        user("ada", Map.of("sub", "a9e3", "nhs_number", ADA, "identity_proofing_level", "P9"));
        user("ben", Map.of("sub", "b71c", "nhs_number", BEN, "identity_proofing_level", "P9"));
        user("cara", Map.of("sub", "c0d2", PERSON_CLAIM, "carer-cara", "identity_proofing_level", "P9"));
        user("stranger", Map.of("sub", "d5f0", "nhs_number", UNREGISTERED, "identity_proofing_level", "P9"));
        user("misnumbered", Map.of("sub", "e811", "nhs_number", "1234567890", "identity_proofing_level", "P9"));
        user("unverified-ada", Map.of("sub", "f3a4", "nhs_number", ADA, "identity_proofing_level", "P5"));
        user("claims-to-be-ada", Map.of("sub", "0b9e", PERSON_CLAIM, "patient-ada", "identity_proofing_level", "P9"));
        user("claims-to-be-a-doctor", Map.of("sub", "1c2d", PERSON_CLAIM, "dr-okafor", "identity_proofing_level", "P9"));
        user("ada-and-a-claim", Map.of("sub", "2e3f", "nhs_number", UNREGISTERED, PERSON_CLAIM, "carer-cara", "identity_proofing_level", "P9"));
        server = serve(port, base, true);
        assertEquals(base, server.url());
    }

    private void user(String login, Map<String, Object> claims) {
        provider.addUser(login, claims);
    }

    /** {@code custodian serve} on this data directory with the provider, as a confidential client (or a public one). */
    private ServeProcess serve(int port, String publicUrl, boolean confidential) throws Exception {
        List<String> options = new ArrayList<>(List.of("--public-url", publicUrl, "--patient-oidc-issuer", provider.issuer(),
                "--patient-oidc-name", "Test NHS login", "--patient-oidc-person-claim", PERSON_CLAIM,
                "--patient-oidc-require-claim", "identity_proofing_level=P9"));
        if (confidential) {
            Path secret = dir.resolve("client-secret");
            Files.writeString(secret, SECRET + "\n");
            options.addAll(List.of("--patient-oidc-client-id", CLIENT, "--patient-oidc-client-secret-file", secret.toString()));
        } else {
            options.addAll(List.of("--patient-oidc-client-id", "custodian-public"));
        }
        return ServeProcess.start(data, port, options);
    }

    /** Where the server's output stood when this test began. */
    private int logMark;

    @BeforeEach
    void markTheLog() {
        logMark = server.output().length();
    }

    @AfterEach
    void resetProvider() {
        provider.reset();
    }

    @AfterAll
    void stop() throws Exception {
        for (ServeProcess p : others) {
            p.close();
        }
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
        provider.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A browser: its own cookies; redirects followed by the test, one at a time, so each can be checked. */
    static final class Browser {
        final CookieManager cookies = new CookieManager();
        final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();

        HttpResponse<String> get(String url) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        Optional<String> cookie(String name) {
            return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).map(HttpCookie::getValue)
                    .filter(v -> !v.isEmpty()).findFirst();
        }
    }

    /** What the browser holds after being sent to the provider and back: the callback it was sent to and the sign-in's cookie. */
    record Return(String callback, String cookie, Map<String, String> request) {}

    /**
     * Starts a sign-in at {@code server}, then signs in at the provider as {@code login}; returns where the
     * provider sends the browser back (not yet followed).
     */
    private Return throughProvider(Browser b, String server, String login) throws Exception {
        HttpResponse<String> start = b.get(server + "sign-in/oidc");
        assertEquals(303, start.statusCode(), start.body());
        String authorize = start.headers().firstValue("Location").orElseThrow();
        assertTrue(authorize.startsWith(provider.issuer() + "/authorize?"), authorize);
        HttpResponse<String> back = b.get(authorize + "&login=" + login);
        assertEquals(302, back.statusCode(), back.body());
        return new Return(back.headers().firstValue("Location").orElseThrow(), b.cookie("custodian_oidc").orElseThrow(),
                FakeOidcProvider.parse(URI.create(authorize).getRawQuery()));
    }

    private HttpResponse<String> signIn(Browser b, String login) throws Exception {
        return b.get(throughProvider(b, base, login).callback());
    }

    private void assertSignedIn(Browser b, HttpResponse<String> callback) {
        assertEquals(303, callback.statusCode(), callback.body());
        assertEquals("/my", callback.headers().firstValue("Location").orElseThrow());
        assertTrue(b.cookie("custodian_session").isPresent(), "a session");
        assertTrue(b.cookie("custodian_oidc").isEmpty(), "the sign-in's cookie is spent");
    }

    /** A page in plain words with this status, and no session: the pages still send the browser to sign in. */
    private void assertRefused(Browser b, HttpResponse<String> page, int status, String heading) throws Exception {
        assertEquals(status, page.statusCode(), page.body());
        assertTrue(page.body().contains("<h1>" + heading + "</h1>"), page.body());
        assertTrue(page.body().contains("href=\"/sign-in\""), "a way to start again");
        assertFalse(page.body().contains("Exception") || page.body().contains("\tat ") || page.body().contains("org.custodian"),
                "no stack trace or class name: " + page.body());
        assertTrue(page.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.startsWith("custodian_session=")), "no session cookie");
        assertTrue(b.cookie("custodian_session").isEmpty(), "no session");
        HttpResponse<String> my = b.get(base + "my");
        assertEquals(303, my.statusCode());
        assertEquals("/sign-in", my.headers().firstValue("Location").orElseThrow());
    }

    /** The first server process says in its log, since this test began, why it refused. */
    private void assertLogged(String reason) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (!server.output().substring(logMark).contains(reason)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server did not log '" + reason + "':\n" + server.output().substring(logMark));
            }
            Thread.sleep(50);
        }
    }

    private String signedInBy(String personId) throws Exception {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT DISTINCT signed_in_by FROM web_sessions WHERE person_id = ?")) {
            ps.setString(1, personId);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "a session of " + personId);
                return rs.getString(1);
            }
        }
    }

    // ------------------------------------------------------------------ signing in

    @Test
    void aPatientSignsInWithTheProviderAndSeesTheirOwnRecord() throws Exception {
        Browser ada = new Browser();
        String page = ada.get(base + "sign-in").body();
        assertTrue(page.contains("<a class=\"button\" href=\"/sign-in/oidc\">Sign in with Test NHS login</a>"), page);
        assertFalse(page.contains("Demonstration sign-in"), "a real deployment offers no demonstration sign-in");

        HttpResponse<String> start = ada.get(base + "sign-in/oidc");
        assertEquals(303, start.statusCode());
        String setCookie = start.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("custodian_oidc=")).findFirst().orElseThrow();
        for (String attribute : List.of("Path=/sign-in/oidc", "Max-Age=600", "HttpOnly", "SameSite=Lax")) {
            assertTrue(setCookie.contains(attribute), setCookie);
        }
        assertEquals("no-store", start.headers().firstValue("Cache-Control").orElseThrow());
        URI authorize = URI.create(start.headers().firstValue("Location").orElseThrow());
        Map<String, String> request = FakeOidcProvider.parse(authorize.getRawQuery());
        assertEquals("code", request.get("response_type"));
        assertEquals(CLIENT, request.get("client_id"));
        assertEquals(base + "sign-in/oidc/callback", request.get("redirect_uri"));
        assertEquals("openid profile", request.get("scope"));
        assertEquals("S256", request.get("code_challenge_method"));
        for (String random : List.of("state", "nonce", "code_challenge")) {
            assertTrue(request.get(random).matches("[A-Za-z0-9_-]{43}"), random + ": " + request.get(random));
        }
        assertFalse(request.get("state").equals(ada.cookie("custodian_oidc").orElseThrow()), "the cookie is not the state");

        HttpResponse<String> back = ada.get(authorize + "&login=ada");
        HttpResponse<String> callback = ada.get(back.headers().firstValue("Location").orElseThrow());
        assertSignedIn(ada, callback);

        FakeOidcProvider.TokenRequest token = provider.lastTokenRequest.get();
        assertEquals("Basic " + Base64.getEncoder().encodeToString(("custodian-web:s3cret%3A+with+spaces+%26+symbols%2F%2B%3D")
                .getBytes(StandardCharsets.UTF_8)), token.authorization(), "client_secret_basic, each part form-encoded (RFC 6749 §2.3.1)");
        assertNull(token.form().get("client_secret"), "the secret is not also in the body");
        assertEquals(request.get("code_challenge"), FakeOidcProvider.s256(token.form().get("code_verifier")), "the PKCE verifier");
        assertEquals(base + "sign-in/oidc/callback", token.form().get("redirect_uri"));

        String home = ada.get(base + "my").body();
        assertTrue(home.contains("Signed in as <strong>Ada Lovelace</strong>"), home);
        assertTrue(home.contains("You are looking at <strong>your own record</strong>"), home);
        assertEquals("oidc:" + provider.issuer(), signedInBy("patient-ada"));
    }

    @Test
    void aProxyWithAnNhsNumberOfTheirOwnChoosesWhoseRecord() throws Exception {
        Browser ben = new Browser();
        assertSignedIn(ben, signIn(ben, "ben"));
        String choose = ben.get(base + "my").body();
        assertTrue(choose.contains("Whose record"), choose);
        assertTrue(choose.contains("value=\"" + ADA + "\"") && choose.contains("value=\"" + BEN + "\""), "his own and Ada's");
    }

    @Test
    void aCarerWithoutAnNhsNumberIsFoundByTheConfiguredClaimAndActsForThePatient() throws Exception {
        Browser cara = new Browser();
        assertSignedIn(cara, signIn(cara, "cara"));
        String page = cara.get(base + "my/activity").body();
        assertTrue(page.contains("Signed in as <strong>Cara Okoye</strong>"), page);
        assertTrue(page.contains("You are acting for <strong>Ada Lovelace</strong>"), "always shows whose record: " + page);
        assertEquals("oidc:" + provider.issuer(), signedInBy("carer-cara"));
    }

    @Test
    void aSignInBegunOnOneServerProcessIsFinishedOnAnother() throws Exception {
        // A second process behind the same public URL, as behind a load balancer: the sign-in lives in the database.
        int port = freePort();
        ServeProcess second = serve(port, base, true);
        others.add(second);
        String secondUrl = second.url();
        Browser ada = new Browser();
        Return r = throughProvider(ada, secondUrl, "ada");
        assertTrue(r.callback().startsWith(base), "back to the public URL: " + r.callback());
        assertSignedIn(ada, ada.get(r.callback()));
        assertTrue(ada.get(secondUrl + "my").body().contains("Signed in as <strong>Ada Lovelace</strong>"), "and the session is everywhere");
    }

    @Test
    void aPublicClientSignsInWithPkceAlone() throws Exception {
        int port = freePort();
        String url = "http://127.0.0.1:" + port + "/";
        provider.register(new FakeOidcProvider.Client("custodian-public", null, url + "sign-in/oidc/callback"));
        ServeProcess publicClient = serve(port, url, false);
        others.add(publicClient);
        assertEquals(url, publicClient.url());
        Browser ada = new Browser();
        Return r = throughProvider(ada, url, "ada");
        assertEquals("custodian-public", r.request().get("client_id"));
        assertSignedIn(ada, ada.get(r.callback()));
        FakeOidcProvider.TokenRequest token = provider.lastTokenRequest.get();
        assertNull(token.authorization(), "no client authentication");
        assertEquals("custodian-public", token.form().get("client_id"));
        assertEquals(r.request().get("code_challenge"), FakeOidcProvider.s256(token.form().get("code_verifier")));
    }

    // ------------------------------------------------------------------ who is not signed in

    @Test
    void someoneTheRegistersDoNotKnowIsToldSoAndNotSignedIn() throws Exception {
        for (String login : List.of("stranger", "misnumbered", "ada-and-a-claim")) {
            Browser b = new Browser();
            assertRefused(b, signIn(b, login), 403, "We could not find your record");
        }
        assertLogged("subject d5f0 of " + provider.issuer() + " is no one in the registers");
        assertLogged("subject 2e3f of " + provider.issuer() + " is no one in the registers");
    }

    @Test
    void theConfiguredClaimNeverSignsInAPatientWithAnNhsNumberNorStaff() throws Exception {
        for (String login : List.of("claims-to-be-ada", "claims-to-be-a-doctor")) {
            Browser b = new Browser();
            assertRefused(b, signIn(b, login), 403, "We could not find your record");
        }
        assertLogged("subject 0b9e of " + provider.issuer() + " is no one in the registers");
        assertLogged("subject 1c2d of " + provider.issuer() + " is no one in the registers");
    }

    @Test
    void anAccountNotVerifiedToTheRequiredLevelIsNotSignedIn() throws Exception {
        Browser b = new Browser();
        assertRefused(b, signIn(b, "unverified-ada"), 403, "We need to be sure who you are");
        assertLogged("subject f3a4 of " + provider.issuer() + " has no identity_proofing_level of P9");
    }

    // ------------------------------------------------------------------ the provider's answer

    @Test
    void cancellingAtTheProviderSignsNoOneIn() throws Exception {
        Browser b = new Browser();
        Return r = throughProvider(b, base, FakeOidcProvider.CANCEL);
        assertTrue(r.callback().contains("error=access_denied"), r.callback());
        assertRefused(b, b.get(r.callback()), 403, "You are not signed in");
        assertLogged("the provider answered access_denied (The user cancelled)");
    }

    @Test
    void aProviderErrorOtherThanThePersonStoppingIsAFailureOfTheProvider() throws Exception {
        Browser b = new Browser();
        Return r = throughProvider(b, base, "ada");
        String state = FakeOidcProvider.parse(URI.create(r.callback()).getRawQuery()).get("state");
        assertRefused(b, b.get(base + "sign-in/oidc/callback?error=temporarily_unavailable&state=" + state), 503,
                "Sign-in is not working just now");
        Browser c = new Browser();
        Return s = throughProvider(c, base, "ada");
        String other = FakeOidcProvider.parse(URI.create(s.callback()).getRawQuery()).get("state");
        assertRefused(c, c.get(base + "sign-in/oidc/callback?error=invalid_scope&error_description=%0Aforged+log+line&state=" + other), 502,
                "Sign-in did not work");
        assertLogged("the provider answered invalid_scope (?forged log line)");
    }

    @Test
    void anAnswerNamingAnotherIssuerSignsNoOneIn() throws Exception {
        // RFC 9207: the provider names itself in its answer; an answer naming another is not this sign-in's.
        Browser b = new Browser();
        Return r = throughProvider(b, base, "ada");
        String iss = "iss=" + java.net.URLEncoder.encode(provider.issuer(), StandardCharsets.UTF_8);
        assertTrue(r.callback().contains(iss), r.callback());
        assertRefused(b, b.get(r.callback().replace(iss, "iss=https%3A%2F%2Flogin.example.org")), 502, "Sign-in did not work");
        assertLogged("the authorization response names the issuer 'https://login.example.org'");
    }

    // ------------------------------------------------------------------ the state

    @Test
    void aSignInIsFinishedOnceOnly() throws Exception {
        Browser ada = new Browser();
        Return r = throughProvider(ada, base, "ada");
        assertSignedIn(ada, ada.get(r.callback()));
        // The same answer again, with the cookie the browser had: the state is spent.
        HttpResponse<String> replay = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(r.callback()))
                .header("Cookie", "custodian_oidc=" + r.cookie()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(new Browser(), replay, 400, "This sign-in has expired");
        assertLogged("the state is unknown");
    }

    @Test
    void anAnswerBroughtByAnotherBrowserSignsNoOneIn() throws Exception {
        // Someone signs in as themselves and sends the link back to another person's browser (login CSRF).
        Browser attacker = new Browser();
        Return r = throughProvider(attacker, base, "ben");
        Browser victim = new Browser();
        assertRefused(victim, victim.get(r.callback()), 400, "This sign-in has expired");
        assertLogged("the state is other_browser");
        assertRefused(attacker, attacker.get(r.callback()), 400, "This sign-in has expired");
    }

    @Test
    void aMadeUpOrMissingStateSignsNoOneIn() throws Exception {
        Browser b = new Browser();
        throughProvider(b, base, "ada");
        assertRefused(b, b.get(base + "sign-in/oidc/callback?code=anything&state=made-up"), 400, "This sign-in has expired");
        assertRefused(b, b.get(base + "sign-in/oidc/callback?code=anything"), 400, "This sign-in has expired");
        assertLogged("the state is unknown");
    }

    @Test
    void aSignInNotFinishedWithinTenMinutesSignsNoOneIn() throws Exception {
        Browser b = new Browser();
        Return r = throughProvider(b, base, "ada");
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE web_oidc_sign_ins SET expires_at = ? WHERE state_hash = sha256(convert_to('oidc:' || ?, 'UTF8'))")) {
            ps.setObject(1, java.sql.Timestamp.from(Instant.now().minusSeconds(1)));
            ps.setString(2, FakeOidcProvider.parse(URI.create(r.callback()).getRawQuery()).get("state"));
            assertEquals(1, ps.executeUpdate(), "the sign-in is in the database, its state hashed after the patients' prefix");
        }
        assertRefused(b, b.get(r.callback()), 400, "This sign-in has expired");
        assertLogged("the state is expired");
    }

    // ------------------------------------------------------------------ the token endpoint and the ID token

    @Test
    void theTokenEndpointFailingOrRefusingTheCodeSignsNoOneIn() throws Exception {
        provider.tokenStatus.set(500);
        Browser b = new Browser();
        assertRefused(b, signIn(b, "ada"), 503, "Sign-in is not working just now");
        assertLogged("/token answered HTTP 500 server_error");
        provider.tokenStatus.set(400);
        Browser c = new Browser();
        assertRefused(c, signIn(c, "ada"), 502, "Sign-in did not work");
        assertLogged("/token answered HTTP 400 invalid_grant");
    }

    @Test
    void anIdTokenSignedByAKeyTheProviderDoesNotPublishSignsNoOneIn() throws Exception {
        provider.signNextIdTokenWith(FakeOidcProvider.newKey("key-1"));
        Browser b = new Browser();
        assertRefused(b, signIn(b, "ada"), 502, "Sign-in did not work");
        assertLogged("the ID token is refused (BAD_SIGNATURE)");
    }

    @Test
    void anIdTokenWithAnotherSignInsNonceSignsNoOneIn() throws Exception {
        provider.changeNextIdToken(claims -> claims.put("nonce", "another sign-in's nonce"));
        Browser b = new Browser();
        assertRefused(b, signIn(b, "ada"), 502, "Sign-in did not work");
        assertLogged("the ID token is refused (WRONG_NONCE)");
    }

    @Test
    void anIdTokenForAnotherClientSignsNoOneIn() throws Exception {
        provider.changeNextIdToken(claims -> claims.put("aud", "another-client"));
        Browser b = new Browser();
        assertRefused(b, signIn(b, "ada"), 502, "Sign-in did not work");
        assertLogged("the ID token is refused (WRONG_AUDIENCE)");
    }

    @Test
    void anExpiredIdTokenSignsNoOneIn() throws Exception {
        provider.changeNextIdToken(claims -> claims.put("exp", Instant.now().minusSeconds(3600).getEpochSecond()));
        Browser b = new Browser();
        assertRefused(b, signIn(b, "ada"), 502, "Sign-in did not work");
        assertLogged("the ID token is refused (EXPIRED)");
    }

    @Test
    void anIdTokenFromAnotherIssuerSignsNoOneIn() throws Exception {
        provider.changeNextIdToken(claims -> claims.put("iss", "https://login.example.org"));
        Browser b = new Browser();
        assertRefused(b, signIn(b, "ada"), 502, "Sign-in did not work");
        assertLogged("the ID token is refused (WRONG_ISSUER)");
    }
}
