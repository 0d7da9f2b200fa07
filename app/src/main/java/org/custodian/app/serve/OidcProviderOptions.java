package org.custodian.app.serve;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.cli.Failures;
import org.custodian.ledger.note.KeyFiles;
import org.custodian.server.patients.ClientAuthentication;
import org.custodian.server.patients.ClientKey;
import org.custodian.server.patients.OidcClient;

/**
 * One OpenID Connect provider's options as given on the command line, the patients' ({@code --patient-oidc-...},
 * {@link PatientSignInOptions}) or the staff's ({@code --staff-oidc-...}, {@link StaffSignInOptions}), checked the
 * same way for both, in two steps so that every mistake the command line alone shows is reported before any
 * provider is asked anything: {@link #settings} (usage errors, and the secret or key file read and checked), then
 * {@link #discover} (the provider itself).
 *
 * @param prefix how the options begin, {@code --patient-oidc} or {@code --staff-oidc}
 * @param defaultScopes the scopes asked for when none are given
 */
record OidcProviderOptions(OidcClient.Who who, String prefix, String issuer, String clientId, Path clientSecretFile,
        Path clientKeyFile, String scopes, String personClaim, List<String> requiredClaims, String name, List<String> defaultScopes) {
    /** What the key file must hold, for messages. */
    static final String KEY_FORMS = "private key (PEM PKCS#8 RSA or EC P-256, or a JWK)";

    OidcProviderOptions {
        requireNonNull(who, "who is null");
        requireNonNull(prefix, "prefix is null");
        requiredClaims = List.copyOf(requiredClaims);
        defaultScopes = List.copyOf(defaultScopes);
    }

    /**
     * The settings, checked; empty when no issuer is given (and then no other option of this provider may be).
     * The secret or key file is read now: a file that is missing, open to others or malformed stops the start
     * here, before the database.
     *
     * @param publicUrl {@code --public-url}, or null when not given
     * @throws CommandFailure the options are wrong (exit 2), or a file cannot be used (exit 1)
     */
    Optional<OidcClient.Settings> settings(URI publicUrl) {
        if (issuer == null) {
            if (clientId != null || clientSecretFile != null || clientKeyFile != null || scopes != null || personClaim != null
                    || !requiredClaims.isEmpty() || name != null) {
                throw new CommandFailure(CommandFailure.USAGE, "the " + prefix + "-... options need " + prefix + "-issuer");
            }
            return Optional.empty();
        }
        if (clientId == null) {
            throw new CommandFailure(CommandFailure.USAGE, prefix + "-issuer needs " + prefix + "-client-id");
        }
        if (publicUrl == null) {
            throw new CommandFailure(CommandFailure.USAGE, prefix + "-issuer needs --public-url (the redirect URI is built from it)");
        }
        if (who == OidcClient.Who.STAFF && personClaim == null) {
            throw new CommandFailure(CommandFailure.USAGE, prefix + "-issuer needs " + prefix + "-person-claim: staff are found in the"
                    + " registers only by the claim holding their person id");
        }
        if (clientSecretFile != null && clientKeyFile != null) {
            throw new CommandFailure(CommandFailure.USAGE, prefix + "-client-secret-file and " + prefix + "-client-key-file cannot both"
                    + " be given: the client authenticates one way, with a key (private_key_jwt) or with a secret (client_secret_basic)");
        }
        Map<String, String> required = required();
        List<String> scopeList = scopes == null ? defaultScopes
                : Arrays.stream(scopes.split("[\\s,]+")).filter(s -> !s.isEmpty()).toList();
        String shownName = name != null ? name : uri(prefix + "-issuer", issuer).getHost();
        ClientAuthentication authentication = authentication();
        try {
            return Optional.of(new OidcClient.Settings(who, issuer, clientId, authentication, publicUrl, scopeList,
                    Optional.ofNullable(personClaim), required, shownName));
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(CommandFailure.USAGE, who == OidcClient.Who.STAFF ? "staff sign-in: " + e.getMessage()
                    : "patient sign-in: " + e.getMessage());
        }
    }

    /**
     * The client for {@code settings}, its configuration checked against the provider.
     *
     * @throws CommandFailure the provider cannot be used (exit 1)
     */
    static OidcClient discover(OidcClient.Settings settings, Clock clock) {
        String whom = settings.who() == OidcClient.Who.STAFF ? "staff" : "patients";
        // No redirects: a token request (code, verifier, secret or assertion) is never resent to wherever a redirect points.
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
        try {
            return OidcClient.discover(settings, http, clock);
        } catch (IOException e) {
            throw new CommandFailure("cannot sign " + whom + " in with " + settings.issuer() + ": " + Failures.describe(e));
        } catch (IllegalArgumentException e) {
            throw new CommandFailure("cannot sign " + whom + " in with " + settings.issuer() + ": " + e.getMessage());
        }
    }

    private ClientAuthentication authentication() {
        if (clientKeyFile != null) {
            try {
                return new ClientAuthentication.PrivateKeyJwt(KeyFiles.read(clientKeyFile, ClientKey::parse, KEY_FORMS));
            } catch (IOException e) {
                throw new CommandFailure(prefix + "-client-key-file: " + Failures.describe(e));
            }
        }
        if (clientSecretFile != null) {
            String secret;
            try {
                secret = Files.readString(clientSecretFile).strip();
            } catch (IOException e) {
                throw new CommandFailure(prefix + "-client-secret-file: cannot read " + Failures.describe(e));
            }
            if (secret.isEmpty()) {
                throw new CommandFailure(CommandFailure.USAGE, prefix + "-client-secret-file: " + clientSecretFile + " is empty");
            }
            return new ClientAuthentication.SecretBasic(secret);
        }
        return new ClientAuthentication.None();
    }

    private Map<String, String> required() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String spec : requiredClaims) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new CommandFailure(CommandFailure.USAGE, prefix + "-require-claim takes NAME=VALUE, not '" + spec + "'");
            }
            if (out.put(spec.substring(0, eq).strip(), spec.substring(eq + 1).strip()) != null) {
                throw new CommandFailure(CommandFailure.USAGE, prefix + "-require-claim names " + spec.substring(0, eq) + " twice");
            }
        }
        return out;
    }

    static URI uri(String option, String text) {
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
