package org.custodian.core.identity;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.TreeSet;

/**
 * An external OpenID Connect provider trusted to issue tokens instead of Custodian: its issuer
 * ({@code iss}), where it publishes its keys (a JWK Set), the audience ({@code aud}) its tokens
 * for Custodian carry, the signature algorithms accepted (of {@link #SUPPORTED_ALGORITHMS}), and the
 * claims that carry the person, organisation, purpose and project.
 *
 * <p>The issuer and the keys' URL MUST be https, so that nobody on the path can substitute keys;
 * plain http is accepted only on the loopback interface (a provider on the same machine, tests).
 */
public record OidcProvider(String issuer, URI jwksUri, String audience, Set<String> algorithms, ClaimNames claimNames) {
    public static final Set<String> SUPPORTED_ALGORITHMS = Set.of("RS256", "ES256");

    public OidcProvider {
        requireNonNull(issuer, "issuer is null");
        requireNonNull(jwksUri, "jwksUri is null");
        requireNonNull(audience, "audience is null");
        requireNonNull(algorithms, "algorithms is null");
        requireNonNull(claimNames, "claimNames is null");
        try {
            requireSecure(new URI(issuer), "the issuer");
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("an OpenID Connect issuer is an https URL, not '" + issuer + "'");
        }
        requireSecure(jwksUri, "the JWK Set URL");
        if (audience.isBlank()) {
            throw new IllegalArgumentException("the audience is blank");
        }
        if (algorithms.isEmpty() || !SUPPORTED_ALGORITHMS.containsAll(algorithms)) {
            throw new IllegalArgumentException("the accepted algorithms must be some of " + new TreeSet<>(SUPPORTED_ALGORITHMS)
                    + ", not " + new TreeSet<>(algorithms));
        }
        algorithms = Set.copyOf(algorithms);
    }

    /** The provider with Custodian's claim names ({@link ClaimNames#DEFAULT}) and both algorithms. */
    public static OidcProvider of(String issuer, URI jwksUri, String audience) {
        return new OidcProvider(issuer, jwksUri, audience, SUPPORTED_ALGORITHMS, ClaimNames.DEFAULT);
    }

    /**
     * Refuses {@code uri} unless it is an absolute https URL without a fragment, or plain http on the
     * loopback interface (named {@code localhost} or by a literal loopback address; a name is never
     * resolved to decide).
     *
     * @param what the URL's role, to begin the message with ("the issuer")
     * @throws IllegalArgumentException it is not
     */
    public static void requireSecure(URI uri, String what) {
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(what + " must be an absolute https URL without a fragment, not '" + uri + "'");
        }
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            return;
        }
        if ("http".equalsIgnoreCase(uri.getScheme()) && isLoopback(uri.getHost())) {
            return;
        }
        throw new IllegalArgumentException(what + " must be https (plain http only on the loopback interface), not '" + uri + "'");
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Only literal addresses: resolving a name here would trust whatever DNS says.
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+") && !literal.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
