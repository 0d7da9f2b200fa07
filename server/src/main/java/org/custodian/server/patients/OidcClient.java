package org.custodian.server.patients;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.custodian.core.identity.IdToken;
import org.custodian.core.identity.IdTokenVerifier;
import org.custodian.core.identity.OidcDiscovery;
import org.custodian.core.identity.OidcProvider;
import org.custodian.core.identity.TokenException;

/**
 * This deployment as a client (Relying Party) of one OpenID Connect provider, for the patients'
 * sign-in or for the staff's ({@link Who}): the authorization code flow of OpenID Connect Core 1.0
 * §3.1 with PKCE (RFC 7636, S256). Made once at start-up by {@link #discover}, which checks the
 * configuration against the provider's discovery document and keys, and immutable afterwards.
 *
 * <p>The client authenticates at the token endpoint ({@link ClientAuthentication}) with
 * {@code private_key_jwt} (§9, RFC 7523) when it has a key, with {@code client_secret_basic} (RFC 6749
 * §2.3.1) when it has a secret, and otherwise as a public client ({@code none}), whose code only the
 * holder of the PKCE verifier can redeem.
 */
public final class OidcClient {
    /** How long the token endpoint may take; the person is waiting at a blank page meanwhile. */
    static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(10);
    /** Far above a real token response; a hostile answer is not read whole. */
    static final int MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;
    /** Where the patients' provider sends the browser back, under the public URL. */
    public static final String CALLBACK_PATH = "/sign-in/oidc/callback";
    /** Where the staff's provider sends the browser back: a redirect URI of its own. */
    public static final String STAFF_CALLBACK_PATH = "/sign-in/staff/callback";

    /**
     * Whom a provider signs in, each through paths of their own (so each provider's redirect URI is its
     * own) and into sessions marked as theirs ({@code signedInBy}), so that the patients' pages and the
     * staff's can each refuse a session the other's provider started.
     */
    public enum Who {
        /** Patients and their carers or attorneys, to their own pages ({@link OidcPeople#patients}). */
        PATIENTS("/sign-in/oidc", CALLBACK_PATH, "oidc:"),
        /** Reception and care staff, Caldicott guardians and auditors, to theirs ({@link OidcPeople#staff}). */
        STAFF("/sign-in/staff", STAFF_CALLBACK_PATH, "staff-oidc:");

        private final String path;
        private final String callbackPath;
        private final String signedInByPrefix;

        Who(String path, String callbackPath, String signedInByPrefix) {
            this.path = path;
            this.callbackPath = callbackPath;
            this.signedInByPrefix = signedInByPrefix;
        }

        /** Where a sign-in begins; the sign-in's cookie is scoped to it. */
        String path() {
            return path;
        }

        String callbackPath() {
            return callbackPath;
        }

        /** What begins the {@code signedInBy} of the sessions this side's provider starts. */
        String signedInByPrefix() {
            return signedInByPrefix;
        }

        /** Whether a session's {@code signedInBy} says that this side's provider started it. */
        boolean started(WebSession session) {
            return session.signedInBy().startsWith(signedInByPrefix);
        }
    }

