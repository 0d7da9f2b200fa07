package org.custodian.core.identity;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.custodian.core.identity.TokenException.Kind;

/**
 * Validates the ID token an OpenID Provider returns from its token endpoint in the authorization code
 * flow, as OpenID Connect Core 1.0 §3.1.3.7 lays out, for one client of one provider. Safe for
 * concurrent use.
 *
 * <p>The token MUST be a signed JWT (never unsigned or encrypted: step 1), signed with one of the
 * accepted algorithms (step 7) by a key the provider publishes in its JWK Set (step 6; keys are cached
 * and fetched again when a token names a key not yet seen, so the provider can rotate them: see
 * {@link JwksCache}); its {@code iss} MUST be exactly the issuer (step 2); its {@code aud} MUST contain
 * the client id (step 3); when it names several audiences, {@code azp} MUST be present (step 4), and
 * whenever {@code azp} is present it MUST be the client id (step 5); it MUST NOT have expired (step 9)
 * and MUST have been issued neither in the future nor before this sign-in began (step 10), give or take
 * {@link ClaimChecks#CLOCK_SKEW}; its {@code nonce} MUST be the one this sign-in sent (step 11); and it
 * MUST name a {@code sub}. A token that brings its own key, or is typed as anything but a JWT (an
 * access token, say), is refused.
 *
 * <p>Not checked: {@code at_hash} (OPTIONAL when the ID token comes from the token endpoint, §3.1.3.6,
 * and the access token is not used), {@code acr} and {@code auth_time} (not requested).
 */
