package org.custodian.core.identity;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;

/**
 * Which JWT claims carry the person's id, their organisation's id, the purpose of use (an HL7
 * PurposeOfUse code) and the project (optional). Custodian's own tokens use {@link #DEFAULT}; an
 * external OpenID Connect provider may be configured to send them under other names.
 */
public record ClaimNames(String person, String organisation, String purpose, String project) {
    /** Claims whose meaning is fixed by RFC 7519 and cannot carry anything else (declared first: DEFAULT needs it). */
    private static final List<String> REGISTERED = List.of("iss", "aud", "exp", "nbf", "iat", "jti");

    public static final ClaimNames DEFAULT = new ClaimNames("sub", "org", "purpose", "project");

    public ClaimNames {
        for (String name : new String[] {person, organisation, purpose, project}) {
            requireNonNull(name, "claim name is null");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a claim name is blank");
            }
            if (REGISTERED.contains(name)) {
                throw new IllegalArgumentException("claim '" + name + "' is a registered JWT claim and cannot carry "
                        + "a person, organisation, purpose or project");
            }
        }
        if (new HashSet<>(List.of(person, organisation, purpose, project)).size() != 4) {
            throw new IllegalArgumentException("person, organisation, purpose and project need four different claims, not "
                    + List.of(person, organisation, purpose, project));
        }
    }
}
