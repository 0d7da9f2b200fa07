package org.custodian.app.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.custodian.app.Cli;
import org.custodian.app.ServeProcess;
import org.custodian.app.Cli.Result;
import org.custodian.core.identity.Claims;
import org.custodian.core.identity.CustodianTokenVerifier;
import org.custodian.core.identity.TokenKeys;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.postgres.PostgresForTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custodian token} as an administrator runs it: people registered first, then tokens for them. */
class TestTokenCommand {
    private static final Path EXAMPLE = Path.of("..", "docs", "examples", "registers.json");

    @TempDir
    static Path shared;
    private static PostgresForTests postgres;

    @TempDir
    Path dir;
    private Path data;
    private String url;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresForTests.start(shared.resolve("pg"));
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void registerTheExamplePeople() {
        HikariDataSource database = postgres.newDatabase();
        url = database.getJdbcUrl();
        data = dir.resolve("data");
        run("register", EXAMPLE.toString(), "--data", data.toString(), "--db-url", url).exits(0);
    }

    private static Result run(String... args) {
        return Cli.run(args).showsNoJavaInternals();
    }

    /** What the command said last on stderr (opening the database says which one first). */
    private static String said(Result r) {
        String[] lines = r.err().split("\n");
        return lines[lines.length - 1] + "\n";
    }