public final class IdTokenVerifier {
    /**
     * RS256 (the default every provider supports, §15.1), RS384 and RS512 (NHS login signs with RS512),
     * and ES256.
     */
    public static final Set<String> SUPPORTED_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "ES256");
    /** ID tokens are typed JWT or not typed at all; an access token (at+jwt) is not an ID token. */
    private static final Set<JOSEObjectType> TYPES = Set.of(JOSEObjectType.JWT);

    private final String issuer;
    private final String clientId;
    private final URI jwksUri;
    private final Set<JWSAlgorithm> algorithms;
    private final JwksCache keys;
    private final Clock clock;

    /**
     * @param algorithms the signature algorithms accepted, some of {@link #SUPPORTED_ALGORITHMS}
     * @throws IllegalArgumentException the issuer or JWK Set URL is not https (or loopback http), or an algorithm is not supported
     */
    public IdTokenVerifier(String issuer, String clientId, URI jwksUri, Set<String> algorithms, HttpClient http, Clock clock) {
        this.issuer = requireNonNull(issuer, "issuer is null");
        this.clientId = requireNonNull(clientId, "clientId is null");
        this.jwksUri = requireNonNull(jwksUri, "jwksUri is null");
        this.clock = requireNonNull(clock, "clock is null");
        requireNonNull(algorithms, "algorithms is null");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("the client id is blank");
        }
        OidcProvider.requireSecure(URI.create(issuer), "the issuer");
        OidcProvider.requireSecure(jwksUri, "the JWK Set URL");
        if (algorithms.isEmpty() || !SUPPORTED_ALGORITHMS.containsAll(algorithms)) {
            throw new IllegalArgumentException("the accepted ID token algorithms must be some of " + new TreeSet<>(SUPPORTED_ALGORITHMS)
                    + ", not " + new TreeSet<>(algorithms));
        }
        this.algorithms = algorithms.stream().map(JWSAlgorithm::parse).collect(Collectors.toUnmodifiableSet());
        this.keys = new JwksCache(jwksUri, requireNonNull(http, "http is null"), clock);
    }

    /**
     * Fetches the provider's keys now rather than at the first sign-in, so that a start-up can stop on
     * keys it cannot fetch or use.
     *
     * @return how many of the published keys can verify an ID token signed with an accepted algorithm
     * @throws IdentityProviderUnavailableException the keys cannot be fetched
     */
    public int fetchKeys() {
        return keys.select(key -> algorithms.stream().anyMatch(alg -> SignedTokens.fits(key, new JWSHeader(alg)))).size();
    }

    /**
     * The checked ID token, or a {@link TokenException} saying why it is refused.
     *
     * @param nonce the nonce this sign-in sent in its authentication request
     * @param signInStartedAt when this sign-in sent the person to the provider: a token issued before
     *     then is not this sign-in's
     * @throws IdentityProviderUnavailableException the provider's keys have never been fetched and cannot be now
     */
    public IdToken verify(String compactJwt, String nonce, Instant signInStartedAt) throws TokenException {
        requireNonNull(nonce, "nonce is null");
        requireNonNull(signInStartedAt, "signInStartedAt is null");
        SignedJWT jwt = SignedTokens.parse(compactJwt, algorithms);
        JWSHeader header = jwt.getHeader();
        SignedTokens.checkHeader(header, TYPES, "the keys " + issuer + " publishes at " + jwksUri);
        List<JWK> candidates = keys.select(key -> SignedTokens.fits(key, header));
        if (candidates.isEmpty()) {
            throw new TokenException(Kind.BAD_SIGNATURE, header.getKeyID() == null
                    ? "the ID token names no key (kid), and " + issuer + " publishes no " + header.getAlgorithm() + " key at " + jwksUri
                    : "the ID token is signed by key " + header.getKeyID() + ", which " + issuer + " does not publish for "
                            + header.getAlgorithm() + " at " + jwksUri);
        }
        TokenException refused = null;
        for (JWK key : candidates) {
            try {
                SignedTokens.verifySignature(jwt, SignedTokens.verifier(key));
                return check(SignedTokens.claims(jwt), nonce, signInStartedAt);
            } catch (TokenException e) {
                if (e.kind() != Kind.BAD_SIGNATURE) {
                    throw e;
                }
                refused = e;
            }
        }
        throw refused;
    }

    private IdToken check(JWTClaimsSet claims, String nonce, Instant signInStartedAt) throws TokenException {
        Instant now = clock.instant();
        String iss = string(claims, "iss");
        if (iss == null) {
            throw missing("iss");
        }
        if (!iss.equals(issuer)) {
            throw new TokenException(Kind.WRONG_ISSUER, "the ID token was issued by '" + iss + "', not by '" + issuer + "'");
        }
        List<String> audience = claims.getAudience();
        if (audience.isEmpty()) {
            throw missing("aud");
        }
        if (!audience.contains(clientId)) {
            throw new TokenException(Kind.WRONG_AUDIENCE, "the ID token is meant for " + audience + ", not for the client '" + clientId + "'");
        }
        String azp = string(claims, "azp");
        if (azp == null && audience.size() > 1) {
            throw new TokenException(Kind.WRONG_AUDIENCE, "the ID token is meant for several audiences " + audience
                    + " and names no authorized party (azp)");
        }
        if (azp != null && !azp.equals(clientId)) {
            throw new TokenException(Kind.WRONG_AUDIENCE, "the ID token was issued to the client '" + azp + "' (azp), not to '" + clientId + "'");
        }
        Instant expires = instant(claims.getExpirationTime());
        if (expires == null) {
            throw missing("exp");
        }
        if (!now.minus(ClaimChecks.CLOCK_SKEW).isBefore(expires)) {
            throw new TokenException(Kind.EXPIRED, "the ID token expired at " + expires);
        }
        Instant issued = instant(claims.getIssueTime());
        if (issued == null) {
            throw missing("iat");
        }
        if (now.plus(ClaimChecks.CLOCK_SKEW).isBefore(issued)) {
            throw new TokenException(Kind.NOT_YET_VALID, "the ID token says it was issued at " + issued + ", which is in the future");
        }
        Instant notBefore = instant(claims.getNotBeforeTime());
        if (notBefore != null && now.plus(ClaimChecks.CLOCK_SKEW).isBefore(notBefore)) {
            throw new TokenException(Kind.NOT_YET_VALID, "the ID token is not valid before " + notBefore);
        }
        if (issued.isBefore(signInStartedAt.truncatedTo(ChronoUnit.SECONDS).minus(ClaimChecks.CLOCK_SKEW))) {
            throw new TokenException(Kind.WRONG_NONCE, "the ID token was issued at " + issued + ", before this sign-in began at "
                    + signInStartedAt.truncatedTo(ChronoUnit.SECONDS));
        }
        String sent = string(claims, "nonce");
        if (sent == null) {
            throw missing("nonce");
        }
        if (!MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), nonce.getBytes(StandardCharsets.UTF_8))) {
            throw new TokenException(Kind.WRONG_NONCE, "the ID token's nonce is not the one this sign-in sent");
        }
        String subject = string(claims, "sub");
        if (subject == null || subject.isBlank()) {
            throw missing("sub");
        }
        return new IdToken(iss, subject, issued, expires, claims.getClaims());
    }

    private static String string(JWTClaimsSet claims, String name) throws TokenException {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            throw new TokenException(Kind.MALFORMED, "the ID token's claim '" + name + "' is not a string");
        }
    }

    private static TokenException missing(String name) {
        return new TokenException(Kind.MISSING_CLAIM, "the ID token has no '" + name + "' claim");
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant().truncatedTo(ChronoUnit.SECONDS);
    }
}
