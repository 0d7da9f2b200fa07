package org.custodian.server.auth;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import org.custodian.core.identity.Authenticator;
import org.custodian.core.identity.Caller;
import org.custodian.core.identity.TokenException;
import org.custodian.server.http.Problem;

/**
 * RFC 6750 bearer-token authentication for the API: every call but the public ones presents a token,
 * verified and resolved against the registers. A bad token is 401 {@code invalid_token}; a good token
 * used outside its purpose or project is 403 {@code insufficient_scope}.
 */
public final class BearerAuthentication {
    private static final String REALM = "custodian";

    private final Authenticator authenticator;

    public BearerAuthentication(Authenticator authenticator) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
    }

    /** The caller, or a {@link Problem} (401/403) carrying the reason code. */
    public Caller authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw new Problem(Problem.Category.UNAUTHORIZED, "this endpoint needs a bearer token (custodian token --help)")
                    .header("WWW-Authenticate", "Bearer realm=\"" + REALM + "\"")
                    .with("code", "token.missing");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw invalid("the Authorization header must be \"Bearer <token>\"", "token.malformed");
        }
        try {
            return authenticator.authenticate(header.substring(7).trim());
        } catch (TokenException e) {
            throw problem(e);
        }
    }

    /** The problem for a refused token: 403 when it was valid but used outside its scope, else 401. */
    public static Problem problem(TokenException e) {
        String code = "token." + e.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        if (e.kind().isInsufficientScope()) {
            return new Problem(Problem.Category.FORBIDDEN, e.getMessage())
                    .header("WWW-Authenticate", "Bearer realm=\"" + REALM + "\", error=\"insufficient_scope\"")
                    .with("code", code);
        }
        return invalid(e.getMessage(), code);
    }

    private static Problem invalid(String detail, String code) {
        return new Problem(Problem.Category.UNAUTHORIZED, detail)
                .header("WWW-Authenticate", "Bearer realm=\"" + REALM + "\", error=\"invalid_token\"")
                .with("code", code);
    }
}