    /**
     * What an operator configures.
     *
     * @param who whom this provider signs in
     * @param authentication how the client authenticates at the token endpoint
     * @param publicUrl the URL people reach this server's root by; the redirect URI is this plus {@link #CALLBACK_PATH}
     *     (patients) or {@link #STAFF_CALLBACK_PATH} (staff)
     * @param scopes what to ask for; MUST include {@code openid}
     * @param personClaim a claim naming a person in the registers directly: for patients, only proxies with
     *     no NHS number of their own, and optional; for staff, the only way they are found, and so required.
     *     See {@link OidcPeople}
     * @param requiredClaims claims every ID token MUST carry with exactly these values (say, a level of
     *     identity proofing, or of authentication assurance), or no one is signed in
     * @param name the provider as people know it, shown on the sign-in button ("NHS login", "NHS CIS2")
     */
    public record Settings(Who who, String issuer, String clientId, ClientAuthentication authentication, URI publicUrl, List<String> scopes,
            Optional<String> personClaim, Map<String, String> requiredClaims, String name) {
        /** Claims whose meaning OpenID Connect fixes: they cannot name a person or be required to have a value of our choosing. */
        private static final Set<String> PROTOCOL_CLAIMS = Set.of("iss", "aud", "exp", "nbf", "iat", "jti", "nonce", "azp", "at_hash",
                "c_hash", "auth_time");

        public Settings {
            requireNonNull(who, "who is null");
            requireNonNull(issuer, "issuer is null");
            requireNonNull(clientId, "clientId is null");
            requireNonNull(authentication, "authentication is null");
            requireNonNull(publicUrl, "publicUrl is null");
            requireNonNull(personClaim, "personClaim is null");
            requireNonNull(name, "name is null");
            if (clientId.isBlank()) {
                throw new IllegalArgumentException("the client id is blank");
            }
            try {
                OidcProvider.requireSecure(new URI(issuer), "the issuer");
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("the issuer is an https URL, not '" + issuer + "'");
            }
            OidcProvider.requireSecure(publicUrl, "the public URL");
            // The pages' links, redirects and cookie paths are absolute from the root.
            if (publicUrl.getRawQuery() != null || !(publicUrl.getRawPath() == null || publicUrl.getRawPath().isEmpty()
                    || publicUrl.getRawPath().equals("/"))) {
                throw new IllegalArgumentException("the public URL must be where this server's root is, with no path or query"
                        + " (https://host or https://host:port), not '" + publicUrl + "'");
            }
            scopes = List.copyOf(scopes);
            for (String scope : scopes) {
                // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
                if (scope.isEmpty() || !scope.chars().allMatch(ch -> ch == 0x21 || (ch >= 0x23 && ch <= 0x5B) || (ch >= 0x5D && ch <= 0x7E))) {
                    throw new IllegalArgumentException("'" + scope + "' is not a scope (RFC 6749 §3.3)");
                }
            }
            if (!scopes.contains("openid")) {
                throw new IllegalArgumentException("the scopes must include openid (OpenID Connect Core 1.0 §3.1.2.1), not " + scopes);
            }
            if (personClaim.isPresent() && (personClaim.get().isBlank() || PROTOCOL_CLAIMS.contains(personClaim.get()))) {
                throw new IllegalArgumentException("'" + personClaim.get() + "' cannot name a person: it is blank or a claim of the protocol");
            }
            if (who == Who.STAFF && personClaim.isEmpty()) {
                // Never by NHS number: that names a patient, and a member of staff is signed in as staff.
                throw new IllegalArgumentException("staff are found only by the claim that holds their person id in the registers:"
                        + " name it");
            }
            requiredClaims = Map.copyOf(requiredClaims);
            for (String claim : requiredClaims.keySet()) {
                if (claim.isBlank() || PROTOCOL_CLAIMS.contains(claim) || claim.equals("sub")) {
                    throw new IllegalArgumentException("'" + claim + "' cannot be a required claim: it is blank or a claim of the protocol");
                }
            }
            if (name.isBlank()) {
                throw new IllegalArgumentException("the provider's name is blank");
            }
        }

        /** The redirect URI registered with the provider (OpenID Connect Core 1.0 §3.1.2.1). */
        public URI redirectUri() {
            String base = publicUrl.toString();
            return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + who.callbackPath());
        }

