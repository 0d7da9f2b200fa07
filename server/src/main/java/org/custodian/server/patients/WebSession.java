package org.custodian.server.patients;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.custodian.core.registers.NhsNumber;

/**
 * A signed-in person's session.
 *
 * @param personId who signed in (a person in the registers)
 * @param actingFor whose record they are acting on: their own, or one they are a proxy for; empty until chosen
 * @param csrf the token every form of this session carries back
 * @param signedInBy how they signed in ({@code demo-code}, {@code oidc:<issuer>})
 */
record WebSession(byte[] tokenHash, String personId, Optional<NhsNumber> actingFor, String csrf, String signedInBy) {
    WebSession {
        requireNonNull(tokenHash, "tokenHash is null");
        requireNonNull(personId, "personId is null");
        requireNonNull(actingFor, "actingFor is null");
        requireNonNull(csrf, "csrf is null");
        requireNonNull(signedInBy, "signedInBy is null");
    }
}
