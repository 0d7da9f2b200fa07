package org.custodian.core.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custodian.core.identity.TokenException.Kind;
import org.custodian.core.vocabulary.Purpose;
import org.junit.jupiter.api.Test;

/** Every way a token can be wrong, each with a real token made the way an attacker would make it. */
class TestCustodianTokenVerifier {
    private static final String DEPLOYMENT = "custodian.test/custodian/0001";
    private static final Instant NOW = Instant.parse("2025-03-01T09:00:00Z");

    private final MovableClock clock = new MovableClock(NOW);
    private final TokenKeys keys = TokenKeys.generate(DEPLOYMENT);
    private final TokenIssuer issuer = new TokenIssuer(keys, clock);
    private final CustodianTokenVerifier verifier = new CustodianTokenVerifier(keys, clock);

    private Kind refusal(String token) {
        TokenException e = assertThrows(TokenException.class, () -> verifier.verify(token));
        assertFalse(e.getMessage().contains(token.length() > 20 ? token.substring(token.length() - 20) : "\u0000"),
                "the message never quotes the token: " + e.getMessage());
        return e.kind();
    }

    private TokenException refused(String token) {
        return assertThrows(TokenException.class, () -> verifier.verify(token));
    }

    private String valid() {
        return issuer.issue(Registry.GP, Registry.PRACTICE, Purpose.TREAT, null, Duration.ofMinutes(15)).token();
    }

