package org.custodian.core.identity;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.util.Set;
import org.custodian.core.identity.TokenException.Kind;

/**
 * Verifies the tokens this deployment issues ({@link TokenIssuer}): ES256 only, signed by the
 * deployment's one key (its {@code kid} must match), issued by and for the deployment's identifier,
 * within its validity period give or take 30 seconds of clock skew.
 */
public final class CustodianTokenVerifier implements TokenVerifier {
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256);
    private static final Set<JOSEObjectType> TYPES = Set.of(JOSEObjectType.JWT);

    private final String identifier;
    private final String keyId;
    private final JWSVerifier verifier;
    private final Clock clock;
    /**
     * Claims of tokens whose header and signature already verified, by their exact compact text. An
     * ECDSA verification costs about a millisecond of CPU in the JDK's pure-Java implementation, and
     * a clinical system presents the same token for every request of its 15 minutes; a different
     * (tampered) token is a different key, so it is verified afresh. The time-dependent checks
     * (expiry, not-before) run on every use, hit or miss.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Claims> verified =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_CACHED = 20_000;

    /** Verifies with the public half of {@code keys}. */
    public CustodianTokenVerifier(TokenKeys keys, Clock clock) {
        requireNonNull(keys, "keys is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.identifier = keys.identifier();
        ECKey publicKey = keys.publicKey();
        this.keyId = publicKey.getKeyID();
        try {
            this.verifier = new ECDSAVerifier(publicKey);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot verify with the token key: " + e.getMessage(), e);
        }
    }

    @Override
    public Claims verify(String compactJwt) throws TokenException {
        requireNonNull(compactJwt, "token is null");
        Claims cached = verified.get(compactJwt);
        if (cached != null) {
            // Everything but expiry was checked when it entered the cache, and cannot change: the
            // not-before time had already passed then.
            if (!clock.instant().minus(ClaimChecks.CLOCK_SKEW).isBefore(cached.expiresAt())) {
                verified.remove(compactJwt);
                throw new TokenException(Kind.EXPIRED, "the token expired at " + cached.expiresAt());
            }
            return cached;
        }
        SignedJWT jwt = SignedTokens.parse(compactJwt, ALGORITHMS);
        SignedTokens.checkHeader(jwt.getHeader(), TYPES, "this deployment's key " + keyId);
        if (!keyId.equals(jwt.getHeader().getKeyID())) {
            throw new TokenException(Kind.BAD_SIGNATURE, jwt.getHeader().getKeyID() == null
                    ? "the token names no key (kid); this deployment's tokens are signed by key " + keyId
                    : "the token is signed by key " + jwt.getHeader().getKeyID() + ", not by this deployment's key " + keyId);
        }
        SignedTokens.verifySignature(jwt, verifier);
        Claims checked = ClaimChecks.check(SignedTokens.claims(jwt), identifier, identifier, ClaimNames.DEFAULT, clock.instant(), null);
        if (verified.size() >= MAX_CACHED) {
            verified.clear(); // crude bound; re-verifying is only slower, never wrong
        }
        verified.put(compactJwt, checked);
        return checked;
    }
}
