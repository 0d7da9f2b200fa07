package org.custodian.core.identity;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An OpenID Connect ID token that {@link IdTokenVerifier} has checked: who the provider says signed in
 * ({@code subject}, unique only together with {@code issuer}: OpenID Connect Core 1.0 §5.7), and every
 * claim, for the caller to map the person to someone in the registers.
 */
public record IdToken(String issuer, String subject, Instant issuedAt, Instant expiresAt, Map<String, Object> claims) {
    public IdToken {
        requireNonNull(issuer, "issuer is null");
        requireNonNull(subject, "subject is null");
        requireNonNull(issuedAt, "issuedAt is null");
        requireNonNull(expiresAt, "expiresAt is null");
        // JSON null is a legal claim value, which Map.copyOf refuses.
        claims = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(claims, "claims is null")));
    }

    /** The claim {@code name} if it is a non-blank string; empty if absent, blank or of another type. */
    public Optional<String> string(String name) {
        return claims.get(name) instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }
}
