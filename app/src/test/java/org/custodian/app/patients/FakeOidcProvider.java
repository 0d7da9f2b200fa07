package org.custodian.app.patients;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * An OpenID Connect provider on the loopback interface, for tests: discovery, a JWK Set, an
 * authorization endpoint that signs a named test user in (the {@code login} parameter, or typed into
 * its page by a real browser) and redirects back with a code (or with an error, for the user
 * {@value #CANCEL}), and a token endpoint that authenticates the client
 * ({@code client_secret_basic} for a client with a secret, {@code private_key_jwt} for one with a
 * registered public key, {@code client_id} in the body for a public one), redeems each code once,
 * checks the redirect URI and the PKCE verifier (RFC 7636 §4.6, S256 only) and issues an RS256 ID
 * token with the nonce of the authorization request.
 *
 * <p>A client assertion is checked as a provider must (RFC 7523 §3, OpenID Connect Core 1.0 §9): its
 * type, {@code iss} and {@code sub} both the client id, its signature with the client's registered
 * public key and an algorithm the discovery document lists, {@code aud} the token endpoint, {@code exp}
 * in the future (and at most ten minutes ahead), {@code iat} not in the future, and a {@code jti} never
 * seen before. A refusal is 401 {@code invalid_client} with the reason, also kept for the test.
 *
 * <p>Tests may change the next ID token (its claims, the key that signs it, or the whole token), make
 * the token endpoint fail, and read what the last token request carried. Each provider has a realm of
 * its own in its issuer ({@code /realms/patients}, {@code /realms/staff}).
 */
final class FakeOidcProvider implements AutoCloseable {
    /** The user who cancels at the provider: the browser comes back with {@code error=access_denied}. */
    static final String CANCEL = "cancel";

    /**
     * A client registered with the provider: with a secret (client_secret_basic), or a public key (private_key_jwt),
     * or neither (a public client).
     */
    record Client(String id, String secret, String redirectUri, JWK publicKey) {
        Client(String id, String secret, String redirectUri) {
            this(id, secret, redirectUri, null);
        }
    }

    /** What the authorization endpoint remembered for a code. */
    private record Grant(Client client, String redirectUri, String nonce, String challenge, Map<String, Object> user) {}

    /** The last request to the token endpoint, as received. */
    record TokenRequest(String authorization, Map<String, String> form) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final String realm;
    private final String issuer;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> users = new ConcurrentHashMap<>();
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private volatile RSAKey signingKey = newKey("key-1");
    private final AtomicReference<RSAKey> nextSigningKey = new AtomicReference<>();
    private final AtomicReference<Consumer<Map<String, Object>>> nextClaims = new AtomicReference<>();
    /** 200 to answer normally; otherwise the next token request is answered with this status and an OAuth error. */
    final AtomicInteger tokenStatus = new AtomicInteger(200);
    final AtomicReference<TokenRequest> lastTokenRequest = new AtomicReference<>();
    /** What the discovery document says; tests may change it. */
    final Map<String, Object> discovery = new ConcurrentHashMap<>();
    /** Why the token endpoint last refused to authenticate a client. */
    final AtomicReference<String> lastClientRefusal = new AtomicReference<>();
    /** Every client assertion's jti the token endpoint has accepted: each is good once. */
    private final Set<String> usedAssertionIds = ConcurrentHashMap.newKeySet();
    private final AtomicReference<String> nextIdToken = new AtomicReference<>();

    FakeOidcProvider() throws IOException {
        this("patients");
    }

    /** A provider whose issuer ends in {@code /realms/<realm>}. */
    FakeOidcProvider(String realm) throws IOException {
        this.realm = realm;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/" + realm;
        discovery.put("issuer", issuer);
        discovery.put("authorization_endpoint", issuer + "/authorize");
        discovery.put("token_endpoint", issuer + "/token");
        discovery.put("jwks_uri", issuer + "/certs");
        discovery.put("response_types_supported", List.of("code"));
        discovery.put("subject_types_supported", List.of("public"));
        discovery.put("id_token_signing_alg_values_supported", List.of("RS256"));
        discovery.put("code_challenge_methods_supported", List.of("S256"));
        discovery.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "private_key_jwt", "none"));
        discovery.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS512", "ES256"));
        server.createContext("/realms/" + realm + "/.well-known/openid-configuration", ex -> json(ex, 200, discovery));
        server.createContext("/realms/" + realm + "/certs", ex -> send(ex, 200, "application/json",
                new JWKSet(signingKey.toPublicJWK()).toString(true)));
        server.createContext("/realms/" + realm + "/authorize", this::authorize);
        server.createContext("/realms/" + realm + "/token", this::token);
        server.start();
    }

    String issuer() {
        return issuer;
    }

    String tokenEndpoint() {
        return issuer + "/token";
    }

    void register(Client client) {
        clients.put(client.id(), client);
    }

    /** A person with an account here: their username and the claims their ID tokens carry (with a sub). */
    void addUser(String username, Map<String, Object> claims) {
        users.put(username, Map.copyOf(claims));
    }

    /** The next ID token is changed by {@code change} after it is made and before it is signed. */
    void changeNextIdToken(Consumer<Map<String, Object>> change) {
        nextClaims.set(change);
    }

    /** The next ID token is signed by {@code key} (which the provider does not publish). */
    void signNextIdTokenWith(RSAKey key) {
        nextSigningKey.set(key);
    }

    /** The next token response carries this ID token, whoever made it, instead of one of this provider's. */
    void answerNextWithIdToken(String idToken) {
        nextIdToken.set(idToken);
    }

    /**
     * An ID token this provider signs, for the user {@code login}, as if for {@code audience} and {@code nonce}: what
     * another deployment's client of this provider could hold.
     */
    String idToken(String login, String audience, String nonce) {
        Map<String, Object> claims = new LinkedHashMap<>(users.get(login));
        Instant now = Instant.now();
        claims.put("iss", issuer);
        claims.put("aud", audience);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plusSeconds(300).getEpochSecond());
        claims.put("nonce", nonce);
        return sign(signingKey, claims);
    }

    /** The provider rotates its key: a new one is published and signs from now on, the old one is gone. */
    void rotateKey(String kid) {
        signingKey = newKey(kid);
    }

    void reset() {
        nextClaims.set(null);
        nextSigningKey.set(null);
        nextIdToken.set(null);
        tokenStatus.set(200);
        lastClientRefusal.set(null);
    }

    static RSAKey newKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ the endpoints

    /** OpenID Connect Core 1.0 §3.1.2: the browser arrives; the test user named by {@code login} signs in. */
    private void authorize(HttpExchange ex) throws IOException {
        Map<String, String> q = parse(ex.getRequestURI().getRawQuery());
        Client client = clients.get(q.get("client_id"));
        if (client == null || !client.redirectUri().equals(q.get("redirect_uri"))) {
            // §3.1.2.6: never redirect to a URI that is not registered.
            send(ex, 400, "text/plain", "unknown client or redirect_uri");
            return;
        }
        String redirect = q.get("redirect_uri");
        String state = q.get("state");
        if (!"code".equals(q.get("response_type")) || q.get("scope") == null || !List.of(q.get("scope").split(" ")).contains("openid")
                || q.get("nonce") == null || !"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null) {
            redirect(ex, redirect, params("error", "invalid_request", "state", state));
            return;
        }
        String login = q.get("login");
        if (login == null) {
            loginPage(ex, q);
            return;
        }
        if (CANCEL.equals(login)) {
            redirect(ex, redirect, params("error", "access_denied", "error_description", "The user cancelled", "state", state));
            return;
        }
        Map<String, Object> user = users.get(login);
        if (user == null) {
            send(ex, 400, "text/plain", "no such user " + login);
            return;
        }
        String code = random();
        grants.put(code, new Grant(client, redirect, q.get("nonce"), q.get("code_challenge"), user));
        redirect(ex, redirect, params("code", code, "state", state, "iss", issuer));
    }

    /** Where a person in a real browser types the test user to sign in as (the request's parameters carried along). */
    private static void loginPage(HttpExchange ex, Map<String, String> request) throws IOException {
        String path = ex.getRequestURI().getPath();
        StringBuilder hidden = new StringBuilder();
        request.forEach((name, value) -> hidden.append("<input type=\"hidden\" name=\"").append(html(name)).append("\" value=\"")
                .append(html(value)).append("\">"));
        send(ex, 200, "text/html; charset=utf-8", "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Test provider</title>"
                + "</head><body><main><h1>Sign in to the test provider</h1><form method=\"get\" action=\"" + html(path) + "\">"
                + hidden + "<label for=\"login\">Username</label> <input id=\"login\" name=\"login\">"
                + " <button type=\"submit\">Sign in</button></form></main></body></html>");
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** OpenID Connect Core 1.0 §3.1.3: the client redeems a code. */
    private void token(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            send(ex, 405, "text/plain", "POST only");
            return;
        }
        Map<String, String> form = parse(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        lastTokenRequest.set(new TokenRequest(authorization, form));
        int status = tokenStatus.get();
        if (status != 200) {
            json(ex, status, Map.of("error", status >= 500 ? "server_error" : "invalid_grant"));
            return;
        }
        Client client;
        try {
            client = authenticate(authorization, form);
        } catch (ClientRefused e) {
            lastClientRefusal.set(e.getMessage());
            json(ex, 401, Map.of("error", "invalid_client", "error_description", e.getMessage()));
            return;
        }
        Grant grant = grants.remove(form.getOrDefault("code", ""));
        if (!"authorization_code".equals(form.get("grant_type")) || grant == null || !grant.client().id().equals(client.id())
                || !grant.redirectUri().equals(form.get("redirect_uri"))
                || !grant.challenge().equals(s256(form.getOrDefault("code_verifier", "")))) {
            json(ex, 400, Map.of("error", "invalid_grant"));
            return;
        }
        Map<String, Object> claims = new LinkedHashMap<>(grant.user());
        Instant now = Instant.now();
        claims.put("iss", issuer);
        claims.put("aud", client.id());
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plusSeconds(300).getEpochSecond());
        claims.put("nonce", grant.nonce());
        Consumer<Map<String, Object>> change = nextClaims.getAndSet(null);
        if (change != null) {
            change.accept(claims);
        }
        RSAKey other = nextSigningKey.getAndSet(null);
        String substitute = nextIdToken.getAndSet(null);
        Map<String, Object> body = new HashMap<>();
        body.put("access_token", random());
        body.put("token_type", "Bearer");
        body.put("expires_in", 300);
        body.put("id_token", substitute != null ? substitute : sign(other != null ? other : signingKey, claims));
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        json(ex, 200, body);
    }

    /** The token endpoint does not know who the client is. */
    private static final class ClientRefused extends Exception {
        private static final long serialVersionUID = 1L;

        ClientRefused(String why) {
            super(why);
        }
    }

    /**
     * RFC 6749 §2.3.1 for a client with a secret; RFC 7523 §2.2 (a client assertion) for one with a key; §2.1
     * (client_id in the body, nothing else) for a public one.
     */
    private Client authenticate(String authorization, Map<String, String> form) throws ClientRefused {
        if (authorization != null && authorization.startsWith("Basic ")) {
            String pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            Client c = clients.get(URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8));
            String secret = URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8);
            if (c != null && c.secret() != null && c.secret().equals(secret)) {
                return c;
            }
            throw new ClientRefused("wrong client id or secret");
        }
        if (form.containsKey("client_assertion") || form.containsKey("client_assertion_type")) {
            return assertedClient(form);
        }
        Client c = clients.get(form.get("client_id"));
        if (c != null && c.secret() == null && c.publicKey() == null) {
            return c;
        }
        throw new ClientRefused("this client must authenticate");
    }

    /** RFC 7523 §3, OpenID Connect Core 1.0 §9: the client assertion, checked whole before its jti is spent. */
    private Client assertedClient(Map<String, String> form) throws ClientRefused {
        if (!"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(form.get("client_assertion_type"))) {
            throw new ClientRefused("client_assertion_type is not jwt-bearer");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(form.getOrDefault("client_assertion", ""));
            claims = jwt.getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            throw new ClientRefused("the client assertion is not a signed JWT");
        }
        Client c = claims.getIssuer() == null ? null : clients.get(claims.getIssuer());
        if (c == null || c.publicKey() == null || !claims.getIssuer().equals(claims.getSubject())) {
            throw new ClientRefused("iss and sub must both be a client registered with a key");
        }
        if (form.containsKey("client_id") && !form.get("client_id").equals(c.id())) {
            throw new ClientRefused("client_id is not the assertion's iss");
        }
        Object listed = discovery.get("token_endpoint_auth_signing_alg_values_supported");
        if (listed instanceof List<?> algorithms && !algorithms.contains(jwt.getHeader().getAlgorithm().getName())) {
            throw new ClientRefused("the assertion is signed with " + jwt.getHeader().getAlgorithm() + ", not an algorithm listed");
        }
        try {
            JWSVerifier verifier = c.publicKey() instanceof RSAKey rsa ? new RSASSAVerifier(rsa.toRSAPublicKey())
                    : new ECDSAVerifier(((ECKey) c.publicKey()).toECPublicKey());
            if (!verifier.supportedJWSAlgorithms().contains(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                throw new ClientRefused("the assertion's signature does not verify with the client's registered key");
            }
        } catch (JOSEException e) {
            throw new ClientRefused("the assertion's signature cannot be checked: " + e.getMessage());
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(tokenEndpoint())) {
            throw new ClientRefused("the assertion's aud " + claims.getAudience() + " is not this token endpoint");
        }
        Instant now = Instant.now();
        if (claims.getExpirationTime() == null || !claims.getExpirationTime().toInstant().isAfter(now)) {
            throw new ClientRefused("the assertion has expired or has no exp");
        }
        if (claims.getExpirationTime().toInstant().isAfter(now.plusSeconds(600))) {
            throw new ClientRefused("the assertion is good for too long");
        }
        if (claims.getIssueTime() == null || claims.getIssueTime().toInstant().isAfter(now.plusSeconds(60))) {
            throw new ClientRefused("the assertion has no iat, or one in the future");
        }
        if (claims.getJWTID() == null || claims.getJWTID().isEmpty()) {
            throw new ClientRefused("the assertion has no jti");
        }
        if (!usedAssertionIds.add(claims.getJWTID())) {
            throw new ClientRefused("the assertion's jti was used before (a replay)");
        }
        return c;
    }

    private static String sign(RSAKey key, Map<String, Object> claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(key.getKeyID()).build(),
                    JWTClaimsSet.parse(claims));
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException | java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static Map<String, String> parse(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            out.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Parameters in order; a null value is left out. */
    private static Map<String, String> params(String... namesAndValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            out.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return out;
    }

    private static void redirect(HttpExchange ex, String uri, Map<String, String> params) throws IOException {
        List<String> parts = new ArrayList<>();
        params.forEach((k, v) -> {
            if (v != null) {
                parts.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        ex.getResponseHeaders().set("Location", uri + (URI.create(uri).getRawQuery() == null ? "?" : "&") + String.join("&", parts));
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private static void json(HttpExchange ex, int status, Map<String, ?> body) throws IOException {
        send(ex, status, "application/json", JSONObjectUtils.toJSONString(new HashMap<String, Object>(body)));
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
