package org.custodian.core.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.custodian.core.identity.TokenException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ID tokens from an OpenID Provider's token endpoint, checked as OpenID Connect Core 1.0 §3.1.3.7
 * says, against a provider serving discovery and keys over real HTTP on the loopback interface.
 */
class TestIdTokenVerifier {
    private static final String CLIENT = "custodian-pages";
    private static final String NONCE = "n-0S6_WzA2Mj";
    private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
    /** When the sign-in sent the browser to the provider: a minute before the token comes back. */
    private static final Instant STARTED = NOW.minusSeconds(60);

    private final MovableClock clock = new MovableClock(NOW);
    private final HttpClient http = HttpClient.newHttpClient();
    private final RSAKey first = FakeProvider.newRsaKey("2026-03");
    private FakeProvider provider;
    private IdTokenVerifier verifier;

    @BeforeEach
    void start() throws IOException {
        provider = new FakeProvider();
        provider.publish(first);
        verifier = new IdTokenVerifier(provider.issuer(), CLIENT, provider.jwksUri(), IdTokenVerifier.SUPPORTED_ALGORITHMS, http, clock);
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    private Map<String, Object> claims() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("iss", provider.issuer());
        claims.put("aud", CLIENT);
        claims.put("sub", "2a5f1c8e-1d40-4a7b-9b55-c1f0e7d3a001");
        claims.put("nonce", NONCE);
        claims.put("nhs_number", "9434765919");
        claims.put("iat", clock.instant().getEpochSecond());
        claims.put("exp", clock.instant().plusSeconds(300).getEpochSecond());
        return claims;
    }

    private IdToken verify(String token) throws TokenException {
        return verifier.verify(token, NONCE, STARTED);
    }

    private TokenException refused(String token) {
        return assertThrows(TokenException.class, () -> verify(token));
    }

    private TokenException refused(Map<String, Object> claims) {
        return refused(FakeProvider.sign(first, claims));
    }

    @Test
    void acceptsAFreshTokenForThisClientAndThisSignInsNonce() throws Exception {
        IdToken token = verify(FakeProvider.sign(first, claims()));
        assertEquals(provider.issuer(), token.issuer());
        assertEquals("2a5f1c8e-1d40-4a7b-9b55-c1f0e7d3a001", token.subject());
        assertEquals(Optional.of("9434765919"), token.string("nhs_number"));
        assertEquals(Optional.empty(), token.string("email"));
        assertEquals(NOW.plusSeconds(300), token.expiresAt());
    }

    @Test
    void acceptsRs512AsNhsLoginSignsAndEs256AndAnUntypedHeader() throws Exception {
        JWSHeader rs512 = new JWSHeader.Builder(JWSAlgorithm.RS512).keyID(first.getKeyID()).build();
        assertEquals(NOW, verify(Forge.sign(rs512, claims(), new RSASSASigner(first))).issuedAt());

        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        provider.publish(first, ec);
        clock.advance(JwksCache.MIN_INTERVAL);
        Map<String, Object> claims = claims();
        JWSHeader es256 = new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID("ec-1").build();
        assertEquals(NOW.plus(JwksCache.MIN_INTERVAL), verify(Forge.sign(es256, claims, new ECDSASigner(ec))).issuedAt());
    }

    @Test
    void refusesATokenSignedByAKeyTheProviderDoesNotPublish() {
        RSAKey stranger = FakeProvider.newRsaKey("2026-03");
        TokenException sameKid = refused(FakeProvider.sign(stranger, claims()));
        assertEquals(Kind.BAD_SIGNATURE, sameKid.kind(), "a key of the same name is not the same key");

        TokenException otherKid = refused(FakeProvider.sign(FakeProvider.newRsaKey("forged"), claims()));
        assertEquals(Kind.BAD_SIGNATURE, otherKid.kind());
        assertTrue(otherKid.getMessage().contains("signed by key forged, which " + provider.issuer() + " does not publish"),
                otherKid.getMessage());
    }

