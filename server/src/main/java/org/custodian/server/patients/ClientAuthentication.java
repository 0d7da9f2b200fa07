package org.custodian.server.patients;

import static java.util.Objects.requireNonNull;

/**
 * How this deployment, as a client of an OpenID Provider, proves who it is at the token endpoint
 * (OpenID Connect Core 1.0 §9). Fixed at start-up; {@link OidcClient#discover} checks that the
 * provider accepts it.
 */
public sealed interface ClientAuthentication {
    /** The method's name in {@code token_endpoint_auth_methods_supported}. */
    String method();

    /**
     * A public client ({@code none}): its {@code client_id} in the body (RFC 6749 §2.1), and the PKCE code
     * verifier the only proof that it is the client that began the sign-in.
     */
    record None() implements ClientAuthentication {
        @Override
        public String method() {
            return "none";
        }
    }

    /** {@code client_secret_basic} (RFC 6749 §2.3.1): a secret shared with the provider, sent in each token request. */
    record SecretBasic(String secret) implements ClientAuthentication {
        public SecretBasic {
            requireNonNull(secret, "secret is null");
            if (secret.isBlank()) {
                throw new IllegalArgumentException("the client secret is blank");
            }
        }

        @Override
        public String method() {
            return "client_secret_basic";
        }

        /** The secret is never printed. */
        @Override
        public String toString() {
            return "SecretBasic[(set)]";
        }
    }

    /**
     * {@code private_key_jwt} (§9, RFC 7523 §2.2): each token request carries a short-lived JWT signed with
     * the client's private key, whose public half the provider holds. Nothing secret crosses the wire,
     * and an assertion is good for one request only (its {@code jti}).
     */
    record PrivateKeyJwt(ClientKey key) implements ClientAuthentication {
        public PrivateKeyJwt {
            requireNonNull(key, "key is null");
        }

        @Override
        public String method() {
            return "private_key_jwt";
        }
    }
}
