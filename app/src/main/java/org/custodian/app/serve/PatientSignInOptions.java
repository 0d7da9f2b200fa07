package org.custodian.app.serve;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.custodian.app.cli.CommandFailure;
import org.custodian.server.patients.OidcClient;
import picocli.CommandLine.Option;

/**
 * How patients and their proxies sign in to their pages in a real deployment: an OpenID Connect
 * provider (NHS login, or the deployment's own), checked when the server starts, before anything else
 * is started, so that a provider that cannot be used stops the start with a message. Also the public
 * URL, which the staff's provider ({@link StaffSignInOptions}) shares. The checks are
 * {@link OidcProviderOptions}'s.
 */
public final class PatientSignInOptions {
    @Option(names = "--public-url", paramLabel = "URL",
            description = "the address people reach this server at, e.g. https://custodian.example.nhs.uk (https; plain http only on"
                    + " the loopback interface); the patients' sign-in comes back to URL" + OidcClient.CALLBACK_PATH + ", the staff's to URL"
                    + OidcClient.STAFF_CALLBACK_PATH)
    String publicUrl;

    @Option(names = "--patient-oidc-issuer", paramLabel = "URL",
            description = "sign patients and their carers or attorneys in to their pages with this OpenID Connect provider (e.g. NHS"
                    + " login): its discovery document and keys are fetched and checked at start. Needs --patient-oidc-client-id and"
                    + " --public-url, and the provider must know URL" + OidcClient.CALLBACK_PATH + " as a redirect URI")
    String issuer;

    @Option(names = "--patient-oidc-client-id", paramLabel = "ID", description = "this deployment's client id at the provider")
    String clientId;

    @Option(names = "--patient-oidc-client-secret-file", paramLabel = "FILE",
            description = "a file holding the client secret (sent as client_secret_basic); without it or a key file, a public"
                    + " client that relies on PKCE alone")
    Path clientSecretFile;

    @Option(names = "--patient-oidc-client-key-file", paramLabel = "FILE",
            description = "a file holding the client's private key, to authenticate with private_key_jwt (NHS login's way): PEM"
                    + " PKCS#8, RSA (signs RS512) or EC P-256 (ES256), or a JWK (its kid is sent); only its owner may read it."
                    + " The provider is given the public key. Not with --patient-oidc-client-secret-file")
    Path clientKeyFile;

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

    /** {@code --public-url}, checked to be an absolute URL; null when not given. */
    URI publicUrl() {
        return publicUrl == null ? null : OidcProviderOptions.uri("--public-url", publicUrl);
    }

    /**
     * The provider's settings, checked, and its secret or key file read; empty when none is configured.
     *
     * @throws CommandFailure the options are wrong (exit 2), or the secret or key file cannot be used (exit 1)
     */
    Optional<OidcClient.Settings> settings() {
        URI url = publicUrl();
        return new OidcProviderOptions(OidcClient.Who.PATIENTS, "--patient-oidc", issuer, clientId, clientSecretFile, clientKeyFile, scopes,
                personClaim, requiredClaims, name, List.of("openid", "profile")).settings(url);
    }
}
