package org.custodian.core.identity;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.custodian.core.identity.TokenException.Kind;

/**
 * Verifies tokens issued by an external OpenID Connect provider ({@link OidcProvider}) instead of
 * Custodian: signed with one of the configured algorithms by a key the provider publishes in its JWK
 * Set, issued by the provider for the configured audience, within its validity period give or take
 * 30 seconds, carrying the person, organisation and purpose (and perhaps project) in the configured
 * claims. The keys are fetched over HTTP and cached; a token signed by a key not yet seen causes a
 * fetch, so the provider can rotate its keys (see {@link JwksCache} for the rules).
 *
 * <p>A provider that sends no {@code jti} is accepted; the token's id is then {@code sha256:}
 * followed by the base64url SHA-256 of the token, so that a record of its use still names it.
 */
public final class OidcTokenVerifier implements TokenVerifier {
    /** Access tokens as providers type them (RFC 9068 §2.1 uses at+jwt; many send JWT). */
    private static final Set<JOSEObjectType> TYPES =
            Set.of(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"));

    private final OidcProvider provider;
    private final Set<JWSAlgorithm> algorithms;
    private final JwksCache keys;
    private final Clock clock;

    public OidcTokenVerifier(OidcProvider provider, HttpClient http, Clock clock) {
        this.provider = requireNonNull(provider, "provider is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.algorithms = provider.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toUnmodifiableSet());
        this.keys = new JwksCache(provider.jwksUri(), requireNonNull(http, "http is null"), clock);
    }

    /**
     * The verifier for the provider {@code issuer}, with the JWK Set URL from its discovery document
     * ({@code <issuer>/.well-known/openid-configuration}, OpenID Connect Discovery 1.0 §4), which MUST
     * name the same issuer (§4.3).
     *
     * @throws IOException the document cannot be fetched, is not JSON, or names another issuer or no
     *     {@code jwks_uri}
     * @throws IllegalArgumentException the configuration is invalid (see {@link OidcProvider})
     */
    public static OidcTokenVerifier discover(String issuer, String audience, Set<String> algorithms, ClaimNames claimNames,
            HttpClient http, Clock clock) throws IOException {
        OidcDiscovery discovery = OidcDiscovery.fetch(issuer, http);
        return new OidcTokenVerifier(new OidcProvider(issuer, discovery.jwksUri(), audience, algorithms, claimNames), http, clock);
    }

    public OidcProvider provider() {
        return provider;
    }

    @Override
    public Claims verify(String compactJwt) throws TokenException {
        SignedJWT jwt = SignedTokens.parse(compactJwt, algorithms);
        JWSHeader header = jwt.getHeader();
        SignedTokens.checkHeader(header, TYPES, "the keys " + provider.issuer() + " publishes at " + provider.jwksUri());
        List<JWK> candidates = keys.select(key -> SignedTokens.fits(key, header));
        if (candidates.isEmpty()) {
            throw new TokenException(Kind.BAD_SIGNATURE, header.getKeyID() == null
                    ? "the token names no key (kid), and " + provider.issuer() + " publishes no " + header.getAlgorithm()
                            + " key at " + provider.jwksUri()
                    : "the token is signed by key " + header.getKeyID() + ", which " + provider.issuer()
                            + " does not publish for " + header.getAlgorithm() + " at " + provider.jwksUri());
        }
        TokenException refused = null;
        for (JWK key : candidates) {
            try {
                SignedTokens.verifySignature(jwt, SignedTokens.verifier(key));
                return ClaimChecks.check(SignedTokens.claims(jwt), provider.issuer(), provider.audience(),
                        provider.claimNames(), clock.instant(), digest(compactJwt));
            } catch (TokenException e) {
                if (e.kind() != Kind.BAD_SIGNATURE) {
                    throw e;
                }
                refused = e;
            }
        }
        throw refused;
    }

    private static String digest(String compactJwt) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(compactJwt.strip().getBytes(StandardCharsets.US_ASCII));
            return "sha256:" + Base64URL.encode(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
