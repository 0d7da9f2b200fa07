package org.custodian.core.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.custodian.core.identity.TokenException.Kind;
import org.custodian.core.vocabulary.Purpose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The verifier for an external OpenID Connect provider, against a real HTTP server on the loopback interface. */
class TestOidcTokenVerifier {
    private static final String AUDIENCE = "custodian-api";
    private static final Instant NOW = Instant.parse("2025-03-01T09:00:00Z");

    private final MovableClock clock = new MovableClock(NOW);
    private final HttpClient http = HttpClient.newHttpClient();
    private final RSAKey first = FakeProvider.newRsaKey("2025-03");
    private FakeProvider provider;

    @BeforeEach
    void start() throws IOException {
        provider = new FakeProvider();
        provider.publish(first);
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    private OidcTokenVerifier discover() throws IOException {
        return OidcTokenVerifier.discover(provider.issuer(), AUDIENCE, OidcProvider.SUPPORTED_ALGORITHMS, ClaimNames.DEFAULT,
                http, clock);
    }

    private Map<String, Object> claims() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("iss", provider.issuer());
        claims.put("aud", AUDIENCE);
        claims.put("sub", "dr-ahmed");
        claims.put("org", "Y00001");
        claims.put("purpose", "TREAT");
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("iat", clock.instant().getEpochSecond());
        claims.put("exp", clock.instant().plusSeconds(300).getEpochSecond());
        return claims;
    }

    private static TokenException refused(OidcTokenVerifier verifier, String token) {
        return assertThrows(TokenException.class, () -> verifier.verify(token));
    }

    @Test
    void discoversTheProvidersKeysAndAcceptsItsTokens() throws Exception {
        OidcTokenVerifier verifier = discover();
        assertEquals(provider.jwksUri(), verifier.provider().jwksUri());
        assertEquals(1, provider.discoveryFetches());
        assertEquals(0, provider.jwksFetches(), "keys are fetched when first needed");

        Claims claims = verifier.verify(FakeProvider.sign(first, claims()));
        assertEquals(provider.issuer(), claims.issuer());
        assertEquals("dr-ahmed", claims.personId());
        assertEquals("Y00001", claims.organisationId());
        assertEquals(Purpose.TREAT, claims.purpose());
        assertEquals(NOW.plusSeconds(300), claims.expiresAt());
        for (int i = 0; i < 10; i++) {
            verifier.verify(FakeProvider.sign(first, claims()));
        }
        assertEquals(1, provider.jwksFetches(), "the keys are cached");
    }

