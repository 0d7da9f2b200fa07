package org.custodian.core.identity;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an OpenID Provider says about itself in its discovery document (OpenID Connect Discovery 1.0
 * §3), as far as Custodian uses it. Every URL in it is https, or plain http on the loopback interface
 * only (see {@link OidcProvider}).
 *
 * @param authorizationEndpoint where a browser is sent to sign in; empty when the document names none
 * @param tokenEndpoint where an authorization code is exchanged; empty when the document names none
 * @param responseTypes {@code response_types_supported} (REQUIRED by §3, so never empty in a valid document)
 * @param codeChallengeMethods {@code code_challenge_methods_supported} (RFC 8414 §2); empty when not advertised
 * @param tokenEndpointAuthMethods {@code token_endpoint_auth_methods_supported}; when the document omits it,
 *     {@code client_secret_basic}, the default §3 gives
 * @param idTokenSigningAlgorithms {@code id_token_signing_alg_values_supported}
 * @param tokenEndpointAuthSigningAlgorithms {@code token_endpoint_auth_signing_alg_values_supported}: what the token
 *     endpoint accepts a {@code private_key_jwt} client assertion signed with; empty when not advertised
 */
public record OidcDiscovery(String issuer, URI jwksUri, Optional<URI> authorizationEndpoint, Optional<URI> tokenEndpoint,
        List<String> responseTypes, List<String> codeChallengeMethods, List<String> tokenEndpointAuthMethods,
        List<String> idTokenSigningAlgorithms, List<String> tokenEndpointAuthSigningAlgorithms) {

    public OidcDiscovery {
        requireNonNull(issuer, "issuer is null");
        requireNonNull(jwksUri, "jwksUri is null");
        requireNonNull(authorizationEndpoint, "authorizationEndpoint is null");
        requireNonNull(tokenEndpoint, "tokenEndpoint is null");
        responseTypes = List.copyOf(responseTypes);
        codeChallengeMethods = List.copyOf(codeChallengeMethods);
        tokenEndpointAuthMethods = List.copyOf(tokenEndpointAuthMethods);
        idTokenSigningAlgorithms = List.copyOf(idTokenSigningAlgorithms);
        tokenEndpointAuthSigningAlgorithms = List.copyOf(tokenEndpointAuthSigningAlgorithms);
    }

    /** Where the document of {@code issuer} is (§4): the issuer without a trailing slash, then {@code /.well-known/openid-configuration}. */
    public static URI documentUri(String issuer) {
        return URI.create((issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer) + "/.well-known/openid-configuration");
    }

    /**
     * Fetches and checks the discovery document of {@code issuer}: it MUST name exactly the same issuer
     * (§4.3, so that one provider cannot speak for another) and a {@code jwks_uri}; every URL it names
     * MUST be https, or plain http on the loopback interface.
     *
     * @throws IOException the document cannot be fetched, is not JSON, names another issuer or no jwks_uri,
     *     or a member has the wrong type
     * @throws IllegalArgumentException the issuer or a URL the document names is not https (or loopback http)
     */
    public static OidcDiscovery fetch(String issuer, HttpClient http) throws IOException {
        requireNonNull(issuer, "issuer is null");
        requireNonNull(http, "http is null");
        try {
            OidcProvider.requireSecure(new URI(issuer), "the issuer");
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("an OpenID Connect issuer is an https URL, not '" + issuer + "'");
        }
        URI document = documentUri(issuer);
        Map<String, Object> json;
        String advertised;
        String jwks;
        try {
            json = JSONObjectUtils.parse(HttpDocuments.get(http, document));
            advertised = JSONObjectUtils.getString(json, "issuer");
            jwks = JSONObjectUtils.getString(json, "jwks_uri");
        } catch (ParseException e) {
            throw new IOException(document + " is not an OpenID Provider configuration: " + e.getMessage(), e);
        }
        if (!issuer.equals(advertised)) {
            throw new IOException(document + " names the issuer '" + advertised + "', not '" + issuer
                    + "' (OpenID Connect Discovery 1.0 §4.3 requires them to be identical)");
        }
        if (jwks == null) {
            throw new IOException(document + " names no jwks_uri");
        }
        URI jwksUri = url(document, "jwks_uri", jwks);
        OidcProvider.requireSecure(jwksUri, "the JWK Set URL");
        Optional<URI> authorization = optionalUrl(document, json, "authorization_endpoint", "the authorization endpoint");
        Optional<URI> token = optionalUrl(document, json, "token_endpoint", "the token endpoint");
        List<String> authMethods = strings(document, json, "token_endpoint_auth_methods_supported");
        return new OidcDiscovery(issuer, jwksUri, authorization, token, strings(document, json, "response_types_supported"),
                strings(document, json, "code_challenge_methods_supported"),
                json.containsKey("token_endpoint_auth_methods_supported") ? authMethods : List.of("client_secret_basic"),
                strings(document, json, "id_token_signing_alg_values_supported"),
                strings(document, json, "token_endpoint_auth_signing_alg_values_supported"));
    }

    private static Optional<URI> optionalUrl(URI document, Map<String, Object> json, String member, String what) throws IOException {
        String text;
        try {
            text = JSONObjectUtils.getString(json, member);
        } catch (ParseException e) {
            throw new IOException(document + ": " + member + " is not a string", e);
        }
        if (text == null) {
            return Optional.empty();
        }
        URI uri = url(document, member, text);
        OidcProvider.requireSecure(uri, what);
        return Optional.of(uri);
    }

    private static URI url(URI document, String member, String text) throws IOException {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IOException(document + " names a " + member + " that is not a URL: " + e.getMessage(), e);
        }
    }

    private static List<String> strings(URI document, Map<String, Object> json, String member) throws IOException {
        try {
            List<String> list = JSONObjectUtils.getStringList(json, member);
            return list == null ? List.of() : List.copyOf(list);
        } catch (ParseException | NullPointerException e) {
            throw new IOException(document + ": " + member + " is not a list of strings", e);
        }
    }
}
