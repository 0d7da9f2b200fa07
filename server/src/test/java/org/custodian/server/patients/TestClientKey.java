package org.custodian.server.patients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The private key of a {@code private_key_jwt} client (RFC 7523, OpenID Connect Core 1.0 §9): the forms it is read
 * from, the assertions it signs, and every key that is refused, with a message that names the problem and never
 * quotes the key.
 */
class TestClientKey {
    private static final URI TOKEN_ENDPOINT = URI.create("https://login.example.nhs.uk/token");
    private static final Instant NOW = Instant.parse("2026-10-01T09:30:00Z");

    private static KeyPair pair(String algorithm, Object size) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (size instanceof Integer bits) {
            generator.initialize(bits);
        } else {
            generator.initialize(new ECGenParameterSpec((String) size));
        }
        return generator.generateKeyPair();
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + label
                + "-----\n";
    }

    private static SignedJWT checked(String assertion, JWSVerifier verifier, JWSAlgorithm algorithm) throws Exception {
        SignedJWT jwt = SignedJWT.parse(assertion);
        assertEquals(algorithm, jwt.getHeader().getAlgorithm());
        assertEquals("JWT", jwt.getHeader().getType().getType());
        assertTrue(jwt.verify(verifier), "signed with the key");
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals("custodian-web", claims.getIssuer());
        assertEquals("custodian-web", claims.getSubject());
        assertEquals(List.of(TOKEN_ENDPOINT.toString()), claims.getAudience());
        assertTrue(jwt.getPayload().toString().contains("\"aud\":\"" + TOKEN_ENDPOINT + "\""), "aud, a single string: " + jwt.getPayload());
        assertEquals(NOW, claims.getIssueTime().toInstant());
        assertEquals(NOW.plus(ClientKey.ASSERTION_LIFETIME), claims.getExpirationTime().toInstant());
        assertTrue(claims.getJWTID().matches("[A-Za-z0-9_-]{43}"), "a jti of 256 random bits: " + claims.getJWTID());
        return jwt;
    }

    @Test
    void anRsaKeyInPkcs8PemSignsRs512AssertionsWithAFreshJtiEachTime() throws Exception {
        KeyPair rsa = pair("RSA", 2048);
        ClientKey key = ClientKey.parse(pem("PRIVATE KEY", rsa.getPrivate().getEncoded()));
        assertEquals("RS512", key.algorithm());
        RSASSAVerifier verifier = new RSASSAVerifier((RSAPublicKey) rsa.getPublic());
        SignedJWT first = checked(key.assertion("custodian-web", TOKEN_ENDPOINT, NOW), verifier, JWSAlgorithm.RS512);
        SignedJWT second = checked(key.assertion("custodian-web", TOKEN_ENDPOINT, NOW), verifier, JWSAlgorithm.RS512);
        assertNull(first.getHeader().getKeyID(), "a PEM key has no kid");
        assertNotEquals(first.getJWTClaimsSet().getJWTID(), second.getJWTClaimsSet().getJWTID(), "never the same jti");
        assertEquals("RSA 2048-bit key, RS512", key.toString());
    }

    @Test
    void anEcP256KeyInPkcs8PemSignsEs256() throws Exception {
        KeyPair ec = pair("EC", "secp256r1");
        ClientKey key = ClientKey.parse("# the deployment's key\n" + pem("PRIVATE KEY", ec.getPrivate().getEncoded()));
        assertEquals("ES256", key.algorithm());
        checked(key.assertion("custodian-web", TOKEN_ENDPOINT, NOW), new ECDSAVerifier((ECPublicKey) ec.getPublic()), JWSAlgorithm.ES256);
    }

    @Test
    void aJsonWebKeyOrAJwkSetOfOneKeySendsItsKid() throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("custodian-2026").keyUse(KeyUse.SIGNATURE).generate();
        for (String text : List.of(ec.toJSONString(), new JWKSet(ec).toString(false))) {
            ClientKey key = ClientKey.parse(text);
            assertEquals("EC P-256 key, ES256, kid custodian-2026", key.toString());
            SignedJWT jwt = checked(key.assertion("custodian-web", TOKEN_ENDPOINT, NOW), new ECDSAVerifier(ec.toPublicJWK()), JWSAlgorithm.ES256);
            assertEquals("custodian-2026", jwt.getHeader().getKeyID());
        }
        RSAKey rsa = new RSAKeyGenerator(3072).keyID("rsa-1").algorithm(JWSAlgorithm.RS512).generate();
        ClientKey key = ClientKey.parse(rsa.toJSONString());
        assertEquals("RSA 3072-bit key, RS512, kid rsa-1", key.toString());
        checked(key.assertion("custodian-web", TOKEN_ENDPOINT, NOW), new RSASSAVerifier(rsa.toPublicJWK()), JWSAlgorithm.RS512);
    }

    @Test
    void keysThatCannotBeUsedAreRefusedSayingWhyWithoutQuotingThem() throws Exception {
        KeyPair rsa = pair("RSA", 2048);
        String rsaBody = Base64.getEncoder().encodeToString(rsa.getPrivate().getEncoded());
        RSAKey rsaJwk = new RSAKeyGenerator(2048).generate();
        ECKey ecJwk = new ECKeyGenerator(Curve.P_256).generate();
        OctetSequenceKey oct = new OctetSequenceKeyGenerator(256).generate();
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put(pem("RSA PRIVATE KEY", rsa.getPrivate().getEncoded()), "PKCS#1 RSA private key; give it in PKCS#8 form");
        refused.put(pem("EC PARAMETERS", new byte[] {6, 8}) + pem("EC PRIVATE KEY", new byte[] {1, 2, 3}), "SEC1 EC private key");
        refused.put(pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3}), "the private key is encrypted");
        refused.put(pem("PUBLIC KEY", rsa.getPublic().getEncoded()), "holds no private key, only PUBLIC KEY");
        refused.put(pem("PRIVATE KEY", rsa.getPrivate().getEncoded()) + pem("PRIVATE KEY", rsa.getPrivate().getEncoded()),
                "more than one private key");
        refused.put(pem("PRIVATE KEY", new byte[] {1, 2, 3, 4}), "neither an RSA nor an EC key");
        refused.put(pem("PRIVATE KEY", pair("RSA", 1024).getPrivate().getEncoded()), "has 1024 bits; at least 2048");
        refused.put(pem("PRIVATE KEY", pair("EC", "secp384r1").getPrivate().getEncoded()), "is on P-384, not P-256");
        refused.put("client-secret-by-mistake", "neither a PEM private key");
        refused.put("{\"kty\": \"RSA\", \"n\": " + rsaBody, "not valid JSON");
        refused.put(rsaJwk.toPublicJWK().toJSONString(), "only a public key");
        refused.put(new RSAKey.Builder(rsaJwk).keyUse(KeyUse.ENCRYPTION).build().toJSONString(), "for use 'enc', not 'sig'");
        refused.put(new RSAKey.Builder(rsaJwk).algorithm(JWSAlgorithm.RS256).build().toJSONString(), "is for RS256");
        refused.put(new ECKeyGenerator(Curve.P_384).generate().toJSONString(), "is on P-384, not P-256");
        refused.put(oct.toJSONString(), "of type oct");
        refused.put(new JWKSet(List.of(rsaJwk, ecJwk)).toString(false), "a JWK Set of 2 keys");
        refused.put("{\"kty\": \"RSA\"}", "not a usable JSON Web Key");
        for (Map.Entry<String, String> e : refused.entrySet()) {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> ClientKey.parse(e.getKey()), e.getValue());
            assertTrue(x.getMessage().contains(e.getValue()), "'" + e.getValue() + "' in: " + x.getMessage());
            assertFalse(x.getMessage().contains(rsaBody.substring(100, 140)) || x.getMessage().contains(rsaJwk.getPrivateExponent().toString())
                    || x.getMessage().contains(oct.getKeyValue().toString()), "no key material: " + x.getMessage());
        }
    }
}