    @Test
    void followsTheProvidersKeyRotation() throws Exception {
        verify(FakeProvider.sign(first, claims()));
        RSAKey second = FakeProvider.newRsaKey("2026-04");
        provider.publish(second);
        clock.advance(JwksCache.MIN_INTERVAL);
        assertEquals("2a5f1c8e-1d40-4a7b-9b55-c1f0e7d3a001", verify(FakeProvider.sign(second, claims())).subject(),
                "a token signed by the new key is accepted as soon as it is seen");
        assertEquals(2, provider.jwksFetches());
        clock.advance(JwksCache.MAX_AGE);
        assertEquals(Kind.BAD_SIGNATURE, refused(FakeProvider.sign(first, claims())).kind(), "the withdrawn key is no longer trusted");
    }

    @Test
    void refusesAnotherIssuer() {
        Map<String, Object> claims = claims();
        claims.put("iss", provider.issuer() + "/other");
        assertEquals(Kind.WRONG_ISSUER, refused(claims).kind());
        claims.remove("iss");
        assertEquals(Kind.MISSING_CLAIM, refused(claims).kind());
    }

    @Test
    void refusesATokenForAnotherClient() {
        Map<String, Object> claims = claims();
        claims.put("aud", "another-client");
        TokenException e = refused(claims);
        assertEquals(Kind.WRONG_AUDIENCE, e.kind());
        assertEquals("the ID token is meant for [another-client], not for the client 'custodian-pages'", e.getMessage());
    }

    @Test
    void severalAudiencesNeedThisClientAsAuthorizedParty() throws Exception {
        Map<String, Object> claims = claims();
        claims.put("aud", List.of(CLIENT, "another-client"));
        assertEquals(Kind.WRONG_AUDIENCE, refused(claims).kind(), "several audiences and no azp");
        claims.put("azp", "another-client");
        assertEquals(Kind.WRONG_AUDIENCE, refused(claims).kind(), "issued to another client");
        claims.put("azp", CLIENT);
        verify(FakeProvider.sign(first, claims));
        claims.put("aud", CLIENT);
        claims.put("azp", "another-client");
        assertEquals(Kind.WRONG_AUDIENCE, refused(claims).kind(), "azp, when present, is always checked");
    }

    @Test
    void refusesAnExpiredTokenBeyondTheClockSkew() throws Exception {
        Map<String, Object> claims = claims();
        claims.put("exp", NOW.minus(ClaimChecks.CLOCK_SKEW).plusSeconds(1).getEpochSecond());
        verify(FakeProvider.sign(first, claims));
        claims.put("exp", NOW.minus(ClaimChecks.CLOCK_SKEW).getEpochSecond());
        assertEquals(Kind.EXPIRED, refused(claims).kind());
        claims.remove("exp");
        assertEquals(Kind.MISSING_CLAIM, refused(claims).kind());
    }

    @Test
    void refusesATokenIssuedInTheFutureOrBeforeThisSignInBegan() throws Exception {
        Map<String, Object> claims = claims();
        claims.put("iat", NOW.plus(ClaimChecks.CLOCK_SKEW).plusSeconds(1).getEpochSecond());
        assertEquals(Kind.NOT_YET_VALID, refused(claims).kind());
        claims.put("iat", STARTED.minus(ClaimChecks.CLOCK_SKEW).getEpochSecond());
        verify(FakeProvider.sign(first, claims));
        claims.put("iat", STARTED.minus(ClaimChecks.CLOCK_SKEW).minusSeconds(1).getEpochSecond());
        TokenException old = refused(claims);
        assertEquals(Kind.WRONG_NONCE, old.kind(), "an older token, even with the right nonce, is a replay");
        claims.remove("iat");
        assertEquals(Kind.MISSING_CLAIM, refused(claims).kind(), "iat is REQUIRED in an ID token");
    }

    @Test
    void refusesATokenWithoutThisSignInsNonce() {
        Map<String, Object> claims = claims();
        claims.put("nonce", "another sign-in's nonce");
        TokenException e = refused(claims);
        assertEquals(Kind.WRONG_NONCE, e.kind());
        assertEquals("the ID token's nonce is not the one this sign-in sent", e.getMessage());
        claims.remove("nonce");
        assertEquals(Kind.MISSING_CLAIM, refused(claims).kind());
    }

    @Test
    void refusesATokenNamingNoSubject() {
        Map<String, Object> claims = claims();
        claims.remove("sub");
        assertEquals(Kind.MISSING_CLAIM, refused(claims).kind());
    }

