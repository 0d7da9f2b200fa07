package org.custodian.app.serve;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.custodian.server.patients.OidcClient;
import picocli.CommandLine.Option;

/**
 * How reception and care staff, Caldicott guardians and auditors sign in to their pages ({@code /staff},
 * {@code /audit}) in a real deployment: an OpenID Connect provider of their own (in England, NHS CIS2, the
 * Care Identity Service), separate from the patients', with its own redirect URI. Checked at start as the
 * patients' provider is ({@link OidcProviderOptions}); staff are found in the registers only by the claim that
 * holds their person id ({@code --staff-oidc-person-claim}), and only if the registers give them a staff or
 * auditor role.
 */
public final class StaffSignInOptions {
    @Option(names = "--staff-oidc-issuer", paramLabel = "URL",
            description = "sign staff and auditors in to their pages with this OpenID Connect provider (e.g. NHS CIS2), checked at"
                    + " start. Needs --staff-oidc-client-id, --staff-oidc-person-claim and --public-url, and the provider must know"
                    + " URL" + OidcClient.STAFF_CALLBACK_PATH + " as a redirect URI")
    String issuer;

    @Option(names = "--staff-oidc-client-id", paramLabel = "ID", description = "this deployment's client id at the staff's provider")
    String clientId;

    @Option(names = "--staff-oidc-client-secret-file", paramLabel = "FILE",
            description = "a file holding the client secret for the staff's provider (client_secret_basic)")
    Path clientSecretFile;

    @Option(names = "--staff-oidc-client-key-file", paramLabel = "FILE",
            description = "a file holding the client's private key for the staff's provider (private_key_jwt), in the forms"
                    + " --patient-oidc-client-key-file takes. Not with --staff-oidc-client-secret-file")
    Path clientKeyFile;

    @Option(names = "--staff-oidc-scopes", paramLabel = "SCOPES",
            description = "the scopes to ask the staff's provider for, separated by spaces or commas; must include openid"
                    + " (default: openid profile)")
    String scopes;

    @Option(names = "--staff-oidc-person-claim", paramLabel = "CLAIM",
            description = "the ID token's claim holding the person id the registers give the member of staff or auditor (e.g."
                    + " sub, when the registers use the provider's user ids). Required: staff are found only this way, and"
                    + " only people whose role is reception, clinician, caldicott-guardian or auditor")
    String personClaim;

    @Option(names = "--staff-oidc-require-claim", paramLabel = "NAME=VALUE",
            description = "refuse a staff sign-in unless the ID token has this claim with exactly this value, e.g."
                    + " authentication_assurance_level=3 (repeatable)")
    List<String> requiredClaims = new ArrayList<>();

    @Option(names = "--staff-oidc-name", paramLabel = "NAME",
            description = "the staff's provider's name on the sign-in button, e.g. 'NHS CIS2' (default: the issuer's host name)")
    String name;

    /**
     * The staff's provider's settings, checked, and its secret or key file read; empty when none is configured.
     *
     * @param publicUrl {@code --public-url}, or null when not given
     * @throws org.custodian.app.cli.CommandFailure the options are wrong (exit 2), or the secret or key file cannot be used (exit 1)
     */
    Optional<OidcClient.Settings> settings(URI publicUrl) {
        return new OidcProviderOptions(OidcClient.Who.STAFF, "--staff-oidc", issuer, clientId, clientSecretFile, clientKeyFile, scopes,
                personClaim, requiredClaims, name, List.of("openid", "profile")).settings(publicUrl);
    }
}