    @Test
    void readsThePersonOrganisationPurposeAndProjectFromTheConfiguredClaims() throws Exception {
        ClaimNames names = new ClaimNames("preferred_username", "ods_code", "purpose_of_use", "study");
        OidcTokenVerifier verifier = new OidcTokenVerifier(new OidcProvider(provider.issuer(), provider.jwksUri(), AUDIENCE,
                Set.of("RS256"), names), http, clock);
        Map<String, Object> claims = claims();
        claims.put("sub", "f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
        claims.put("preferred_username", "r-lee");
        claims.put("ods_code", "U00001");
        claims.put("purpose_of_use", "HRESCH");
        claims.put("study", "proj-asthma");
        claims.remove("org");
        claims.remove("purpose");
        Claims read = verifier.verify(FakeProvider.sign(first, claims));
        assertEquals("r-lee", read.personId());
        assertEquals("U00001", read.organisationId());
        assertEquals(Purpose.HRESCH, read.purpose());
        assertEquals("proj-asthma", read.projectId());

        claims.remove("ods_code");
        TokenException e = refused(verifier, FakeProvider.sign(first, claims));
        assertEquals(Kind.MISSING_CLAIM, e.kind());
        assertEquals("the token has no 'ods_code' claim", e.getMessage());
    }

    @Test
    void aRotatedKeyIsFetchedWhenFirstUsedAndTheWithdrawnOneIsNoLongerTrusted() throws Exception {
        OidcTokenVerifier verifier = discover();
        String before = FakeProvider.sign(first, claims());
        verifier.verify(before);
        assertEquals(1, provider.jwksFetches());

        RSAKey second = FakeProvider.newRsaKey("2025-04");
        provider.publish(second);
        clock.advance(Duration.ofMinutes(1));
        Claims claims = verifier.verify(FakeProvider.sign(second, claims()));
        assertEquals("dr-ahmed", claims.personId());
        assertEquals(2, provider.jwksFetches(), "an unknown kid caused one fetch");

        TokenException withdrawn = refused(verifier, FakeProvider.sign(first, claims()));
        assertEquals(Kind.BAD_SIGNATURE, withdrawn.kind());
        assertEquals("the token is signed by key 2025-03, which " + provider.issuer() + " does not publish for RS256 at "
                + provider.jwksUri(), withdrawn.getMessage());
    }

    @Test
    void aWithdrawnKeyStopsBeingTrustedOnceTheCachedKeysAreTenMinutesOld() throws Exception {
        RSAKey second = FakeProvider.newRsaKey("2025-04");
        provider.publish(first, second);
        OidcTokenVerifier verifier = discover();
        verifier.verify(FakeProvider.sign(first, claims()));
        provider.publish(second);
        clock.advance(Duration.ofMinutes(9));
        verifier.verify(FakeProvider.sign(first, claims()));
        assertEquals(1, provider.jwksFetches());
        clock.advance(Duration.ofMinutes(1));
        assertEquals(Kind.BAD_SIGNATURE, refused(verifier, FakeProvider.sign(first, claims())).kind());
        verifier.verify(FakeProvider.sign(second, claims()));
    }

    @Test
    void tokensNamingMadeUpKeysCannotFloodTheProviderWithFetches() throws Exception {
        OidcTokenVerifier verifier = discover();
        verifier.verify(FakeProvider.sign(first, claims()));
        clock.advance(Duration.ofMinutes(1));
        RSAKey attacker = new RSAKeyGenerator(2048).generate();
        for (int i = 0; i < 50; i++) {
            RSAKey named = new RSAKey.Builder(attacker).keyID("made-up-" + i).build();
            assertEquals(Kind.BAD_SIGNATURE, refused(verifier, FakeProvider.sign(named, claims())).kind());
            clock.advance(Duration.ofMillis(500));
        }
        assertEquals(2, provider.jwksFetches(), "at most one fetch per 30 seconds for unknown keys");
    }

    @Test
    void aTokenSignedByAKeyTheProviderDoesNotPublishIsRefused() throws Exception {
        OidcTokenVerifier verifier = discover();
        // The attacker's own key, under the kid of the provider's key.
        RSAKey impostor = new RSAKey.Builder(new RSAKeyGenerator(2048).generate()).keyID(first.getKeyID()).build();
        TokenException e = refused(verifier, FakeProvider.sign(impostor, claims()));
        assertEquals(Kind.BAD_SIGNATURE, e.kind());
        assertEquals("the token's signature does not verify", e.getMessage());
        // Or bringing the key along in the header.
        JWSHeader brought = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker").jwk(impostor.toPublicJWK()).build();
        assertEquals(Kind.BAD_SIGNATURE, refused(verifier, Forge.sign(brought, claims(), new RSASSASigner(impostor))).kind());
    }

    @Test
    void anHmacKeyedWithTheProvidersPublicKeyIsRefused() throws Exception {
        OidcTokenVerifier verifier = discover();
        byte[] secret = first.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(first.getKeyID()).build();
        TokenException e = refused(verifier, Forge.sign(header, claims(), new MACSigner(secret)));
        assertEquals(Kind.UNSUPPORTED_ALGORITHM, e.kind());
        assertEquals("tokens signed with alg HS256 are refused; accepted: ES256, RS256", e.getMessage());
        assertEquals(0, provider.jwksFetches(), "refused before any key is looked up");
    }

    @Test
    void onlyTheConfiguredAlgorithmsAreAccepted() throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        provider.publish(first, ec);
        OidcTokenVerifier both = discover();
        assertEquals("dr-ahmed", both.verify(FakeProvider.sign(ec, claims())).personId());

        OidcTokenVerifier rsaOnly = new OidcTokenVerifier(new OidcProvider(provider.issuer(), provider.jwksUri(), AUDIENCE,
                Set.of("RS256"), ClaimNames.DEFAULT), http, clock);
        TokenException e = refused(rsaOnly, FakeProvider.sign(ec, claims()));
        assertEquals(Kind.UNSUPPORTED_ALGORITHM, e.kind());
        // An RSA key cannot verify an ES256 token even under its kid.
        ECKey underRsaKid = new ECKey.Builder(ec).keyID(first.getKeyID()).build();
        assertEquals(Kind.BAD_SIGNATURE, refused(both, FakeProvider.sign(underRsaKid, claims())).kind());
    }

    @Test
    void rsaKeysShorterThan2048BitsAreNotTrusted() throws Exception {
        RSAKey weak = new RSAKeyGenerator(1024, true).keyID("weak").generate();
        provider.publish(weak);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("weak").build();
        String token = Forge.sign(header, claims(),
                new RSASSASigner(weak.toPrivateKey(), Set.of(com.nimbusds.jose.crypto.opts.AllowWeakRSAKey.getInstance())));
        assertEquals(Kind.BAD_SIGNATURE, refused(discover(), token).kind());
    }

    @Test
    void aTokenWithoutKidIsCheckedAgainstThePublishedKeysOfItsAlgorithm() throws Exception {
        OidcTokenVerifier verifier = discover();
        JWSHeader noKid = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build();
        assertEquals("dr-ahmed", verifier.verify(Forge.sign(noKid, claims(), new RSASSASigner(first))).personId());
        RSAKey other = new RSAKeyGenerator(2048).generate();
        assertEquals(Kind.BAD_SIGNATURE, refused(verifier, Forge.sign(noKid, claims(), new RSASSASigner(other))).kind());
    }

