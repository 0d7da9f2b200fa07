package org.custodian.core.identity;

import static java.util.Objects.requireNonNull;

/**
 * A bearer token was refused: why, as one of a closed set of kinds, and in plain words for the caller.
 * The message MUST NOT quote the token or key material; it may name claims and their values.
 */
public final class TokenException extends Exception {

    /** Why a token was refused. */
    public enum Kind {
        /** Not a compact JWS with JSON header and claims, or a claim of the wrong type. */
        MALFORMED,
        /** The signature does not verify, or the token names a key that is not trusted. */
        BAD_SIGNATURE,
        /** {@code alg} is not one the verifier accepts ({@code none}, HS256, ...). */
        UNSUPPORTED_ALGORITHM,
        EXPIRED,
        NOT_YET_VALID,
        WRONG_ISSUER,
        WRONG_AUDIENCE,
        MISSING_CLAIM,
        /** The purpose claim is not an HL7 PurposeOfUse code Custodian decides on. */
        UNKNOWN_PURPOSE,
        /** The token's subject is not (or no longer) in the registers. */
        UNKNOWN_PERSON,
        /** The person's or the project's organisation is not (or no longer) the token's, or it is unknown. */
        ORGANISATION_MISMATCH,
        /** The token names a project that is not in the registers. */
        UNKNOWN_PROJECT,
        /** A valid token used for another purpose than its own. */
        WRONG_PURPOSE,
        /** A valid token used outside its project. */
        WRONG_PROJECT,
        /**
         * An OpenID Connect ID token that was not issued for this sign-in: its {@code nonce} is not the
         * one the sign-in sent, or it was issued before the sign-in began.
         */
        WRONG_NONCE;

        /**
         * Whether the token itself is valid but was used outside its purpose or project: RFC 6750 §3.1
         * {@code insufficient_scope} (HTTP 403). Every other kind is {@code invalid_token} (HTTP 401).
         */
        public boolean isInsufficientScope() {
            return this == WRONG_PURPOSE || this == WRONG_PROJECT;
        }
    }

    private final Kind kind;

    public TokenException(Kind kind, String message) {
        super(requireNonNull(message, "message is null"));
        this.kind = requireNonNull(kind, "kind is null");
    }

    public TokenException(Kind kind, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.kind = requireNonNull(kind, "kind is null");
    }

    public Kind kind() {
        return kind;
    }
}
