package org.custodian.core.identity;

/**
 * The keys needed to check tokens could not be obtained (an OpenID Connect provider is unreachable or
 * answers nonsense), so no token can be accepted: the caller is not at fault, and a server answers
 * 503 rather than 401.
 */
public final class IdentityProviderUnavailableException extends RuntimeException {
    public IdentityProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
