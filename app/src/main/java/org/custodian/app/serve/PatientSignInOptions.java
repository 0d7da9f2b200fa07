package org.custodian.app.serve;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.cli.Failures;
import org.custodian.server.patients.OidcClient;
import picocli.CommandLine.Option;

/**
 * How patients and their proxies sign in to their pages in a real deployment: an OpenID Connect
 * provider (NHS login, or the deployment's own), checked when the server starts, before anything else
 * is started, so that a provider that cannot be used stops the start with a message.
 */
public final class PatientSignInOptions {
    @Option(names = "--public-url", paramLabel = "URL",
            description = "the address people reach this server at, e.g. https://custodian.example.nhs.uk (https; plain http only on"
                    + " the loopback interface); the patients' sign-in comes back to URL" + OidcClient.CALLBACK_PATH)
    String publicUrl;

    @Option(names = "--patient-oidc-issuer", paramLabel = "URL",
            description = "sign patients and their carers or attorneys in to their pages with this OpenID Connect provider (e.g. NHS"
                    + " login): its discovery document and keys are fetched and checked at start. Needs --patient-oidc-client-id and"
                    + " --public-url, and the provider must know URL" + OidcClient.CALLBACK_PATH + " as a redirect URI")
    String issuer;

    @Option(names = "--patient-oidc-client-id", paramLabel = "ID", description = "this deployment's client id at the provider")
    String clientId;

    @Option(names = "--patient-oidc-client-secret-file", paramLabel = "FILE",
            description = "a file holding the client secret (sent as client_secret_basic); without it, a public client that relies on"
                    + " PKCE alone")
    Path clientSecretFile;

    @Option(names = "--patient-oidc-scopes", paramLabel = "SCOPES",
            description = "the scopes to ask for, separated by spaces or commas; must include openid (default: openid profile)")
    String scopes;

    @Option(names = "--patient-oidc-person-claim", paramLabel = "CLAIM",
            description = "a claim holding a registered person's id, for carers and attorneys registered without an NHS number"
                    + " (only such people are found this way; everyone else by the nhs_number claim). Default: none")
    String personClaim;

    @Option(names = "--patient-oidc-require-claim", paramLabel = "NAME=VALUE",
            description = "refuse a sign-in unless the ID token has this claim with exactly this value, e.g."
                    + " identity_proofing_level=P9 for NHS login (repeatable)")
    List<String> requiredClaims = new ArrayList<>();

    @Option(names = "--patient-oidc-name", paramLabel = "NAME",
            description = "the provider's name on the sign-in button, e.g. 'NHS login' (default: the issuer's host name)")
    String name;

    /**
     * The provider's client, its configuration checked against the provider itself; empty when none is configured.
     *
     * @throws CommandFailure the options are wrong (exit 2), or the provider cannot be used (exit 1)
     */
    Optional<OidcClient> client(Clock clock) {
        URI url = publicUrl == null ? null : uri("--public-url", publicUrl);
        if (issuer == null) {
            if (clientId != null || clientSecretFile != null || scopes != null || personClaim != null || !requiredClaims.isEmpty()
                    || name != null) {
                throw new CommandFailure(CommandFailure.USAGE, "the --patient-oidc-... options need --patient-oidc-issuer");
            }
            return Optional.empty();
        }
        if (clientId == null) {
            throw new CommandFailure(CommandFailure.USAGE, "--patient-oidc-issuer needs --patient-oidc-client-id");
        }
        if (url == null) {
            throw new CommandFailure(CommandFailure.USAGE, "--patient-oidc-issuer needs --public-url (the redirect URI is built from it)");
        }
        OidcClient.Settings settings;
        try {
            settings = new OidcClient.Settings(issuer, clientId, secret(), url,
                    scopes == null ? List.of("openid", "profile") : Arrays.stream(scopes.split("[\\s,]+")).filter(s -> !s.isEmpty()).toList(),
                    Optional.ofNullable(personClaim), required(), name != null ? name : uri("--patient-oidc-issuer", issuer).getHost());
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(CommandFailure.USAGE, "patient sign-in: " + e.getMessage());
        }
        // No redirects: a token request (code, verifier, secret) is never resent to wherever a redirect points.
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
        try {
            return Optional.of(OidcClient.discover(settings, http, clock));
        } catch (IOException e) {
            throw new CommandFailure("cannot sign patients in with " + issuer + ": " + Failures.describe(e));
        } catch (IllegalArgumentException e) {
            throw new CommandFailure("cannot sign patients in with " + issuer + ": " + e.getMessage());
        }
    }

    private Optional<String> secret() {
        if (clientSecretFile == null) {
            return Optional.empty();
        }
        String secret;
        try {
            secret = Files.readString(clientSecretFile).strip();
        } catch (IOException e) {
            throw new CommandFailure("--patient-oidc-client-secret-file: cannot read " + Failures.describe(e));
        }
        if (secret.isEmpty()) {
            throw new CommandFailure(CommandFailure.USAGE, "--patient-oidc-client-secret-file: " + clientSecretFile + " is empty");
        }
        return Optional.of(secret);
    }

    private Map<String, String> required() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String spec : requiredClaims) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new CommandFailure(CommandFailure.USAGE, "--patient-oidc-require-claim takes NAME=VALUE, not '" + spec + "'");
            }
            if (out.put(spec.substring(0, eq).strip(), spec.substring(eq + 1).strip()) != null) {
                throw new CommandFailure(CommandFailure.USAGE, "--patient-oidc-require-claim names " + spec.substring(0, eq) + " twice");
            }
        }
        return out;
    }

    private static URI uri(String option, String text) {
        try {
            URI uri = new URI(text);
            if (uri.getHost() == null) {
                throw new CommandFailure(CommandFailure.USAGE, option + " must be an absolute URL with a host, not '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new CommandFailure(CommandFailure.USAGE, option + " is not a URL: " + e.getMessage());
        }
    }
}
