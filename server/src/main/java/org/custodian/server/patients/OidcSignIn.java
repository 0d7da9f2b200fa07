package org.custodian.server.patients;

import static java.util.Objects.requireNonNull;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.custodian.core.identity.IdToken;
import org.custodian.core.identity.IdentityProviderUnavailableException;
import org.custodian.core.identity.TokenException;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Registers;
import org.custodian.server.pages.Templates;
import org.custodian.server.patients.PageModels.Message;
import org.custodian.server.patients.PageSupport.PageException;

/**
 * Signing people in through one of the deployment's OpenID Connect providers: the authorization code
 * flow of OpenID Connect Core 1.0 §3.1, with PKCE (RFC 7636, S256). Patients and their proxies sign in
 * at {@code /sign-in/oidc} with the patients' provider; staff and auditors at {@code /sign-in/staff}
 * with the staff's ({@link OidcClient.Who}); the two are the same code with their own paths, cookie,
 * people ({@link OidcPeople}) and words.
 *
 * <ol>
 *   <li>{@code GET /sign-in/oidc} records a new sign-in ({@link OidcSignIns}: state, nonce, code
 *       verifier), gives the browser a cookie that binds the sign-in to it (HttpOnly, SameSite=Lax so
 *       that it comes back with the provider's redirect, path {@code /sign-in/oidc}, ten minutes), and
 *       sends it to the provider's authorization endpoint (§3.1.2.1).
 *   <li>{@code GET /sign-in/oidc/callback} takes the sign-in named by {@code state} (once: a second
 *       use finds nothing), checks that this browser started it and that it is live, exchanges the
 *       code at the token endpoint (§3.1.3.1) with the code verifier, validates the ID token
 *       (§3.1.3.7: signature, issuer, audience, time, nonce), finds the person ({@link OidcPeople}),
 *       and starts a session exactly as every sign-in does, then sends the person to {@code /my}
 *       (staff to {@code /staff}, auditors to {@code /audit}).
 * </ol>
 *
 * <p>Every failure ends on a page in plain words, with no session: 400 for a sign-in that is unknown,
 * used, expired or from another browser; 403 when the person stopped at the provider, is not verified
 * to the level required, or is not in the registers; 502 when the provider answers something that
 * cannot be accepted (an error, a refused code, an ID token that does not validate); 503 when the
 * provider cannot be reached. What went wrong, technically, goes to the log, never a token or a code.
 */
final class OidcSignIn {
    /** The patients' sign-in's cookie; the staff's is {@value #STAFF_COOKIE}. */
    static final String COOKIE = "custodian_oidc";
    static final String STAFF_COOKIE = "custodian_oidc_staff";
    private static final Logger LOG = Logger.getLogger(OidcSignIn.class.getName());
    /** Errors of §3.1.2.6 that mean the person (not the provider, not us) did not finish signing in. */
    private static final Set<String> PERSON_STOPPED = Set.of("access_denied", "login_required", "consent_required",
            "interaction_required", "account_selection_required");
    /** Errors of RFC 6749 §4.1.2.1 that mean the provider cannot serve just now. */
    private static final Set<String> PROVIDER_UNAVAILABLE = Set.of("temporarily_unavailable", "server_error");

    /** Starts a session for someone who has just signed in, and sends them on, as every sign-in does. */
    interface Sessions {
        void start(Context ctx, Person person, String signedInBy, boolean secureCookie);
    }

    private final OidcClient client;
    private final OidcClient.Who who;
    private final OidcSignIns signIns;
    private final OidcPeople people;
    private final Sessions sessions;
    /** For the log: "patient sign-in", "staff sign-in". */
    private final String what;
    private final String cookieName;

    OidcSignIn(OidcClient client, DataSource dataSource, Registers registers, Sessions sessions, Clock clock) {
        this.client = requireNonNull(client, "client is null");
        this.who = client.settings().who();
        this.signIns = new OidcSignIns(dataSource, who, clock);
        this.people = OidcPeople.of(registers, client.settings());
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.what = who == OidcClient.Who.STAFF ? "staff sign-in" : "patient sign-in";
        this.cookieName = who == OidcClient.Who.STAFF ? STAFF_COOKIE : COOKIE;
    }

    void register(JavalinConfig config) {
        config.routes.get(who.path(), page(this::begin));
        config.routes.get(who.callbackPath(), page(this::callback));
    }

    /** The provider's name, for the sign-in page's button. */
    String name() {
        return client.settings().name();
    }

    private void begin(Context ctx) {
        OidcSignIns.Started started = signIns.start();
        ctx.cookie(cookie(ctx, started.browserSecret(), (int) OidcSignIns.LIFETIME.toSeconds()));
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(client.authenticationRequest(started).toString(), HttpStatus.SEE_OTHER);
    }

    private void callback(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        // Which sign-in this answers: one this browser began, live, and never answered before.
        OidcSignIns.Taken signIn = answeredSignIn(ctx);
        // Who the provider says signed in: the code redeemed, the ID token validated.
        IdToken token = identity(ctx, signIn);
        // Who that is here: verified to the level required, and in the registers.
        Person person = registeredPerson(token);
        LOG.log(Level.INFO, what + ": {0} as subject {1} of {2}", new Object[] {person.id(), token.subject(), token.issuer()});
        sessions.start(ctx, person, client.signedInBy(), secure(ctx));
    }