        /** The secret and the key are never printed. */
        @Override
        public String toString() {
            return "Settings[who=" + who + ", issuer=" + issuer + ", clientId=" + clientId + ", authentication=" + authentication.method()
                    + ", publicUrl=" + publicUrl + ", scopes=" + scopes + ", personClaim=" + personClaim.orElse("(none)")
                    + ", requiredClaims=" + requiredClaims + ", name=" + name + "]";
        }
    }

    private final Settings settings;
    private final URI authorizationEndpoint;
    private final URI tokenEndpoint;
    private final IdTokenVerifier idTokens;
    private final HttpClient http;
    private final Clock clock;

    private OidcClient(Settings settings, URI authorizationEndpoint, URI tokenEndpoint, IdTokenVerifier idTokens, HttpClient http, Clock clock) {
        this.settings = settings;
        this.authorizationEndpoint = authorizationEndpoint;
        this.tokenEndpoint = tokenEndpoint;
        this.idTokens = idTokens;
        this.http = http;
        this.clock = clock;
    }

    /**
     * The client for {@code settings}, after checking the provider: its discovery document MUST name
     * exactly the configured issuer, an authorization endpoint, a token endpoint and a JWK Set, all
     * https (plain http on the loopback interface only); it MUST offer the {@code code} response type,
     * sign ID tokens with an algorithm accepted here, accept the client's way of authenticating
     * ({@code client_secret_basic} or {@code private_key_jwt}, and then the key's signing algorithm if it
     * lists those), and support S256 if it lists PKCE methods at all; and its keys MUST be fetchable and
     * include one for such an algorithm.
     *
     * @param http a client that does not follow redirects (a token request is never resent elsewhere)
     * @throws IOException the provider cannot be reached, or answers something that does not allow the sign-in
     * @throws IllegalArgumentException a URL the provider names is not https (nor loopback http)
     */
    public static OidcClient discover(Settings settings, HttpClient http, Clock clock) throws IOException {
        requireNonNull(settings, "settings is null");
        requireNonNull(http, "http is null");
        requireNonNull(clock, "clock is null");
        OidcDiscovery d = OidcDiscovery.fetch(settings.issuer(), http);
        URI document = OidcDiscovery.documentUri(settings.issuer());
        URI authorization = d.authorizationEndpoint().orElseThrow(() -> new IOException(document + " names no authorization_endpoint"));
        URI token = d.tokenEndpoint().orElseThrow(() -> new IOException(document + " names no token_endpoint"));
        if (!d.responseTypes().contains("code")) {
            throw new IOException(document + " does not offer the authorization code flow (response_types_supported: "
                    + d.responseTypes() + ")");
        }
        if (!d.codeChallengeMethods().isEmpty() && !d.codeChallengeMethods().contains("S256")) {
            throw new IOException(document + " does not support PKCE with S256 (code_challenge_methods_supported: "
                    + d.codeChallengeMethods() + ")");
        }
        // A public client is not checked here: the provider checks it when it redeems the code, against the PKCE verifier.
        if (settings.authentication() instanceof ClientAuthentication.SecretBasic secret
                && !d.tokenEndpointAuthMethods().contains(secret.method())) {
            throw new IOException(document + " does not accept client_secret_basic (token_endpoint_auth_methods_supported: "
                    + d.tokenEndpointAuthMethods() + "); this client authenticates with its secret that way");
        }
        if (settings.authentication() instanceof ClientAuthentication.PrivateKeyJwt jwt) {
            if (!d.tokenEndpointAuthMethods().contains(jwt.method())) {
                throw new IOException(document + " does not accept private_key_jwt (token_endpoint_auth_methods_supported: "
                        + d.tokenEndpointAuthMethods() + "); this client authenticates with its key that way");
            }
            // When the document does not list the algorithms, it says nothing, and the token endpoint will answer.
            List<String> accepted = d.tokenEndpointAuthSigningAlgorithms();
            if (!accepted.isEmpty() && !accepted.contains(jwt.key().algorithm())) {
                throw new IOException(document + " does not accept client assertions signed with " + jwt.key().algorithm()
                        + " (token_endpoint_auth_signing_alg_values_supported: " + accepted + "), which this client's key ("
                        + jwt.key() + ") signs with");
            }
        }
        // The document MUST list them (Discovery §3); if it does not, RS256 is every provider's default (Core §15.1).
        Set<String> algorithms = new TreeSet<>(d.idTokenSigningAlgorithms().isEmpty() ? List.of("RS256") : d.idTokenSigningAlgorithms());
        algorithms.retainAll(IdTokenVerifier.SUPPORTED_ALGORITHMS);
        if (algorithms.isEmpty()) {
            throw new IOException(document + " signs ID tokens with " + d.idTokenSigningAlgorithms() + ", none of "
                    + new TreeSet<>(IdTokenVerifier.SUPPORTED_ALGORITHMS));
        }
        IdTokenVerifier verifier = new IdTokenVerifier(settings.issuer(), settings.clientId(), d.jwksUri(), algorithms, http, clock);
        int usable;
        try {
            usable = verifier.fetchKeys();
        } catch (org.custodian.core.identity.IdentityProviderUnavailableException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (usable == 0) {
            throw new IOException(d.jwksUri() + " publishes no key that can sign ID tokens with " + algorithms);
        }
        return new OidcClient(settings, authorization, token, verifier, http, clock);
    }

    public Settings settings() {
        return settings;
    }

    /** {@code signedInBy} of the sessions this client starts: {@code oidc:<issuer>} (patients), {@code staff-oidc:<issuer>} (staff). */
    String signedInBy() {
        return settings.who().signedInByPrefix() + settings.issuer();
    }

    /**
     * Where to send the browser to sign in: the authorization endpoint with an authentication request
     * (OpenID Connect Core 1.0 §3.1.2.1), any query the endpoint already has kept (RFC 6749 §3.1).
     */
    URI authenticationRequest(OidcSignIns.Started started) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", settings.clientId());
        query.put("redirect_uri", settings.redirectUri().toString());
        query.put("scope", String.join(" ", settings.scopes()));
        query.put("state", started.state());
        query.put("nonce", started.nonce());
        query.put("code_challenge", started.codeChallenge());
        query.put("code_challenge_method", "S256");
        String base = authorizationEndpoint.toString();
        String existing = authorizationEndpoint.getRawQuery();
        return URI.create(base + (existing == null ? "?" : existing.isEmpty() ? "" : "&") + form(query));
    }

    /** The token endpoint did not give an ID token. */
    static final class TokenRequestFailed extends Exception {
        private static final long serialVersionUID = 1L;
        /** The provider could not be reached or failed (try again later), rather than refusing the request. */
        final boolean unavailable;

        TokenRequestFailed(String message, boolean unavailable, Throwable cause) {
            super(message, cause);
            this.unavailable = unavailable;
        }
    }

    /**
     * Exchanges an authorization code for tokens at the token endpoint (§3.1.3.1, with the PKCE code
     * verifier, RFC 7636 §4.5) and returns the ID token, not yet validated.
     */
    String redeem(String code, String codeVerifier) throws TokenRequestFailed {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", settings.redirectUri().toString());
        form.put("code_verifier", codeVerifier);
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenEndpoint).timeout(TOKEN_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (settings.authentication() instanceof ClientAuthentication.SecretBasic secret) {
            // RFC 6749 §2.3.1: each part form-encoded, then joined with ':' and base64.
            String pair = urlencode(settings.clientId()) + ":" + urlencode(secret.secret());
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        } else if (settings.authentication() instanceof ClientAuthentication.PrivateKeyJwt jwt) {
            // RFC 7523 §2.2, OpenID Connect Core 1.0 §9: a new assertion for this one request, its audience the token endpoint.
            form.put("client_id", settings.clientId());
            form.put("client_assertion_type", ClientKey.ASSERTION_TYPE);
            form.put("client_assertion", jwt.key().assertion(settings.clientId(), tokenEndpoint, clock.instant()));
        } else {
            form.put("client_id", settings.clientId());
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.POST(HttpRequest.BodyPublishers.ofString(form(form))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenRequestFailed("interrupted waiting for " + tokenEndpoint, true, new InterruptedIOException());
        } catch (IOException e) {
            throw new TokenRequestFailed(tokenEndpoint + " cannot be reached: " + e, true, e);
        }
        String body;
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_TOKEN_RESPONSE_BYTES + 1);
            if (bytes.length > MAX_TOKEN_RESPONSE_BYTES) {
                throw new TokenRequestFailed(tokenEndpoint + " answered more than " + MAX_TOKEN_RESPONSE_BYTES + " bytes", false, null);
            }
            body = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TokenRequestFailed(tokenEndpoint + " broke off its answer: " + e, true, e);
        }
        Map<String, Object> json;
        try {
            json = JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            json = Map.of();
        }
        if (response.statusCode() != 200) {
            // RFC 6749 §5.2: a refusal is 400 (or 401) with an error code; 5xx is the provider failing.
            throw new TokenRequestFailed(tokenEndpoint + " answered HTTP " + response.statusCode()
                    + (json.get("error") instanceof String error ? " " + error : "")
                    + (json.get("error_description") instanceof String description ? " (" + description + ")" : ""),
                    response.statusCode() >= 500, null);
        }
        if (!(json.get("id_token") instanceof String idToken) || idToken.isBlank()) {
            throw new TokenRequestFailed(tokenEndpoint + " answered without an id_token (was openid among the scopes granted?)", false, null);
        }
        return idToken;
    }

    /** The ID token, validated: see {@link IdTokenVerifier}. */
    IdToken validate(String idToken, OidcSignIns.Taken signIn) throws TokenException {
        return idTokens.verify(idToken, signIn.nonce(), signIn.startedAt());
    }

    private static String form(Map<String, String> fields) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            parts.add(urlencode(e.getKey()) + "=" + urlencode(e.getValue()));
        }
        return String.join("&", parts);
    }

    private static String urlencode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "OidcClient[" + settings + ", authorization=" + authorizationEndpoint + ", token=" + tokenEndpoint + "]";
    }

    /** For the banner: which provider, how this client authenticates to it, and where it sends people back to. */
    public String description() {
        String client = settings.authentication() instanceof ClientAuthentication.PrivateKeyJwt jwt
                ? "confidential client " + settings.clientId() + " (private_key_jwt, " + jwt.key() + ")"
                : settings.authentication() instanceof ClientAuthentication.SecretBasic
                        ? "confidential client " + settings.clientId() + " (client_secret_basic)"
                        : "public client " + settings.clientId();
        return settings.name() + " (" + settings.issuer() + "), " + client + ", callback " + settings.redirectUri();
    }
}