    @Test
    void theProvidersTokensAreCheckedForIssuerAudienceTimeAndPurpose() throws Exception {
        OidcTokenVerifier verifier = discover();
        Map<String, Object> otherIssuer = claims();
        otherIssuer.put("iss", provider.issuer() + "/");
        assertEquals(Kind.WRONG_ISSUER, refused(verifier, FakeProvider.sign(first, otherIssuer)).kind());
        Map<String, Object> otherAudience = claims();
        otherAudience.put("aud", "account");
        assertEquals(Kind.WRONG_AUDIENCE, refused(verifier, FakeProvider.sign(first, otherAudience)).kind());
        Map<String, Object> unknownPurpose = claims();
        unknownPurpose.put("purpose", "openid");
        assertEquals(Kind.UNKNOWN_PURPOSE, refused(verifier, FakeProvider.sign(first, unknownPurpose)).kind());
        String token = FakeProvider.sign(first, claims());
        clock.advance(Duration.ofSeconds(300 + 30));
        assertEquals(Kind.EXPIRED, refused(verifier, token).kind());
    }

    @Test
    void aTokenWithoutJtiIsNamedByItsDigest() throws Exception {
        OidcTokenVerifier verifier = discover();
        Map<String, Object> claims = claims();
        claims.remove("jti");
        String token = FakeProvider.sign(first, claims);
        String id = verifier.verify(token).tokenId();
        assertTrue(id.matches("sha256:[A-Za-z0-9_-]{43}"), id);
        assertEquals(id, verifier.verify(token).tokenId());
    }

    @Test
    void whenTheProviderIsDownTheLastKeysFetchedStayInUse() throws Exception {
        OidcTokenVerifier verifier = discover();
        verifier.verify(FakeProvider.sign(first, claims()));
        provider.jwksStatus.set(503);
        clock.advance(Duration.ofMinutes(30));
        assertEquals("dr-ahmed", verifier.verify(FakeProvider.sign(first, claims())).personId());
        assertEquals(2, provider.jwksFetches(), "it tried");
    }

    @Test
    void whenTheProviderCannotBeReachedAtAllNoTokenIsAcceptedAndItIsNotHammered() throws Exception {
        OidcTokenVerifier verifier = discover();
        provider.jwksStatus.set(500);
        String token = FakeProvider.sign(first, claims());
        IdentityProviderUnavailableException e =
                assertThrows(IdentityProviderUnavailableException.class, () -> verifier.verify(token));
        assertTrue(e.getMessage().contains("answered HTTP 500"), e.getMessage());
        assertThrows(IdentityProviderUnavailableException.class, () -> verifier.verify(token));
        assertEquals(1, provider.jwksFetches(), "no second attempt within 30 seconds");
        provider.jwksStatus.set(200);
        clock.advance(Duration.ofSeconds(30));
        assertEquals("dr-ahmed", verifier.verify(token).personId());
    }

    @Test
    void discoveryRefusesADocumentNamingAnotherIssuerOrNoKeys() throws Exception {
        provider.discovery.put("issuer", "https://evil.example/realms/nhs");
        IOException wrongIssuer = assertThrows(IOException.class, this::discover);
        assertTrue(wrongIssuer.getMessage().contains("names the issuer 'https://evil.example/realms/nhs', not '"
                + provider.issuer() + "'"), wrongIssuer.getMessage());

        provider.discovery.put("issuer", provider.issuer());
        provider.discovery.remove("jwks_uri");
        assertTrue(assertThrows(IOException.class, this::discover).getMessage().endsWith("names no jwks_uri"));

        provider.discovery.put("jwks_uri", "http://keys.example/certs");
        IllegalArgumentException plainHttp = assertThrows(IllegalArgumentException.class, this::discover);
        assertTrue(plainHttp.getMessage().startsWith("the JWK Set URL must be https"), plainHttp.getMessage());

        IOException missing = assertThrows(IOException.class, () -> OidcTokenVerifier.discover(provider.issuer() + "/nowhere",
                AUDIENCE, Set.of("RS256"), ClaimNames.DEFAULT, http, clock));
        assertTrue(missing.getMessage().endsWith("answered HTTP 404"), missing.getMessage());
    }

    @Test
    void aProviderConfigurationIsCheckedWhenMade() {
        URI keys = URI.create("https://login.example.org/keys");
        OidcProvider.of("https://login.example.org", keys, AUDIENCE);
        for (String issuer : new String[] {"http://login.example.org", "login.example.org", "https://login.example.org#x",
            "http://127.0.0.1.example.org"}) {
            assertThrows(IllegalArgumentException.class, () -> OidcProvider.of(issuer, keys, AUDIENCE), issuer);
        }
        OidcProvider.of("http://localhost:8080/realms/x", URI.create("http://[::1]:8080/certs"), AUDIENCE);
        assertThrows(IllegalArgumentException.class, () -> OidcProvider.of("https://login.example.org", keys, " "));
        assertThrows(IllegalArgumentException.class, () -> new OidcProvider("https://login.example.org", keys, AUDIENCE,
                Set.of("HS256"), ClaimNames.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> new OidcProvider("https://login.example.org", keys, AUDIENCE,
                Set.of(), ClaimNames.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> new ClaimNames("sub", "sub", "purpose", "project"));
        assertThrows(IllegalArgumentException.class, () -> new ClaimNames("sub", "org", "aud", "project"));
    }
}
