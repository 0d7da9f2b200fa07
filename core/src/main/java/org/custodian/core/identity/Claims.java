package org.custodian.core.identity;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.custodian.core.vocabulary.Purpose;

/**
 * What a verified token says: who ({@code personId}, the JWT {@code sub} or the provider's
 * configured claim), for which organisation, for which one purpose, under which project (null when
 * none), until when. Not yet checked against the registers: see {@link Authenticator}.
 */
public record Claims(String issuer, String personId, String organisationId, Purpose purpose, String projectId,
        String tokenId, Instant expiresAt) {

    public Claims {
        requireNonBlank(issuer, "issuer");
        requireNonBlank(personId, "personId");
        requireNonBlank(organisationId, "organisationId");
        requireNonNull(purpose, "purpose is null");
        if (projectId != null) {
            requireNonBlank(projectId, "projectId");
        }
        requireNonBlank(tokenId, "tokenId");
        requireNonNull(expiresAt, "expiresAt is null");
    }

    public Optional<String> project() {
        return Optional.ofNullable(projectId);
    }

    private static void requireNonBlank(String value, String name) {
        requireNonNull(value, name + " is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " is blank");
        }
    }
}