    /** Valid claims, as a map the tests can change. */
    private static Map<String, Object> claims() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("iss", DEPLOYMENT);
        claims.put("aud", DEPLOYMENT);
        claims.put("sub", "dr-ahmed");
        claims.put("org", "Y00001");
        claims.put("purpose", "TREAT");
        claims.put("jti", "token-1");
        claims.put("iat", NOW.getEpochSecond());
        claims.put("nbf", NOW.getEpochSecond());
        claims.put("exp", NOW.plusSeconds(900).getEpochSecond());
        return claims;
    }

    private JWSHeader ourHeader() {
        return new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(keys.keyId()).build();
    }

    /** Signed with the deployment's own key: only the claims can be wrong. */
    private String ours(Map<String, Object> claims) throws Exception {
        return Forge.sign(ourHeader(), claims, new ECDSASigner(keys.signingKey()));
    }

    private static ECKey attackerKey() throws Exception {
        return new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
    }

    @Test
    void acceptsItsOwnTokens() throws Exception {
        assertEquals("dr-ahmed", verifier.verify(valid()).personId());
        assertEquals("dr-ahmed", verifier.verify(ours(claims())).personId());
        assertEquals("dr-ahmed", verifier.verify(" " + valid() + "\n").personId(), "surrounding white space is ignored");
    }

    @Test
    void malformedTokensAreRefusedAsMalformed() throws Exception {
        String valid = valid();
        String[] parts = valid.split("\\.");
        for (String bad : List.of("", "abc", "a.b", "a.b.c", "....", parts[0] + "." + parts[1],
                Forge.b64("{not json") + "." + parts[1] + "." + parts[2],
                Forge.b64("[1,2]") + "." + parts[1] + "." + parts[2],
                valid + "." + parts[2],
                parts[0] + "." + parts[1] + ".",
                "x".repeat(SignedTokens.MAX_TOKEN_CHARS + 1))) {
            assertEquals(Kind.MALFORMED, refused(bad).kind(), bad);
        }
        // Base64url that is not: the signature covers the text as sent, so it cannot verify.
        assertEquals(Kind.BAD_SIGNATURE, refused(parts[0] + ".%%%." + parts[2]).kind());
    }

    @Test
    void claimsThatAreNotJsonOrOfTheWrongTypeAreMalformedEvenWhenSignedByUs() throws Exception {
        JWSSigner signer = new ECDSASigner(keys.signingKey());
        String header = ourHeader().toString();
        assertEquals(Kind.MALFORMED, refused(Forge.signRaw(header, "not json", signer)).kind());
        assertEquals(Kind.MALFORMED, refused(Forge.signRaw(header, "[\"a\"]", signer)).kind());
        // (A numeric sub is read as text, as RFC 7519 StringOrURI parsers commonly do.)
        for (String claim : List.of("org", "purpose", "project", "jti", "iss")) {
            Map<String, Object> claims = claims();
            claims.put(claim, 42);
            assertEquals(Kind.MALFORMED, refused(ours(claims)).kind(), claim);
        }
        Map<String, Object> datedInWords = claims();
        datedInWords.put("exp", "tomorrow");
        assertEquals(Kind.MALFORMED, refused(ours(datedInWords)).kind());
        Map<String, Object> blankProject = claims();
        blankProject.put("project", " ");
        assertEquals(Kind.MALFORMED, refused(ours(blankProject)).kind());
        JWSHeader otherType = new JWSHeader.Builder(ourHeader()).type(new JOSEObjectType("id+jwt")).build();
        assertEquals(Kind.MALFORMED, refused(Forge.sign(otherType, claims(), signer)).kind());
        JWSHeader critical = new JWSHeader.Builder(ourHeader()).criticalParams(Set.of("exp")).build();
        assertEquals(Kind.MALFORMED, refused(Forge.sign(critical, claims(), signer)).kind());
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefusedEvenWithOurKeyId() throws Exception {
        String forged = Forge.sign(ourHeader(), claims(), new ECDSASigner(attackerKey()));
        TokenException e = refused(forged);
        assertEquals(Kind.BAD_SIGNATURE, e.kind());
        assertEquals("the token's signature does not verify", e.getMessage());
    }

    @Test
    void aTamperedPayloadIsRefused() throws Exception {
        String valid = valid();
        String payload = Forge.decode(valid.split("\\.")[1]);
        for (String tampered : List.of(
                payload.replace("\"TREAT\"", "\"HRESCH\""),
                payload.replace("dr-ahmed", "dr-ahmee"),
                payload.replaceFirst("\"exp\":(\\d+)", "\"exp\":9999999999"),
                payload + " ")) {
            assertTrue(!tampered.equals(payload), tampered);
            assertEquals(Kind.BAD_SIGNATURE, refusal(Forge.withPayload(valid, tampered)), tampered);
        }
    }

    @Test
    void signaturesOfTheWrongShapeAreRefused() throws Exception {
        String valid = valid();
        String signature = valid.split("\\.")[2];
        byte[] raw = new Base64URL(signature).decode();
        byte[] zeros = new byte[64]; // r = s = 0, the "psychic signature" (CVE-2022-21449)
        byte[] truncated = java.util.Arrays.copyOf(raw, 63);
        byte[] flipped = raw.clone();
        flipped[10] ^= 1;
        for (byte[] bad : List.of(zeros, truncated, flipped, new byte[1])) {
            assertEquals(Kind.BAD_SIGNATURE, refused(Forge.withSignature(valid, Base64URL.encode(bad).toString())).kind());
        }
    }

    @Test
    void aSignatureSpelledAnotherWayIsRefused() throws Exception {
        // 64 bytes take 86 base64url characters, the last with 4 spare bits: 'A' to 'P' differ only in those
        // for a last byte ending in 00. Found by a test that forged a token by changing its last character.
        String valid = valid();
        String signature = valid.split("\\.")[2];
        char last = signature.charAt(signature.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int group = alphabet.indexOf(last) / 16 * 16;
        char sameBits = alphabet.charAt(group + (alphabet.indexOf(last) % 16 == 0 ? 1 : 0));
        String respelled = Forge.withSignature(valid, signature.substring(0, signature.length() - 1) + sameBits);
        assertEquals(new Base64URL(signature).decode().length, new Base64URL(respelled.split("\\.")[2]).decode().length);
        assertTrue(java.util.Arrays.equals(new Base64URL(signature).decode(), new Base64URL(respelled.split("\\.")[2]).decode()),
                "the same signature bytes");
        TokenException e = refused(respelled);
        assertEquals(Kind.BAD_SIGNATURE, e.kind());
        assertEquals("the token's signature is not in canonical base64url", e.getMessage());
    }

    @Test
    void unsignedTokensAreRefusedHoweverTheySpellNone() throws Exception {
        JWTClaimsSet set = JWTClaimsSet.parse(claims());
        assertEquals(Kind.UNSUPPORTED_ALGORITHM, refused(new PlainJWT(set).serialize()).kind());
        String payload = Forge.b64(set.toString());
        for (String alg : List.of("none", "None", "NONE", "nOnE")) {
            String header = Forge.b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\",\"kid\":\"" + keys.keyId() + "\"}");
            assertEquals(Kind.UNSUPPORTED_ALGORITHM, refused(header + "." + payload + ".").kind(), alg);
            // With our real signature attached, in case a verifier skips checks when a signature is present.
            assertEquals(Kind.UNSUPPORTED_ALGORITHM, refused(header + "." + payload + "." + valid().split("\\.")[2]).kind(), alg);
        }
    }

    @Test
    void anHmacKeyedWithOurPublicKeyIsRefused() throws Exception {
        // Key confusion: the attacker uses the published public key as an HMAC secret, hoping the
        // verifier hands its "key" to whatever algorithm the token names.
        ECKey publicKey = keys.publicKey();
        List<byte[]> secrets = List.of(
                publicKey.toJSONString().getBytes(StandardCharsets.UTF_8),
                publicKey.toECPublicKey().getEncoded(),
                keys.publicJwksJson().getBytes(StandardCharsets.UTF_8),
                ("-----BEGIN PUBLIC KEY-----\n" + Base64.encode(publicKey.toECPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n")
                        .getBytes(StandardCharsets.US_ASCII));
        for (byte[] secret : secrets) {
            for (JWSAlgorithm alg : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512)) {
                if (secret.length * 8 < alg.toString().length() * 0 + minimumBits(alg)) {
                    continue;
                }
                JWSHeader header = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).keyID(keys.keyId()).build();
                TokenException e = refused(Forge.sign(header, claims(), new MACSigner(secret)));
                assertEquals(Kind.UNSUPPORTED_ALGORITHM, e.kind());
                assertEquals("tokens signed with alg " + alg + " are refused; accepted: ES256", e.getMessage());
            }
        }
    }

    private static int minimumBits(JWSAlgorithm alg) {
        return Integer.parseInt(alg.getName().substring(2));
    }

    @Test
    void otherAsymmetricAlgorithmsAreRefused() throws Exception {
        JWSHeader rs256 = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keys.keyId()).build();
        String rsa = Forge.sign(rs256, claims(), new RSASSASigner(new RSAKeyGenerator(2048).generate()));
        assertEquals(Kind.UNSUPPORTED_ALGORITHM, refused(rsa).kind());
        JWSHeader es384 = new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(keys.keyId()).build();
        String p384 = Forge.sign(es384, claims(), new ECDSASigner(new ECKeyGenerator(Curve.P_384).generate()));
        assertEquals(Kind.UNSUPPORTED_ALGORITHM, refused(p384).kind());
    }

    @Test
    void encryptedTokensAreRefused() throws Exception {
        JWEObject jwe = new JWEObject(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A128GCM), new Payload(claims()));
        jwe.encrypt(new DirectEncrypter(new byte[16]));
        assertEquals(Kind.UNSUPPORTED_ALGORITHM, refused(jwe.serialize()).kind());
    }

    @Test
    void aTokenBringingItsOwnKeyIsRefused() throws Exception {
        ECKey attacker = attackerKey();
        ECDSASigner signer = new ECDSASigner(attacker);
        List<JWSHeader> headers = List.of(
                new JWSHeader.Builder(ourHeader()).jwk(attacker.toPublicJWK()).build(),
                new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(attacker.getKeyID()).jwk(attacker.toPublicJWK()).build(),
                new JWSHeader.Builder(ourHeader()).jwkURL(URI.create("https://attacker.example/jwks.json")).build(),
                new JWSHeader.Builder(ourHeader()).x509CertURL(URI.create("https://attacker.example/cert.pem")).build(),
                new JWSHeader.Builder(ourHeader()).x509CertChain(List.of(Base64.encode(new byte[] {1, 2, 3}))).build());
        for (JWSHeader header : headers) {
            TokenException e = refused(Forge.sign(header, claims(), signer));
            assertEquals(Kind.BAD_SIGNATURE, e.kind(), header.toString());
            assertTrue(e.getMessage().startsWith("the token brings its own key ("), e.getMessage());
        }
        // Even signed by our own key: a verifier that honoured the header could be led elsewhere next time.
        JWSHeader ownKeyEmbedded = new JWSHeader.Builder(ourHeader()).jwk(keys.publicKey()).build();
        assertEquals(Kind.BAD_SIGNATURE, refused(Forge.sign(ownKeyEmbedded, claims(), new ECDSASigner(keys.signingKey()))).kind());
    }

    @Test
    void aTokenNamingAnotherKeyOrNoKeyIsRefused() throws Exception {
        ECDSASigner ourSigner = new ECDSASigner(keys.signingKey());
        TokenException other = refused(Forge.sign(new JWSHeader.Builder(ourHeader()).keyID("other").build(), claims(), ourSigner));
        assertEquals(Kind.BAD_SIGNATURE, other.kind());
        assertEquals("the token is signed by key other, not by this deployment's key " + keys.keyId(), other.getMessage());
        TokenException none = refused(Forge.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).build(), claims(), ourSigner));
        assertEquals(Kind.BAD_SIGNATURE, none.kind());
        ECKey attacker = attackerKey();
        String attackers = Forge.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(attacker.getKeyID()).build(), claims(),
                new ECDSASigner(attacker));
        assertEquals(Kind.BAD_SIGNATURE, refused(attackers).kind());
    }

    @Test
    void aTokenOfAnotherDeploymentIsRefusedAsBadlySigned() throws Exception {
        TokenKeys other = TokenKeys.generate(DEPLOYMENT);
        String token = new TokenIssuer(other, clock).issue(Registry.GP, Registry.PRACTICE, Purpose.TREAT, null,
                TokenIssuer.DEFAULT_TTL).token();
        assertEquals(Kind.BAD_SIGNATURE, refused(token).kind());
    }

    @Test
    void anExpiredTokenIsRefusedAfterThirtySecondsOfGrace() throws Exception {
        String token = issuer.issue(Registry.GP, Registry.PRACTICE, Purpose.TREAT, null, Duration.ofMinutes(1)).token();
        clock.advance(Duration.ofSeconds(60 + 29));
        verifier.verify(token);
        clock.advance(Duration.ofSeconds(1));
        TokenException e = refused(token);
        assertEquals(Kind.EXPIRED, e.kind());
        assertEquals("the token expired at 2025-03-01T09:01:00Z", e.getMessage());
        clock.advance(Duration.ofDays(365));
        assertEquals(Kind.EXPIRED, refused(token).kind());
    }

    @Test
    void aTokenNotYetValidIsRefusedUnlessWithinThirtySeconds() throws Exception {
        MovableClock ahead = new MovableClock(NOW.plusSeconds(30));
        String slightlyAhead = new TokenIssuer(keys, ahead).issue(Registry.GP, Registry.PRACTICE, Purpose.TREAT, null,
                Duration.ofMinutes(5)).token();
        verifier.verify(slightlyAhead);
        ahead.advance(Duration.ofSeconds(1));
        String tooFarAhead = new TokenIssuer(keys, ahead).issue(Registry.GP, Registry.PRACTICE, Purpose.TREAT, null,
                Duration.ofMinutes(5)).token();
        TokenException e = refused(tooFarAhead);
        assertEquals(Kind.NOT_YET_VALID, e.kind());
        assertEquals("the token is not valid before 2025-03-01T09:00:31Z", e.getMessage());
        clock.advance(Duration.ofSeconds(1));
        verifier.verify(tooFarAhead);

        Map<String, Object> issuedInTheFuture = claims();
        issuedInTheFuture.remove("nbf");
        issuedInTheFuture.put("iat", NOW.plusSeconds(3600).getEpochSecond());
        assertEquals(Kind.NOT_YET_VALID, refused(ours(issuedInTheFuture)).kind());
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        for (Object audience : List.of("other.example/custodian/0002", List.of("other.example", "api.example"), "",
                DEPLOYMENT.toUpperCase())) {
            Map<String, Object> claims = claims();
            claims.put("aud", audience);
            assertEquals(Kind.WRONG_AUDIENCE, refused(ours(claims)).kind(), audience.toString());
        }
        Map<String, Object> none = claims();
        none.put("aud", List.of());
        assertEquals(Kind.MISSING_CLAIM, refused(ours(none)).kind());
        Map<String, Object> several = claims();
        several.put("aud", List.of("other.example", DEPLOYMENT));
        assertEquals("dr-ahmed", verifier.verify(ours(several)).personId(), "one of several audiences is enough");
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() throws Exception {
        Map<String, Object> claims = claims();
        claims.put("iss", "https://accounts.example.com");
        TokenException e = refused(ours(claims));
        assertEquals(Kind.WRONG_ISSUER, e.kind());
        assertEquals("the token was issued by 'https://accounts.example.com', not by '" + DEPLOYMENT + "'", e.getMessage());
    }

    @Test
    void aTokenMissingAClaimIsRefusedNamingIt() throws Exception {
        for (String claim : List.of("iss", "aud", "exp", "sub", "org", "purpose", "jti")) {
            Map<String, Object> claims = claims();
            claims.remove(claim);
            TokenException e = refused(ours(claims));
            assertEquals(Kind.MISSING_CLAIM, e.kind(), claim);
            assertEquals("the token has no '" + claim + "' claim", e.getMessage());
            claims.put(claim, "");
            if (!List.of("exp", "iss", "aud").contains(claim)) {
                assertEquals(Kind.MISSING_CLAIM, refused(ours(claims)).kind(), "blank " + claim);
            }
        }
        Map<String, Object> withoutTimes = claims();
        withoutTimes.remove("iat");
        withoutTimes.remove("nbf");
        verifier.verify(ours(withoutTimes));
    }

    @Test
    void aTokenWithAnUnknownPurposeIsRefusedListingTheKnownOnes() throws Exception {
        for (String purpose : List.of("SELLDATA", "treat", "TREAT ", "HRESCH,TREAT")) {
            Map<String, Object> claims = claims();
            claims.put("purpose", purpose);
            TokenException e = refused(ours(claims));
            assertEquals(Kind.UNKNOWN_PURPOSE, e.kind(), purpose);
            assertTrue(e.getMessage().startsWith("'" + purpose + "' is not a purpose of use Custodian knows; "
                    + "the HL7 PurposeOfUse codes it knows are TREAT, ETREAT, BTG, "), e.getMessage());
        }
        Map<String, Object> many = claims();
        many.put("purpose", List.of("TREAT", "HRESCH"));
        assertEquals(Kind.MALFORMED, refused(ours(many)).kind(), "one token, one purpose");
    }

    @Test
    void onlyScopeRefusalsAreInsufficientScope() {
        for (Kind kind : Kind.values()) {
            assertEquals(kind == Kind.WRONG_PURPOSE || kind == Kind.WRONG_PROJECT, kind.isInsufficientScope(), kind.name());
        }
    }
}
