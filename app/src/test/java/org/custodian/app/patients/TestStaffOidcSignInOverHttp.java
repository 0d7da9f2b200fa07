package org.custodian.app.patients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.custodian.app.ServeProcess;
import org.custodian.app.database.Database;
import org.custodian.app.database.DatabaseOptions;
import org.custodian.app.patients.TestOidcSignInOverHttp.Browser;
import org.custodian.app.patients.TestOidcSignInOverHttp.Return;
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
 * Staff and auditors signing in through an OpenID Connect provider of their own (as NHS CIS2 is in England),
 * beside the patients' provider, end to end over HTTP: {@code custodian serve} with both providers
 * ({@link FakeOidcProvider}, real HTTP servers with real signatures), each client authenticating with
 * {@code private_key_jwt}: the staff's with an RSA key in PEM PKCS#8 (RS512), the patients' with an EC P-256
 * JWK (ES256); the provider checks every assertion (signature with the registered public key, audience,
 * expiry, a jti never used before).
 *
 * <p>Who the staff's provider signs in: only a person the registers give a staff or auditor role, found by
 * the configured claim, with the required assurance. Neither provider can sign anyone in to the other side's
 * pages: not by the people it finds, not by an ID token the other provider made, not by a sign-in the other
 * side began, and not by a session whose person the registers later move to the other side.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestStaffOidcSignInOverHttp {
    private static final String ADA = "9434765919";
    private static final String PATIENT_CLIENT = "custodian-web";
    private static final String STAFF_CLIENT = "custodian-staff";
    private static final String PERSON_CLAIM = "custodian_person";
    private static final String STAFF_CLAIM = "uid";
    private static final String PATIENT_KID = "custodian-patients-1";
    static final String REGISTERS = """
            {"organisations": [
               {"id": "A99001", "name": "Riverside Medical Practice", "sector": "nhs-care"},
               {"id": "health-regulator", "name": "Independent Health Data Regulator", "sector": "regulator"}],
             "people": [
               {"id": "dr-okafor", "name": "Dr Ngozi Okafor", "role": "clinician", "organisation": "A99001"},
               {"id": "rec-jones", "name": "Carys Jones", "role": "reception", "organisation": "A99001"},
               {"id": "rec-evans", "name": "Rhys Evans", "role": "reception", "organisation": "A99001"},
               {"id": "auditor-brown", "name": "Jo Brown", "role": "auditor", "organisation": "health-regulator"},
               {"id": "patient-ada", "name": "Ada Lovelace", "role": "patient", "organisation": "A99001", "nhsNumber": "9434765919"},
               {"id": "carer-dan", "name": "Dan Okoye", "role": "patient", "organisation": "A99001"},
               {"id": "carer-eve", "name": "Eve Adeyemi", "role": "patient", "organisation": "A99001"}],
             "careRelationships": [
               {"patient": "9434765919", "organisation": "A99001", "from": "2015-04-01"}]}
            """;

    @TempDir
    static Path dir;

    private FakeOidcProvider patients;
    private FakeOidcProvider staff;
    private ClientKeyFiles.KeyPair staffKey;
    private Database database;
    private ServeProcess server;
    private String base;
    private int logMark;

    @BeforeAll
    void start() throws Exception {
        patients = new FakeOidcProvider("patients");
        staff = new FakeOidcProvider("staff");
        // Each provider its own signing key, as two providers have.
        staff.rotateKey("staff-key-1");
        Path data = dir.resolve("data");
        database = Database.open(DatabaseOptions.embedded(data).withShutdownHook(false));
        try (RegisterStore store = RegisterStore.open(database.dataSource())) {
            store.apply(RegisterDocument.parse(REGISTERS.getBytes(StandardCharsets.UTF_8)));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        base = "http://127.0.0.1:" + port + "/";

        staffKey = ClientKeyFiles.rsa();
        Path staffKeyFile = ClientKeyFiles.write(dir.resolve("staff-client.pem"), ClientKeyFiles.pkcs8Pem(staffKey), "rw-------");
        staff.register(new FakeOidcProvider.Client(STAFF_CLIENT, null, base + "sign-in/staff/callback", staffKey.publicKey()));
        ClientKeyFiles.KeyPair patientKey = ClientKeyFiles.ec(PATIENT_KID);
        Path patientKeyFile = ClientKeyFiles.write(dir.resolve("patient-client.jwk"), patientKey.privateKey().toJSONString(), "rw-------");
        patients.register(new FakeOidcProvider.Client(PATIENT_CLIENT, null, base + "sign-in/oidc/callback", patientKey.publicKey()));

        staff.addUser("okafor", Map.of("sub", "5b1e0c", STAFF_CLAIM, "dr-okafor", "authentication_assurance_level", "3"));
        staff.addUser("jones", Map.of("sub", "77d2aa", STAFF_CLAIM, "rec-jones", "authentication_assurance_level", "3"));
        staff.addUser("evans", Map.of("sub", "90ac41", STAFF_CLAIM, "rec-evans", "authentication_assurance_level", "3"));
        staff.addUser("brown", Map.of("sub", "a03f77", STAFF_CLAIM, "auditor-brown", "authentication_assurance_level", "3"));
        staff.addUser("okafor-on-a-phone", Map.of("sub", "5b1e0d", STAFF_CLAIM, "dr-okafor", "authentication_assurance_level", "2"));
        staff.addUser("ada-at-work", Map.of("sub", "c4d5e6", STAFF_CLAIM, "patient-ada", "authentication_assurance_level", "3"));
        staff.addUser("ada-by-number", Map.of("sub", "c4d5e7", "nhs_number", ADA, "authentication_assurance_level", "3"));
        staff.addUser("stranger", Map.of("sub", "e9f0a1", STAFF_CLAIM, "locum-unknown", "authentication_assurance_level", "3"));

        patients.addUser("ada", Map.of("sub", "a9e3", "nhs_number", ADA));
        patients.addUser("dan", Map.of("sub", "d4n0", PERSON_CLAIM, "carer-dan"));
        patients.addUser("eve", Map.of("sub", "e5e0", PERSON_CLAIM, "carer-eve"));
        patients.addUser("claims-to-be-okafor", Map.of("sub", "1c2d", PERSON_CLAIM, "dr-okafor", STAFF_CLAIM, "dr-okafor"));
        patients.addUser("claims-to-be-brown", Map.of("sub", "1c2e", PERSON_CLAIM, "auditor-brown", STAFF_CLAIM, "auditor-brown"));

        server = ServeProcess.start(data, port, List.of("--public-url", base,
                "--patient-oidc-issuer", patients.issuer(), "--patient-oidc-client-id", PATIENT_CLIENT,
                "--patient-oidc-client-key-file", patientKeyFile.toString(), "--patient-oidc-person-claim", PERSON_CLAIM,
                "--patient-oidc-name", "Test NHS login",
                "--staff-oidc-issuer", staff.issuer(), "--staff-oidc-client-id", STAFF_CLIENT,
                "--staff-oidc-client-key-file", staffKeyFile.toString(), "--staff-oidc-person-claim", STAFF_CLAIM,
                "--staff-oidc-require-claim", "authentication_assurance_level=3", "--staff-oidc-name", "Test CIS2"));
        assertEquals(base, server.url());
    }

    @BeforeEach
    void markTheLog() {
        logMark = server.output().length();
    }

    @AfterEach
    void resetProviders() {
        patients.reset();
        staff.reset();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
        patients.close();
        staff.close();
    }

    // ------------------------------------------------------------------ helpers

    /** Starts a sign-in at {@code path}, and signs in at {@code provider} as {@code login}; where the provider sends the browser back. */
    private Return throughProvider(Browser b, FakeOidcProvider provider, String path, String login) throws Exception {
        HttpResponse<String> start = b.get(base + path);
        assertEquals(303, start.statusCode(), start.body());
        String authorize = start.headers().firstValue("Location").orElseThrow();
        assertTrue(authorize.startsWith(provider.issuer() + "/authorize?"), authorize);
        HttpResponse<String> back = b.get(authorize + "&login=" + login);
        assertEquals(302, back.statusCode(), back.body());
        String cookie = path.equals("sign-in/staff") ? "custodian_oidc_staff" : "custodian_oidc";
        return new Return(back.headers().firstValue("Location").orElseThrow(), b.cookie(cookie).orElseThrow(),
                FakeOidcProvider.parse(URI.create(authorize).getRawQuery()));
    }

    private HttpResponse<String> signInAsStaff(Browser b, String login) throws Exception {
        return b.get(throughProvider(b, staff, "sign-in/staff", login).callback());
    }

    private HttpResponse<String> signInAsPatient(Browser b, String login) throws Exception {
        return b.get(throughProvider(b, patients, "sign-in/oidc", login).callback());
    }

    private static void assertSignedIn(Browser b, HttpResponse<String> callback, String to) {
        assertEquals(303, callback.statusCode(), callback.body());
        assertEquals(to, callback.headers().firstValue("Location").orElseThrow());
        assertTrue(b.cookie("custodian_session").isPresent(), "a session");
        assertTrue(b.cookie("custodian_oidc").isEmpty() && b.cookie("custodian_oidc_staff").isEmpty(), "the sign-in's cookie is spent");
    }

    /** A page in plain words with this status, and no session. */
    private void assertRefused(Browser b, HttpResponse<String> page, int status, String heading) throws Exception {
        assertEquals(status, page.statusCode(), page.body());
        assertTrue(page.body().contains("<h1>" + heading + "</h1>"), page.body());
        assertTrue(page.body().contains("href=\"/sign-in\""), "a way to start again");
        assertFalse(page.body().contains("Exception") || page.body().contains("\tat ") || page.body().contains("org.custodian"),
                "no stack trace or class name: " + page.body());
        assertTrue(page.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.startsWith("custodian_session=")), "no session cookie");
        assertTrue(b.cookie("custodian_session").isEmpty(), "no session");
        for (String path : List.of("staff", "audit", "my")) {
            HttpResponse<String> after = b.get(base + path);
            assertEquals(303, after.statusCode(), path);
            assertEquals("/sign-in", after.headers().firstValue("Location").orElseThrow());
        }
    }

    private void assertLogged(String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!server.output().substring(logMark).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server did not log '" + text + "':\n" + server.output().substring(logMark));
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

    /** The client assertion of the provider's last token request, its header and claims checked as RFC 7523 §3 asks. */
    private static SignedJWT lastAssertion(FakeOidcProvider provider, String clientId, String algorithm) throws Exception {
        FakeOidcProvider.TokenRequest request = provider.lastTokenRequest.get();
        assertNull(request.authorization(), "no secret in an Authorization header");
        assertNull(request.form().get("client_secret"));
        assertEquals("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", request.form().get("client_assertion_type"));
        assertEquals(clientId, request.form().get("client_id"));
        SignedJWT jwt = SignedJWT.parse(request.form().get("client_assertion"));
        assertEquals(algorithm, jwt.getHeader().getAlgorithm().getName());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals(clientId, claims.getIssuer());
        assertEquals(clientId, claims.getSubject());
        assertEquals(List.of(provider.tokenEndpoint()), claims.getAudience());
        assertEquals(Duration.ofMinutes(3), Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()));
        assertTrue(claims.getJWTID().matches("[A-Za-z0-9_-]{43}"), claims.getJWTID());
        return jwt;
    }

    private static HttpResponse<String> postToken(FakeOidcProvider provider, Map<String, String> form) throws Exception {
        List<String> parts = new ArrayList<>();
        form.forEach((k, v) -> parts.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(provider.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(String.join("&", parts)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> tokenRequest(String clientId, String assertion) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", "no-such-code");
        form.put("redirect_uri", "https://custodian.example.nhs.uk/sign-in/staff/callback");
        form.put("code_verifier", "x".repeat(43));
        form.put("client_id", clientId);
        form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        form.put("client_assertion", assertion);
        return form;
    }

    // ------------------------------------------------------------------ staff sign in

    @Test
    void theSignInPageAndTheBannerOfferEachProvider() throws Exception {
        String page = new Browser().get(base + "sign-in").body();
        assertTrue(page.contains("<a class=\"button\" href=\"/sign-in/oidc\">Sign in with Test NHS login</a>"), page);
        assertTrue(page.contains("<a class=\"button\" href=\"/sign-in/staff\">Staff: sign in with Test CIS2</a>"), page);
        assertFalse(page.contains("Demonstration sign-in"), page);
        String banner = server.output();
        assertTrue(banner.contains("  Sign-in:   patients sign in with Test NHS login (" + patients.issuer() + "), confidential client "
                + PATIENT_CLIENT + " (private_key_jwt, EC P-256 key, ES256, kid " + PATIENT_KID + "), callback " + base + "sign-in/oidc/callback"),
                banner);
        assertTrue(banner.contains("  Staff:     staff and auditors sign in with Test CIS2 (" + staff.issuer() + "), confidential client "
                + STAFF_CLIENT + " (private_key_jwt, RSA 2048-bit key, RS512), callback " + base + "sign-in/staff/callback"), banner);
    }

    @Test
    void aClinicianSignsInWithTheStaffProviderAndRecordsAPatientsChoices() throws Exception {
        Browser okafor = new Browser();
        HttpResponse<String> start = okafor.get(base + "sign-in/staff");
        assertEquals(303, start.statusCode());
        String setCookie = start.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("custodian_oidc_staff=")).findFirst()
                .orElseThrow();
        for (String attribute : List.of("Path=/sign-in/staff", "Max-Age=600", "HttpOnly", "SameSite=Lax")) {
            assertTrue(setCookie.contains(attribute), setCookie);
        }
        URI authorize = URI.create(start.headers().firstValue("Location").orElseThrow());
        Map<String, String> request = FakeOidcProvider.parse(authorize.getRawQuery());
        assertEquals(STAFF_CLIENT, request.get("client_id"));
        assertEquals(base + "sign-in/staff/callback", request.get("redirect_uri"), "a redirect URI of the staff's own");
        assertEquals("openid profile", request.get("scope"));
        HttpResponse<String> back = okafor.get(authorize + "&login=okafor");
        assertSignedIn(okafor, okafor.get(back.headers().firstValue("Location").orElseThrow()), "/staff");

        SignedJWT assertion = lastAssertion(staff, STAFF_CLIENT, "RS512");
        assertNull(assertion.getHeader().getKeyID(), "a PEM key names no kid");
        assertEquals("staff-oidc:" + staff.issuer(), signedInBy("dr-okafor"));

        String page = okafor.get(base + "staff").body();
        assertTrue(page.contains("Dr Ngozi Okafor (clinician, Riverside Medical Practice)"), "the organisation the registers give: " + page);
        HttpResponse<String> ada = okafor.get(base + "staff/patient?nhs=" + ADA);
        assertEquals(200, ada.statusCode(), ada.body());
        assertTrue(ada.body().contains("Ada Lovelace"), ada.body());
        assertLogged("staff sign-in: dr-okafor as subject 5b1e0c of " + staff.issuer());
    }

    @Test
    void anAuditorSignsInWithTheStaffProviderAndReachesTheAuditPage() throws Exception {
        Browser brown = new Browser();
        assertSignedIn(brown, signInAsStaff(brown, "brown"), "/audit");
        HttpResponse<String> audit = brown.get(base + "audit");
        assertEquals(200, audit.statusCode(), audit.body());
        assertTrue(audit.body().contains("Audit a data-sharing agreement"), audit.body());
        assertEquals("staff-oidc:" + staff.issuer(), signedInBy("auditor-brown"));
    }

    @Test
    void aStaffSignInBelowTheRequiredAssuranceSignsNoOneIn() throws Exception {
        Browser b = new Browser();
        assertRefused(b, signInAsStaff(b, "okafor-on-a-phone"), 403, "Your sign-in is not strong enough here");
        assertLogged("staff sign-in refused: subject 5b1e0d of " + staff.issuer() + " has no authentication_assurance_level of 3");
    }

    @Test
    void someoneTheRegistersDoNotKnowAsStaffIsNotSignedIn() throws Exception {
        // A patient named by the claim, a patient's NHS number with no claim, and an id the registers do not have.
        for (String login : List.of("ada-at-work", "ada-by-number", "stranger")) {
            Browser b = new Browser();
            assertRefused(b, signInAsStaff(b, login), 403, "You are not registered as staff here");
        }
        assertLogged("staff sign-in refused: subject c4d5e6 of " + staff.issuer() + " is no one in the registers");
        assertLogged("staff sign-in refused: subject c4d5e7 of " + staff.issuer() + " is no one in the registers");
        assertLogged("staff sign-in refused: subject e9f0a1 of " + staff.issuer() + " is no one in the registers");
    }

    // ------------------------------------------------------------------ each side's provider, and no other

    @Test
    void thePatientsProviderCannotSignAnyoneInToTheStaffsPages() throws Exception {
        // Its accounts that name staff are no one it signs in.
        for (String login : List.of("claims-to-be-okafor", "claims-to-be-brown")) {
            Browser b = new Browser();
            assertRefused(b, signInAsPatient(b, login), 403, "We could not find your record");
        }
        // A patient it signed in is refused at the staff's and the auditor's pages.
        Browser ada = new Browser();
        assertSignedIn(ada, signInAsPatient(ada, "ada"), "/my");
        assertEquals(403, ada.get(base + "staff").statusCode());
        assertEquals(403, ada.get(base + "staff/patient?nhs=" + ADA).statusCode());
        for (String path : List.of("audit", "audit/entries", "audit/entries/0", "audit/entries.json?from=0")) {
            assertEquals(403, ada.get(base + path).statusCode(), path);
        }
        // An ID token it made, for the staff's client and this very sign-in's nonce, handed back by the staff's token endpoint.
        Browser b = new Browser();
        Return r = throughProvider(b, staff, "sign-in/staff", "okafor");
        patients.addUser("okafor-at-home", Map.of("sub", "0kf0", STAFF_CLAIM, "dr-okafor", "authentication_assurance_level", "3"));
        staff.answerNextWithIdToken(patients.idToken("okafor-at-home", STAFF_CLIENT, r.request().get("nonce")));
        assertRefused(b, b.get(r.callback()), 502, "Sign-in did not work");
        assertLogged("staff sign-in refused: the ID token is refused (BAD_SIGNATURE)");
        // A sign-in the patients' side began, brought to the staff's callback with its cookie: unknown there, and still good where it began.
        Browser c = new Browser();
        Return p = throughProvider(c, patients, "sign-in/oidc", "ada");
        HttpResponse<String> crossed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + "sign-in/staff/callback?" + URI.create(p.callback()).getRawQuery()))
                .header("Cookie", "custodian_oidc_staff=" + p.cookie()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(new Browser(), crossed, 400, "This sign-in has expired");
        assertLogged("staff sign-in refused: the state is unknown");
        assertSignedIn(c, c.get(p.callback()), "/my");
    }

    @Test
    void theStaffsProviderCannotSignAnyoneInToThePatientsPages() throws Exception {
        // A member of staff it signed in has the staff's pages, not a patient's.
        Browser okafor = new Browser();
        assertSignedIn(okafor, signInAsStaff(okafor, "okafor"), "/staff");
        HttpResponse<String> my = okafor.get(base + "my");
        assertEquals(303, my.statusCode());
        assertEquals("/staff", my.headers().firstValue("Location").orElseThrow());
        for (String path : List.of("my/activity", "my/record", "my/choices", "my/notifications")) {
            HttpResponse<String> page = okafor.get(base + path);
            assertEquals(403, page.statusCode(), path + ": " + page.body());
        }
        // An ID token it made, for the patients' client and this sign-in's nonce, handed back by the patients' token endpoint.
        Browser b = new Browser();
        Return r = throughProvider(b, patients, "sign-in/oidc", "ada");
        staff.addUser("ada-staff-token", Map.of("sub", "adaS", "nhs_number", ADA, STAFF_CLAIM, "patient-ada"));
        patients.answerNextWithIdToken(staff.idToken("ada-staff-token", PATIENT_CLIENT, r.request().get("nonce")));
        assertRefused(b, b.get(r.callback()), 502, "Sign-in did not work");
        assertLogged("patient sign-in refused: the ID token is refused (BAD_SIGNATURE)");
        // A sign-in the staff's side began, brought to the patients' callback.
        Browser c = new Browser();
        Return s = throughProvider(c, staff, "sign-in/staff", "okafor");
        HttpResponse<String> crossed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + "sign-in/oidc/callback?" + URI.create(s.callback()).getRawQuery()))
                .header("Cookie", "custodian_oidc=" + s.cookie()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(new Browser(), crossed, 400, "This sign-in has expired");
        assertLogged("patient sign-in refused: the state is unknown");
    }

    /** Registers in which the person {@code id} has {@code role}, applied as any register change is. */
    private void changeRole(String id, String name, String role) throws Exception {
        String document = "{\"people\": [{\"id\": \"" + id + "\", \"name\": \"" + name + "\", \"role\": \"" + role
                + "\", \"organisation\": \"A99001\"}]}";
        try (RegisterStore store = RegisterStore.open(database.dataSource())) {
            store.apply(RegisterDocument.parse(document.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Waits until the server, asked {@code path}, answers {@code status}: it has seen a register change. */
    private static void await(Browser b, String url, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (b.get(url).statusCode() != status) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(url + " never answered " + status);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void aSessionStaysOnTheSideItsProviderProvedEvenWhenTheRegistersMoveItsPerson() throws Exception {
        // Dan signed in with the patients' provider; the registers then make him reception staff.
        Browser dan = new Browser();
        assertSignedIn(dan, signInAsPatient(dan, "dan"), "/my");
        changeRole("carer-dan", "Dan Okoye", "reception");
        await(dan, base + "my", 303); // he is staff now: his start page sends him to /staff
        HttpResponse<String> staffPage = dan.get(base + "staff");
        assertEquals(403, staffPage.statusCode(), "proved to the patients' provider, not the staff's: " + staffPage.body());
        // Eve signed in with the patients' provider; the registers then make her an auditor.
        Browser eve = new Browser();
        assertSignedIn(eve, signInAsPatient(eve, "eve"), "/my");
        changeRole("carer-eve", "Eve Adeyemi", "auditor");
        await(eve, base + "my", 303); // she is an auditor now: her start page sends her to /audit
        for (String path : List.of("audit", "audit/entries", "audit/entries/0", "audit/entries.json?from=0")) {
            HttpResponse<String> page = eve.get(base + path);
            assertEquals(403, page.statusCode(), path + ", proved to the patients' provider: " + page.body());
        }
        // Evans signed in with the staff's provider; the registers then make him a patient.
        Browser evans = new Browser();
        assertSignedIn(evans, signInAsStaff(evans, "evans"), "/staff");
        changeRole("rec-evans", "Rhys Evans", "patient");
        await(evans, base + "staff", 403); // not staff any more
        HttpResponse<String> my = evans.get(base + "my");
        assertEquals(403, my.statusCode(), "proved to the staff's provider, not the patients': " + my.body());
    }

    // ------------------------------------------------------------------ private_key_jwt

    @Test
    void thePatientsClientAuthenticatesWithItsEcKeyAndAFreshAssertionEachTime() throws Exception {
        Browser ada = new Browser();
        assertSignedIn(ada, signInAsPatient(ada, "ada"), "/my");
        SignedJWT first = lastAssertion(patients, PATIENT_CLIENT, "ES256");
        assertEquals(PATIENT_KID, first.getHeader().getKeyID(), "a JWK's kid");
        assertEquals("oidc:" + patients.issuer(), signedInBy("patient-ada"));
        Browser again = new Browser();
        assertSignedIn(again, signInAsPatient(again, "ada"), "/my");
        assertNotEquals(first.getJWTClaimsSet().getJWTID(), lastAssertion(patients, PATIENT_CLIENT, "ES256").getJWTClaimsSet().getJWTID());

        // The provider accepted that assertion once; the same again is a replay.
        HttpResponse<String> replay = postToken(patients, tokenRequest(PATIENT_CLIENT, first.serialize()));
        assertEquals(401, replay.statusCode(), replay.body());
        assertTrue(replay.body().contains("invalid_client") && replay.body().contains("replay"), replay.body());
    }

    @Test
    void anAssertionTheProviderCannotVerifyEndsOnThePlainFailurePage() throws Exception {
        // The provider holds another public key for the client than the one its key file pairs with.
        staff.register(new FakeOidcProvider.Client(STAFF_CLIENT, null, base + "sign-in/staff/callback", ClientKeyFiles.rsa().publicKey()));
        try {
            Browser b = new Browser();
            assertRefused(b, signInAsStaff(b, "okafor"), 502, "Sign-in did not work");
            assertEquals("the assertion's signature does not verify with the client's registered key", staff.lastClientRefusal.get());
            assertLogged("staff sign-in refused: " + staff.tokenEndpoint() + " answered HTTP 401 invalid_client (the assertion's signature does"
                    + " not verify with the client's registered key)");
        } finally {
            staff.register(new FakeOidcProvider.Client(STAFF_CLIENT, null, base + "sign-in/staff/callback", staffKey.publicKey()));
        }
        Browser b = new Browser();
        assertSignedIn(b, signInAsStaff(b, "okafor"), "/staff");
    }

    /** An assertion for the staff's client, signed by {@code key} with {@code algorithm}, with these claims changed. */
    private String assertion(RSAKey key, JWSAlgorithm algorithm, java.util.function.Consumer<JWTClaimsSet.Builder> change) throws JOSEException {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(STAFF_CLIENT).subject(STAFF_CLIENT).audience(staff.tokenEndpoint())
                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(120)));
        change.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).build(), claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void theTestProviderChecksEveryPartOfAnAssertion() throws Exception {
        RSAKey key = (RSAKey) staffKey.privateKey();
        String good = assertion(key, JWSAlgorithm.RS512, c -> {});
        // Authenticated: the refusal is then of the made-up code, not of the client.
        HttpResponse<String> accepted = postToken(staff, tokenRequest(STAFF_CLIENT, good));
        assertEquals(400, accepted.statusCode(), accepted.body());
        assertTrue(accepted.body().contains("invalid_grant"), accepted.body());
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put(good, "a replay");
        refused.put(assertion((RSAKey) ClientKeyFiles.rsa().privateKey(), JWSAlgorithm.RS512, c -> {}), "signature does not verify");
        refused.put(assertion(key, JWSAlgorithm.RS256, c -> {}), "not an algorithm listed");
        refused.put(assertion(key, JWSAlgorithm.RS512, c -> c.audience(staff.issuer())), "is not this token endpoint");
        refused.put(assertion(key, JWSAlgorithm.RS512, c -> c.expirationTime(Date.from(Instant.now().minusSeconds(5)))), "expired");
        refused.put(assertion(key, JWSAlgorithm.RS512, c -> c.expirationTime(Date.from(Instant.now().plusSeconds(3600)))), "too long");
        refused.put(assertion(key, JWSAlgorithm.RS512, c -> c.subject("someone-else")), "iss and sub");
        refused.put(assertion(key, JWSAlgorithm.RS512, c -> c.jwtID(null)), "no jti");
        refused.put(assertion(key, JWSAlgorithm.RS512, c -> c.issueTime(null)), "no iat");
        for (Map.Entry<String, String> e : refused.entrySet()) {
            HttpResponse<String> r = postToken(staff, tokenRequest(STAFF_CLIENT, e.getKey()));
            assertEquals(401, r.statusCode(), e.getValue() + ": " + r.body());
            assertTrue(r.body().contains("invalid_client") && r.body().contains(e.getValue()), e.getValue() + ": " + r.body());
        }
    }
}