    private OidcSignIns.Taken answeredSignIn(Context ctx) {
        String browser = ctx.cookie(cookieName);
        ctx.cookie(cookie(ctx, "", 0)); // its one use is now, whatever follows
        // Taken first, so that the state is spent even when the provider reports an error.
        OidcSignIns.Taken signIn = signIns.take(ctx.queryParam("state"), browser);
        String error = ctx.queryParam("error");
        if (error != null) {
            throw providerError(printable(error), printable(ctx.queryParam("error_description")));
        }
        if (signIn.outcome() != OidcSignIns.Outcome.FOUND) {
            LOG.log(Level.INFO, what + " refused: the state is {0}", signIn.outcome().name().toLowerCase(java.util.Locale.ROOT));
            throw new PageException(400, "This sign-in has expired", "Signing in took longer than 10 minutes, was already"
                    + " finished, or was started in another browser or tab. You are not signed in. Start again.");
        }
        String iss = ctx.queryParam("iss");
        if (iss != null && !iss.equals(client.settings().issuer())) {
            // RFC 9207 §2.4: an answer from another provider than the one this sign-in went to.
            throw notConfirmed("the authorization response names the issuer '" + printable(iss) + "'");
        }
        return signIn;
    }

    private IdToken identity(Context ctx, OidcSignIns.Taken signIn) {
        String code = ctx.queryParam("code");
        if (code == null || code.isBlank()) {
            throw notConfirmed("the authorization response has no code");
        }
        String idToken;
        try {
            idToken = client.redeem(code, signIn.codeVerifier());
        } catch (OidcClient.TokenRequestFailed e) {
            throw e.unavailable ? unavailable(e.getMessage()) : notConfirmed(e.getMessage());
        }
        try {
            return client.validate(idToken, signIn);
        } catch (TokenException e) {
            throw notConfirmed("the ID token is refused (" + e.kind() + "): " + e.getMessage());
        } catch (IdentityProviderUnavailableException e) {
            throw unavailable(e.getMessage());
        }
    }

    private Person registeredPerson(IdToken token) {
        for (Map.Entry<String, String> required : client.settings().requiredClaims().entrySet()) {
            if (!token.string(required.getKey()).equals(Optional.of(required.getValue()))) {
                LOG.log(Level.INFO, what + " refused: subject {0} of {1} has no {2} of {3}",
                        new Object[] {token.subject(), token.issuer(), required.getKey(), required.getValue()});
                throw who == OidcClient.Who.STAFF
                        ? new PageException(403, "Your sign-in is not strong enough here", "You signed in with " + name() + " in a"
                                + " way this service does not accept for staff. Sign in again with a smartcard or another way of"
                                + " signing in that your organisation gives you for health records. You are not signed in.")
                        : new PageException(403, "We need to be sure who you are", "Your " + name() + " account has not been"
                                + " checked to the level this service needs before it shows anything about a health record. " + name()
                                + " can tell you how to prove who you are. You are not signed in.");
            }
        }
        return people.person(token).orElseThrow(() -> {
            LOG.log(Level.INFO, what + " refused: subject {0} of {1} is no one in the registers",
                    new Object[] {token.subject(), token.issuer()});
            return who == OidcClient.Who.STAFF
                    ? new PageException(403, "You are not registered as staff here", "You signed in with " + name() + ", but this"
                            + " service has no member of staff or auditor that goes with your account. Ask whoever looks after this"
                            + " service's registers in your organisation to add you. You are not signed in.")
                    : new PageException(403, "We could not find your record", "You signed in with " + name() + ", but this service"
                            + " has no record that goes with your account. If your GP practice uses this service, ask them to check your"
                            + " details. If you care for someone, ask their GP practice to register you as their carer or attorney."
                            + " You are not signed in.");
        });
    }

    /** The provider's error response (§3.1.2.6): the person stopped, the provider cannot serve, or it refused our request. */
    private PageException providerError(String error, String description) {
        String answer = "the provider answered " + error + (description == null ? "" : " (" + description + ")");
        if (PERSON_STOPPED.contains(error)) {
            LOG.log(Level.INFO, what + " not finished: {0}", answer);
            return new PageException(403, "You are not signed in", "Signing in with " + name() + " was stopped before it"
                    + " finished, so you are not signed in. You can start again.");
        }
        return PROVIDER_UNAVAILABLE.contains(error) ? unavailable(answer) : notConfirmed(answer);
    }

    private PageException notConfirmed(String why) {
        LOG.log(Level.WARNING, what + " refused: {0}", why);
        return new PageException(502, "Sign-in did not work", "We could not confirm your sign-in with " + name() + ". This is"
                + " not your fault, and you are not signed in. Start again; if it keeps happening, please tell "
                + (who == OidcClient.Who.STAFF ? "whoever supports this service in your organisation." : "your GP practice."));
    }

    private PageException unavailable(String why) {
        LOG.log(Level.WARNING, what + " failed: {0}", why);
        return new PageException(503, "Sign-in is not working just now", name() + " cannot be reached just now, so you are not"
                + " signed in. Please try again in a few minutes.");
    }

    /** What the browser brought, fit for one line of the log: no control characters, not too long. */
    private static String printable(String s) {
        if (s == null) {
            return null;
        }
        String clean = s.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
    }

    /** Secure whenever people reach this server over https, even when a proxy in front of it speaks plain http to it. */
    private boolean secure(Context ctx) {
        return "https".equals(ctx.scheme()) || "https".equalsIgnoreCase(client.settings().publicUrl().getScheme());
    }

    private Cookie cookie(Context ctx, String value, int maxAgeSeconds) {
        return new Cookie(cookieName, value, who.path(), maxAgeSeconds, secure(ctx), true, null, SameSite.LAX);
    }

    private static Handler page(Handler h) {
        return ctx -> {
            try {
                h.handle(ctx);
            } catch (PageException e) {
                ctx.status(e.status);
                Templates.page(ctx, "message.jte", new Message(null, e.heading, e.heading, e.getMessage(), "/sign-in", "Go to sign in"));
            }
        };
    }
}
