package org.custodian.core.identity;

/**
 * Checks a bearer token and says what it claims. Implementations MUST be safe for concurrent use.
 *
 * <p>An implementation MUST accept a token only if it is a compact JWS (RFC 7515 §7.1) signed with
 * an algorithm from its own fixed list by a key it trusts for that algorithm; it MUST NOT take the
 * algorithm's choice or the key from the token ({@code alg: none}, an HMAC keyed with a public key,
 * or a key brought in a {@code jwk}, {@code jku}, {@code x5u} or {@code x5c} header are refused).
 * It MUST check the signature before believing any claim, then the issuer, the audience, the
 * expiry and not-before times (allowing a small clock skew), and the presence of the person,
 * organisation, purpose and token id claims. It MUST NOT consult the registers: that is the
 * {@link Authenticator}'s job.
 */
public interface TokenVerifier {
    /**
     * The claims of {@code compactJwt}, or a {@link TokenException} saying why it is refused. An
     * implementation that cannot check the token at all (an identity provider's keys cannot be
     * fetched) MUST throw an unchecked exception rather than accept it: see
     * {@link IdentityProviderUnavailableException}.
     */
    Claims verify(String compactJwt) throws TokenException;
}
