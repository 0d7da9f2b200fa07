package org.custodian.server.patients;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The private key a client signs its {@code private_key_jwt} assertions with (OpenID Connect Core 1.0
 * §9, RFC 7523 §2.2 and §3): an RSA key of at least 2048 bits, which signs with RS512 (NHS login's
 * choice), or an EC key on P-256, which signs with ES256. The provider holds the public half.
 *
 * <p>Read from a PEM PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}, what {@code openssl
 * genpkey} writes) or a JSON Web Key (RFC 7517; or a JWK Set holding that one key). A JWK's {@code kid}
 * is sent in each assertion's header, so that a provider holding several keys of the client can pick
 * this one; a PEM key has none. Messages about a key that cannot be used never quote key material, and
 * neither does {@link #toString}.
 */
public final class ClientKey {
    /** RFC 7523 §2.2: the {@code client_assertion_type} of a JWT assertion. */
    public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /**
     * How long an assertion is good for: long enough for one token request, short enough that a copy is
     * soon worthless, and within the five minutes NHS services allow (with room for their clock to be ahead).
     */
    static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(3);
    private static final int MIN_RSA_BITS = 2048;
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

    private final JWSAlgorithm algorithm;
    private final JWSSigner signer;
    private final Optional<String> keyId;
    private final String description;

    private ClientKey(JWSAlgorithm algorithm, JWSSigner signer, Optional<String> keyId, String description) {
        this.algorithm = algorithm;
        this.signer = signer;
        this.keyId = keyId;
        this.description = description;
    }

    /**
     * The key in {@code text}: a PEM PKCS#8 private key or a JWK, RSA (2048 bits or more) or EC P-256.
     *
     * @throws IllegalArgumentException it is none of these, or is only a public key, or is encrypted, or is
     *     in another PEM form (PKCS#1, SEC1: the message says how to convert it); never quoting the key
     */
    public static ClientKey parse(String text) {
        requireNonNull(text, "text is null");
        String trimmed = text.strip();
        ClientKey key = trimmed.startsWith("{") ? fromJwk(trimmed) : fromPem(trimmed);
        try {
            // Signed once now, so that a key the JDK cannot sign with stops the start, not the first sign-in.
            key.assertion("check", URI.create("https://check.invalid/token"), Instant.now());
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("the key cannot sign with " + key.algorithm + ": " + e.getCause().getMessage());
        }
        return key;
    }

    private static ClientKey fromPem(String text) {
        List<String> labels = new ArrayList<>();
        String body = null;
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            labels.add(m.group(1));
            if (m.group(1).equals("PRIVATE KEY")) {
                if (body != null) {
                    throw new IllegalArgumentException("it holds more than one private key");
                }
                body = m.group(2);
            }
        }
        if (body == null) {
            if (labels.contains("RSA PRIVATE KEY") || labels.contains("EC PRIVATE KEY")) {
                throw new IllegalArgumentException("it holds a " + (labels.contains("RSA PRIVATE KEY") ? "PKCS#1 RSA" : "SEC1 EC")
                        + " private key; give it in PKCS#8 form instead (openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)");
            }
            if (labels.contains("ENCRYPTED PRIVATE KEY")) {
                throw new IllegalArgumentException("the private key is encrypted; give it unencrypted, in a file only this server's"
                        + " user can read (openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)");
            }
            if (!labels.isEmpty()) {
                throw new IllegalArgumentException("it holds no private key, only " + String.join(", ", labels)
                        + " (the provider is given the public key; this server needs the private one)");
            }
            throw new IllegalArgumentException("it is neither a PEM private key (-----BEGIN PRIVATE KEY-----) nor a JSON Web Key");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM private key is not valid base64");
        }
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException notRsa) {
            try {
                key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notEc) {
                throw new IllegalArgumentException("the PEM private key is neither an RSA nor an EC key in PKCS#8 form");
            }
        }
        if (key instanceof RSAPrivateKey rsa) {
            int bits = checkRsaSize(rsa.getModulus().bitLength());
            return new ClientKey(JWSAlgorithm.RS512, new RSASSASigner(rsa), Optional.empty(), "RSA " + bits + "-bit key, RS512");
        }
        if (key instanceof ECPrivateKey ec) {
            checkCurve(Curve.forECParameterSpec(ec.getParams()));
            try {
                return new ClientKey(JWSAlgorithm.ES256, new ECDSASigner(ec), Optional.empty(), "EC P-256 key, ES256");
            } catch (JOSEException e) {
                throw new IllegalArgumentException("the EC key cannot sign with ES256: " + e.getMessage());
            }
        }
        throw new IllegalArgumentException("the PEM private key is neither an RSA nor an EC key");
    }

    private static ClientKey fromJwk(String text) {
        Map<String, Object> json;
        try {
            json = JSONObjectUtils.parse(text);
        } catch (ParseException e) {
            // The parser's message may quote the text, which is key material.
            throw new IllegalArgumentException("it starts like a JSON Web Key but is not valid JSON");
        }
        JWK jwk;
        try {
            if (json.containsKey("keys")) {
                List<JWK> keys = JWKSet.parse(json).getKeys();
                if (keys.size() != 1) {
                    throw new IllegalArgumentException("it is a JWK Set of " + keys.size() + " keys; give the one key to sign with");
                }
                jwk = keys.get(0);
            } else {
                jwk = JWK.parse(json);
            }
        } catch (ParseException e) {
            throw new IllegalArgumentException("it is not a usable JSON Web Key (" + e.getMessage() + ")");
        }
        if (!jwk.isPrivate()) {
            throw new IllegalArgumentException("the JSON Web Key is only a public key (the provider is given the public key;"
                    + " this server needs the private one)");
        }
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            throw new IllegalArgumentException("the JSON Web Key is for use '" + jwk.getKeyUse().identifier() + "', not 'sig'");
        }
        Optional<String> kid = Optional.ofNullable(jwk.getKeyID()).filter(k -> !k.isBlank());
        String named = kid.map(k -> ", kid " + k).orElse("");
        try {
            if (jwk instanceof RSAKey rsa) {
                checkAlgorithm(jwk, JWSAlgorithm.RS512);
                int bits = checkRsaSize(rsa.size());
                return new ClientKey(JWSAlgorithm.RS512, new RSASSASigner(rsa), kid, "RSA " + bits + "-bit key, RS512" + named);
            }
            if (jwk instanceof ECKey ec) {
                checkCurve(ec.getCurve());
                checkAlgorithm(jwk, JWSAlgorithm.ES256);
                return new ClientKey(JWSAlgorithm.ES256, new ECDSASigner(ec), kid, "EC P-256 key, ES256" + named);
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the JSON Web Key cannot sign: " + e.getMessage());
        }
        throw new IllegalArgumentException("the JSON Web Key is of type " + jwk.getKeyType() + "; private_key_jwt here signs with an"
                + " RSA key (RS512) or an EC P-256 key (ES256)");
    }

    private static int checkRsaSize(int bits) {
        if (bits < MIN_RSA_BITS) {
            throw new IllegalArgumentException("the RSA key has " + bits + " bits; at least " + MIN_RSA_BITS + " are needed");
        }
        return bits;
    }

    private static void checkCurve(Curve curve) {
        if (!Curve.P_256.equals(curve)) {
            throw new IllegalArgumentException("the EC key is on " + (curve == null ? "a curve other than the named ones" : curve.getName())
                    + ", not P-256 (ES256 signs with P-256 keys)");
        }
    }

    /** A JWK that names its algorithm must name the one used with it here. */
    private static void checkAlgorithm(JWK jwk, JWSAlgorithm used) {
        if (jwk.getAlgorithm() != null && !used.getName().equals(jwk.getAlgorithm().getName())) {
            throw new IllegalArgumentException("the JSON Web Key is for " + jwk.getAlgorithm().getName() + ", but this client signs with "
                    + used.getName() + " with such a key");
        }
    }

    /** The JWS algorithm of the assertions: RS512 or ES256. */
    public String algorithm() {
        return algorithm.getName();
    }

    /**
     * A new client assertion (RFC 7523 §3, OpenID Connect Core 1.0 §9): {@code iss} and {@code sub} the client
     * id, {@code aud} the token endpoint it is for, a {@code jti} of 256 random bits never used before,
     * issued {@code now} and good for {@link #ASSERTION_LIFETIME}.
     */
    String assertion(String clientId, URI tokenEndpoint, Instant now) {
        JWSHeader.Builder header = new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT);
        keyId.ifPresent(header::keyID);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(clientId)
                .subject(clientId)
                .audience(tokenEndpoint.toString())
                .jwtID(WebSessions.randomToken())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ASSERTION_LIFETIME)))
                .build();
        SignedJWT jwt = new SignedJWT(header.build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a client assertion", e);
        }
        return jwt.serialize();
    }

    /** What key it is, for the banner and the logs; never the key itself. */
    @Override
    public String toString() {
        return description;
    }
}
