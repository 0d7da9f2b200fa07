package org.custodian.core.identity;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.Set;
import java.util.stream.Collectors;
import org.custodian.core.identity.TokenException.Kind;

/**
 * The steps every verifier takes on a compact JWS before it looks at a claim: parse, refuse any
 * algorithm or key the token chooses for itself, verify the signature. Nothing in a token is
 * believed before its signature verifies with a key the verifier already trusts.
 */
final class SignedTokens {
    /** Far above any token Custodian or a provider issues; keeps a hostile header from being parsed whole. */
    static final int MAX_TOKEN_CHARS = 16 * 1024;

    private SignedTokens() {}

    /**
     * {@code compact} as a signed JWT (RFC 7515 §7.1 compact serialisation), not yet verified, if its
     * algorithm is one of {@code algorithms}.
     */
    static SignedJWT parse(String compact, Set<JWSAlgorithm> algorithms) throws TokenException {
        requireNonNull(compact, "token is null");
        if (compact.length() > MAX_TOKEN_CHARS) {
            throw new TokenException(Kind.MALFORMED, "the token is longer than " + MAX_TOKEN_CHARS + " characters");
        }
        String token = compact.strip();
        int dot = token.indexOf('.');
        if (dot < 0) {
            throw new TokenException(Kind.MALFORMED, "not a JSON Web Token in compact form (header.payload.signature)");
        }
        // The header alone first, so that an unsigned or encrypted token is refused for what it is,
        // whatever follows it.
        Header header;
        try {
            header = Header.parse(new Base64URL(token.substring(0, dot)));
        } catch (ParseException e) {
            throw new TokenException(Kind.MALFORMED, "the token's header is not a JOSE header: " + e.getMessage());
        }
        if (header instanceof PlainHeader) {
            throw new TokenException(Kind.UNSUPPORTED_ALGORITHM, "unsigned tokens (alg none) are refused");
        }
        if (header instanceof JWEHeader) {
            throw new TokenException(Kind.UNSUPPORTED_ALGORITHM, "encrypted tokens (JWE) are not accepted; send a signed JWT");
        }
        if (!algorithms.contains(header.getAlgorithm())) {
            throw new TokenException(Kind.UNSUPPORTED_ALGORITHM, "tokens signed with alg " + header.getAlgorithm()
                    + " are refused; accepted: " + names(algorithms));
        }
        try {
            return SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new TokenException(Kind.MALFORMED, "not a signed JSON Web Token in compact form: " + e.getMessage());
        }
    }

    /**
     * Refuses a header that brings or points to a key of its own, that marks extensions critical, or
     * whose {@code typ} is not one of {@code types} (an absent typ is accepted). {@code trusted} names
     * the keys that are trusted, for the message.
     */
    static void checkHeader(JWSHeader header, Set<JOSEObjectType> types, String trusted) throws TokenException {
        // RFC 8725 §3.10 and §2.3: a key named by the token is chosen by whoever made the token.
        String brought = header.getJWK() != null ? "jwk"
                : header.getJWKURL() != null ? "jku"
                : header.getX509CertURL() != null ? "x5u"
                : header.getX509CertChain() != null ? "x5c"
                : null;
        if (brought != null) {
            throw new TokenException(Kind.BAD_SIGNATURE, "the token brings its own key (" + brought
                    + " header), which is never trusted; tokens are verified with " + trusted);
        }
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            throw new TokenException(Kind.MALFORMED, "the token marks header parameters "
                    + header.getCriticalParams() + " critical, which are not understood here");
        }
        if (header.getType() != null && !types.contains(header.getType())) {
            throw new TokenException(Kind.MALFORMED, "the token's typ is '" + header.getType()
                    + "', not one of " + types.stream().map(JOSEObjectType::getType).sorted().toList());
        }
    }

    static void verifySignature(SignedJWT jwt, JWSVerifier verifier) throws TokenException {
        // Base64url's last character has spare bits: without this, one signature has several spellings,
        // and so one token several texts, which would defeat anything keyed on the token's text.
        Base64URL signature = jwt.getSignature();
        if (!Base64URL.encode(signature.decode()).toString().equals(signature.toString())) {
            throw new TokenException(Kind.BAD_SIGNATURE, "the token's signature is not in canonical base64url");
        }
        boolean valid;
        try {
            valid = jwt.verify(verifier);
        } catch (JOSEException e) {
            throw new TokenException(Kind.BAD_SIGNATURE, "the token's signature cannot be checked: " + e.getMessage());
        }
        if (!valid) {
            throw new TokenException(Kind.BAD_SIGNATURE, "the token's signature does not verify");
        }
    }

    /** RSA keys shorter than this are refused (NIST SP 800-131A). */
    private static final int MIN_RSA_BITS = 2048;
    /** The RSASSA-PKCS1-v1_5 algorithms (RFC 7518 §3.3); each takes an RSA key of at least {@link #MIN_RSA_BITS}. */
    private static final Set<JWSAlgorithm> RSA = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512);

    /**
     * Whether a published key could be the one a token's header means: the same kid (if the header names
     * one), a signing key, the same algorithm (if the key names one), and a key of the algorithm's type
     * and size (RS256, RS384, RS512: RSA of at least 2048 bits; ES256: EC on P-256).
     */
    static boolean fits(JWK key, JWSHeader header) {
        if (header.getKeyID() != null && !header.getKeyID().equals(key.getKeyID())) {
            return false;
        }
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            return false;
        }
        if (key.getKeyOperations() != null && !key.getKeyOperations().contains(KeyOperation.VERIFY)) {
            return false;
        }
        if (key.getAlgorithm() != null && !key.getAlgorithm().equals(header.getAlgorithm())) {
            return false;
        }
        if (RSA.contains(header.getAlgorithm())) {
            return key instanceof RSAKey rsa && rsa.size() >= MIN_RSA_BITS;
        }
        return JWSAlgorithm.ES256.equals(header.getAlgorithm()) && key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve());
    }

    /** A verifier for a published key that {@link #fits} a token. */
    static JWSVerifier verifier(JWK key) throws TokenException {
        try {
            return key instanceof RSAKey rsa ? new RSASSAVerifier(rsa) : new ECDSAVerifier((ECKey) key);
        } catch (JOSEException e) {
            throw new TokenException(Kind.BAD_SIGNATURE, "the provider's key " + key.getKeyID() + " cannot verify: " + e.getMessage());
        }
    }

    /** The claims of a token whose signature has verified. */
    static JWTClaimsSet claims(SignedJWT jwt) throws TokenException {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new TokenException(Kind.MALFORMED, "the token's claims are not a valid JWT claims set: " + e.getMessage());
        }
    }

    private static String names(Set<JWSAlgorithm> algorithms) {
        return algorithms.stream().map(JWSAlgorithm::getName).sorted().collect(Collectors.joining(", "));
    }
}