    @Test
    void refusesAccessTokensUnsignedTokensSharedSecretsAndKeysTheTokenBrings() throws Exception {
        JWSHeader accessToken = new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("at+jwt")).keyID(first.getKeyID()).build();
        assertEquals(Kind.MALFORMED, refused(Forge.sign(accessToken, claims(), new RSASSASigner(first))).kind());

        String payload = com.nimbusds.jose.util.JSONObjectUtils.toJSONString(claims());
        String none = Forge.b64("{\"alg\":\"none\"}") + "." + Forge.b64(payload) + ".";
        assertEquals(Kind.UNSUPPORTED_ALGORITHM, refused(none).kind());

        byte[] secret = CLIENT.repeat(4).getBytes(StandardCharsets.UTF_8);
        String hs256 = Forge.sign(new JWSHeader(JWSAlgorithm.HS256), claims(), new MACSigner(secret));
        assertEquals(Kind.UNSUPPORTED_ALGORITHM, refused(hs256).kind(), "a client secret is never a signing key here");

        RSAKey own = FakeProvider.newRsaKey("own");
        JWSHeader brings = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("own").jwk(own.toPublicJWK()).build();
        assertEquals(Kind.BAD_SIGNATURE, refused(Forge.sign(brings, claims(), new RSASSASigner(own))).kind());
    }

    @Test
    void refusesATamperedPayload() {
        String token = FakeProvider.sign(first, claims());
        Map<String, Object> other = claims();
        other.put("nhs_number", "9434765870");
        String tampered = Forge.withPayload(token, com.nimbusds.jose.util.JSONObjectUtils.toJSONString(other));
        assertEquals(Kind.BAD_SIGNATURE, refused(tampered).kind());
    }

    @Test
    void discoveryReadsTheEndpointsAndTheDefaultClientAuthentication() throws Exception {
        provider.discovery.put("authorization_endpoint", provider.issuer() + "/protocol/openid-connect/auth");
        provider.discovery.put("token_endpoint", provider.issuer() + "/protocol/openid-connect/token");
        provider.discovery.put("response_types_supported", List.of("code", "id_token"));
        provider.discovery.put("code_challenge_methods_supported", List.of("plain", "S256"));
        OidcDiscovery d = OidcDiscovery.fetch(provider.issuer(), http);
        assertEquals(Optional.of(URI.create(provider.issuer() + "/protocol/openid-connect/auth")), d.authorizationEndpoint());
        assertEquals(Optional.of(URI.create(provider.issuer() + "/protocol/openid-connect/token")), d.tokenEndpoint());
        assertEquals(provider.jwksUri(), d.jwksUri());
        assertEquals(List.of("code", "id_token"), d.responseTypes());
        assertEquals(List.of("plain", "S256"), d.codeChallengeMethods());
        assertEquals(List.of("client_secret_basic"), d.tokenEndpointAuthMethods(), "the default when not advertised (Discovery §3)");
        assertEquals(List.of("RS256", "ES256"), d.idTokenSigningAlgorithms());

        provider.discovery.put("token_endpoint", "http://login.example.org/token");
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class, () -> OidcDiscovery.fetch(provider.issuer(), http));
        assertTrue(plain.getMessage().startsWith("the token endpoint must be https"), plain.getMessage());
        provider.discovery.remove("token_endpoint");
        assertEquals(Optional.empty(), OidcDiscovery.fetch(provider.issuer(), http).tokenEndpoint());
    }

    @Test
    void theConfigurationIsCheckedWhenTheVerifierIsMade() {
        assertThrows(IllegalArgumentException.class, () -> new IdTokenVerifier("http://login.example.org", CLIENT,
                URI.create("https://login.example.org/keys"), Set.of("RS256"), http, clock));
        assertThrows(IllegalArgumentException.class, () -> new IdTokenVerifier(provider.issuer(), " ", provider.jwksUri(),
                Set.of("RS256"), http, clock));
        assertThrows(IllegalArgumentException.class, () -> new IdTokenVerifier(provider.issuer(), CLIENT, provider.jwksUri(),
                Set.of("HS256"), http, clock));
        assertThrows(IllegalArgumentException.class, () -> new IdTokenVerifier(provider.issuer(), CLIENT, provider.jwksUri(),
                Set.of(), http, clock));
    }
}