    private Result token(String... args) {
        List<String> all = new ArrayList<>(List.of("token", "--data", data.toString(), "--db-url", url));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    /** The claims of the one line {@code r} printed, checked as the server checks them. */
    private Claims verified(Result r) throws Exception {
        assertTrue(r.out().endsWith("\n") && r.out().indexOf('\n') == r.out().length() - 1, "one line: " + r);
        TokenKeys keys = TokenKeys.loadOrCreate(data.resolve("keys"), () -> {
            throw new AssertionError("the command created the identifier");
        });
        return new CustodianTokenVerifier(keys, Clock.systemUTC()).verify(r.out().trim());
    }

    @Test
    void printsOnlyATokenForThePersonTheirOrganisationAndThePurpose() throws Exception {
        Instant before = Instant.now();
        Result r = token("--user", "dr-okafor", "--purpose", "TREAT").exits(0);
        Claims claims = verified(r);
        assertEquals("dr-okafor", claims.personId());
        assertEquals("A99001", claims.organisationId());
        assertEquals(Purpose.TREAT, claims.purpose());
        assertNull(claims.projectId());
        Duration life = Duration.between(before, claims.expiresAt());
        assertTrue(life.compareTo(Duration.ofMinutes(14)) > 0 && life.compareTo(Duration.ofMinutes(16)) < 0, "15 minutes: " + life);
        assertTrue(r.err().endsWith("Token for Dr Ngozi Okafor (dr-okafor) of Riverside Medical Practice (A99001), purpose TREAT "
                + "(treatment), expires " + claims.expiresAt() + "\n"), r::toString);
    }

    @Test
    void aTokenForResearchNamesItsProjectAndLivesAsLongAsAsked() throws Exception {
        Instant before = Instant.now();
        Result r = token("--user", "prof-nguyen", "--purpose", "HRESCH", "--project", "diabetes-outcomes", "--ttl", "2h").exits(0);
        Claims claims = verified(r);
        assertEquals("univ-northfield", claims.organisationId());
        assertEquals("diabetes-outcomes", claims.projectId());
        Duration life = Duration.between(before, claims.expiresAt());
        assertTrue(life.compareTo(Duration.ofMinutes(119)) > 0 && life.compareTo(Duration.ofMinutes(121)) < 0, life::toString);
        assertTrue(r.err().contains(", project diabetes-outcomes, expires "), r::toString);
        for (String ttl : List.of("90s", "PT30M", "1h30m")) {
            verified(token("--user", "dr-okafor", "--purpose", "treat", "--ttl", ttl).exits(0));
        }
    }

    @Test
    void theKeyIsCreatedOwnerOnlyOnceAndUsedForEveryToken() throws Exception {
        Result first = token("--user", "dr-okafor", "--purpose", "TREAT").exits(0);
        Path keys = data.resolve("keys");
        assertTrue(first.err().contains("\nCreated the token signing key " + keys.resolve(TokenKeys.KEY_FILE) + " (issuer "),
                first::toString);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve(TokenKeys.KEY_FILE))));
        String key = Files.readString(keys.resolve(TokenKeys.KEY_FILE));
        String issuer = verified(first).issuer();
        assertEquals(issuer + "\n", Files.readString(keys.resolve(TokenKeys.IDENTIFIER_FILE)));

        Result second = token("--user", "cg-lee", "--purpose", "BTG").exits(0);
        assertFalse(second.err().contains("Created"), second::toString);
        assertEquals(key, Files.readString(keys.resolve(TokenKeys.KEY_FILE)));
        assertEquals(issuer, verified(second).issuer());
    }

    @Test
    void anUnknownPersonOrProjectFailsWithoutPrintingAToken() {
        Result person = token("--user", "dr-nobody", "--purpose", "TREAT").exits(1);
        assertEquals("custodian: no person 'dr-nobody' in the registers (see 'custodian users'; people are added with "
                + "'custodian register FILE.json')\n", said(person));
        assertEquals("", person.out());
        assertFalse(Files.exists(data.resolve("keys").resolve(TokenKeys.KEY_FILE)), "no key is created for a refused token");

        Result project = token("--user", "prof-nguyen", "--purpose", "HRESCH", "--project", "cure-everything").exits(1);
        assertEquals("custodian: no project 'cure-everything' in the registers\n", said(project));
        assertEquals("", project.out());
    }

    @Test
    void anUnknownPurposeFailsListingTheKnownCodes() {
        Result r = token("--user", "dr-okafor", "--purpose", "SELLDATA").exits(1);
        assertTrue(said(r).startsWith("custodian: unknown purpose 'SELLDATA'; the HL7 PurposeOfUse codes are TREAT (treatment), "
                + "ETREAT (emergency treatment), BTG (break the glass), "), r::toString);
        assertTrue(r.err().contains("HRESCH (healthcare research)"), r::toString);
        assertEquals("", r.out());
    }

    @Test
    void theProjectRulesAreExplained() {
        assertEquals("custodian: HRESCH (healthcare research) is secondary use (research), which happens only under a project: "
                + "name one\n", said(token("--user", "prof-nguyen", "--purpose", "HRESCH").exits(1)));
        assertEquals("custodian: TREAT (treatment) is not secondary use, so a token for it names no project "
                + "(diabetes-outcomes given)\n",
                said(token("--user", "prof-nguyen", "--purpose", "TREAT", "--project", "diabetes-outcomes").exits(1)));
        assertEquals("custodian: project diabetes-outcomes belongs to organisation univ-northfield, not QX1\n",
                said(token("--user", "analyst-khan", "--purpose", "HRESCH", "--project", "diabetes-outcomes").exits(1)));
        assertEquals("custodian: project diabetes-outcomes is for HRESCH (healthcare research), not POPHLTH\n",
                said(token("--user", "prof-nguyen", "--purpose", "POPHLTH", "--project", "diabetes-outcomes").exits(1)));
    }

    @Test
    void theGateNotTheCommandRefusesWhatTheRulesForbid() throws Exception {
        // A private company's analyst gets a token for treatment: whether they may read anyone's record
        // is the gate's decision, which refuses and records each attempt; a refused token would leave no record.
        assertEquals(Purpose.TREAT, verified(token("--user", "analyst-smith", "--purpose", "TREAT").exits(0)).purpose());
    }

    @Test
    void usageErrorsExitTwo() {
        for (String[] args : new String[][] {
            {"--purpose", "TREAT"},
            {"--user", "dr-okafor"},
            {"--user", "dr-okafor", "--purpose", "TREAT", "--ttl", "1d"},
            {"--user", "dr-okafor", "--purpose", "TREAT", "--ttl", "13h"},
            {"--user", "dr-okafor", "--purpose", "TREAT", "--ttl", "0s"},
            {"--user", "dr-okafor", "--purpose", "TREAT", "--frobnicate"}}) {
            Result r = token(args);
            assertEquals(2, r.exitCode(), () -> List.of(args) + ": " + r);
            assertEquals("", r.out());
        }
        assertTrue(token("--user", "dr-okafor", "--purpose", "TREAT", "--ttl", "1d").err()
                .contains("'1d' is not a duration (examples: 90s, 15m, 2h, 1h30m, PT15M)"));
        assertTrue(run("token", "--help").exits(0).out().startsWith("Usage: custodian token"));
        assertTrue(run("--help").exits(0).out().contains("token"), "listed among the commands");
    }

    @Test
    void withoutADatabaseItFailsSayingWhereItLooked() {
        Path empty = dir.resolve("empty");
        Result r = run("token", "--data", empty.toString(), "--user", "dr-okafor", "--purpose", "TREAT").exits(1);
        assertTrue(r.err().startsWith("custodian: there is no Custodian database in " + empty), r::toString);
        assertFalse(Files.exists(empty.resolve("keys")));
    }

    @Test
    void aTokenIssuedWhileTheServerRunsIsAcceptedByItAndAForgedOneRefused() throws Exception {
        Path served = dir.resolve("served");
        try (ServeProcess serve = ServeProcess.start(served)) {
            String base = serve.url();
            run("register", EXAMPLE.toString(), "--data", served.toString()).exits(0);

            Result gp = run("token", "--data", served.toString(), "--user", "dr-okafor", "--purpose", "TREAT").exits(0);
            Claims claims = new CustodianTokenVerifier(TokenKeys.loadOrCreate(served.resolve("keys"), () -> "unused"),
                    Clock.systemUTC()).verify(gp.out().trim());
            assertEquals("dr-okafor", claims.personId());
            assertTrue(serve.isAlive(), "the server keeps running");

            // The server publishes the key the command signed with, and accepts the token.
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> jwks = http.send(HttpRequest.newBuilder(URI.create(base + ".well-known/jwks.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, jwks.statusCode());
            String kid = com.nimbusds.jwt.SignedJWT.parse(gp.out().trim()).getHeader().getKeyID();
            assertTrue(jwks.body().contains("\"kid\":\"" + kid + "\""), jwks.body());

            String decision = "{\"patient\":\"9434765919\",\"resources\":[\"Observation\"],\"form\":\"identifiable\"}";
            HttpResponse<String> allowed = post(http, base + "api/decisions", gp.out().trim(), decision);
            assertEquals(200, allowed.statusCode(), allowed.body());

            // Every one-character change to the signature is refused (and the refusal recorded), on the
            // connection that has just carried the valid token: a letter's case changed too (Jetty's
            // header cache once matched ignoring case and handed the handler the valid token).
            String token = gp.out().trim();
            for (int position = token.lastIndexOf('.') + 1; position < token.length(); position++) {
                char original = token.charAt(position);
                char swapped = Character.isUpperCase(original) ? Character.toLowerCase(original) : Character.toUpperCase(original);
                for (char changed : new char[] {original == 'A' ? 'B' : 'A', swapped}) {
                    if (changed == original) {
                        continue; // a digit, '-' or '_' has no other case
                    }
                    String forged = token.substring(0, position) + changed + token.substring(position + 1);
                    HttpResponse<String> refused = post(http, base + "api/decisions", forged, decision);
                    String where = "signature character " + (position - token.lastIndexOf('.') - 1) + " changed to " + changed + ": ";
                    assertEquals(401, refused.statusCode(), () -> where + refused.body());
                    assertTrue(refused.body().contains("\"code\":\"token.bad-signature\""), refused.body());
                }
            }
        }
    }

    private static HttpResponse<String> post(HttpClient http, String url, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

}
