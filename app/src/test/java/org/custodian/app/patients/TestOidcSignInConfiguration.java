package org.custodian.app.patients;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.custodian.app.Cli;
import org.custodian.app.cli.CommandFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code custodian serve} checks the patients' OpenID Connect provider before it starts anything: wrong
 * options are usage errors (exit 2); a provider that cannot be used for the authorization code flow
 * stops the start (exit 1); either way with one line saying why, and no data directory, key or database
 * made.
 */
class TestOidcSignInConfiguration {
    private static final String PUBLIC_URL = "https://custodian.example.nhs.uk";

    @TempDir
    Path dir;

    private FakeOidcProvider provider;
    private int run;

    @BeforeEach
    void start() throws Exception {
        provider = new FakeOidcProvider();
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    /** {@code custodian serve} with these options on a data directory of its own; it must fail with {@code exit} saying {@code message}. */
    private void refused(int exit, String message, String... options) {
        Path data = dir.resolve("data" + ++run);
        List<String> args = new ArrayList<>(List.of("serve", "--data", data.toString(), "--port", "0"));
        args.addAll(List.of(options));
        Cli.Result r = Cli.run(args.toArray(String[]::new)).exits(exit).showsNoJavaInternals();
        assertTrue(r.err().contains(message), "expected '" + message + "' in: " + r);
        assertFalse(Files.exists(data), "nothing was started or made: " + r);
    }

    private String[] configured(String... more) {
        List<String> args = new ArrayList<>(List.of("--patient-oidc-issuer", provider.issuer(), "--patient-oidc-client-id", "custodian-web",
                "--public-url", PUBLIC_URL));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void incompleteOrMalformedOptionsAreUsageErrors() throws Exception {
        refused(CommandFailure.USAGE, "need --patient-oidc-issuer", "--patient-oidc-client-id", "custodian-web");
        refused(CommandFailure.USAGE, "--patient-oidc-issuer needs --patient-oidc-client-id",
                "--patient-oidc-issuer", provider.issuer(), "--public-url", PUBLIC_URL);
        refused(CommandFailure.USAGE, "--patient-oidc-issuer needs --public-url",
                "--patient-oidc-issuer", provider.issuer(), "--patient-oidc-client-id", "custodian-web");
        refused(CommandFailure.USAGE, "the scopes must include openid", configured("--patient-oidc-scopes", "profile,nhs_number"));
        refused(CommandFailure.USAGE, "takes NAME=VALUE", configured("--patient-oidc-require-claim", "identity_proofing_level"));
        refused(CommandFailure.USAGE, "cannot name a person", configured("--patient-oidc-person-claim", "nonce"));
        Path empty = Files.writeString(dir.resolve("empty-secret"), "\n");
        refused(CommandFailure.USAGE, "is empty", configured("--patient-oidc-client-secret-file", empty.toString()));
        refused(CommandFailure.FAILED, "--patient-oidc-client-secret-file: cannot read", configured("--patient-oidc-client-secret-file",
                dir.resolve("no-such-file").toString()));
    }

    @Test
    void plainHttpIsRefusedExceptOnTheLoopbackInterfaceAndThePublicUrlIsTheRoot() {
        refused(CommandFailure.USAGE, "the issuer must be https", "--patient-oidc-issuer", "http://login.example.org",
                "--patient-oidc-client-id", "custodian-web", "--public-url", PUBLIC_URL);
        refused(CommandFailure.USAGE, "the public URL must be https", "--patient-oidc-issuer", provider.issuer(),
                "--patient-oidc-client-id", "custodian-web", "--public-url", "http://custodian.example.nhs.uk");
        refused(CommandFailure.USAGE, "the public URL must be where this server's root is", "--patient-oidc-issuer", provider.issuer(),
                "--patient-oidc-client-id", "custodian-web", "--public-url", PUBLIC_URL + "/custodian");
        provider.discovery.put("token_endpoint", "http://login.example.org/token");
        refused(CommandFailure.FAILED, "the token endpoint must be https", configured());
    }

    @Test
    void aDiscoveryDocumentForAnotherIssuerStopsTheStart() {
        provider.discovery.put("issuer", provider.issuer() + "/");
        refused(CommandFailure.FAILED, "names the issuer '" + provider.issuer() + "/', not '" + provider.issuer() + "'", configured());
    }

    @Test
    void aProviderThatCannotDoTheAuthorizationCodeFlowWithPkceStopsTheStart() throws Exception {
        provider.discovery.remove("token_endpoint");
        refused(CommandFailure.FAILED, "names no token_endpoint", configured());
        provider.discovery.put("token_endpoint", provider.issuer() + "/token");
        provider.discovery.remove("authorization_endpoint");
        refused(CommandFailure.FAILED, "names no authorization_endpoint", configured());
        provider.discovery.put("authorization_endpoint", provider.issuer() + "/authorize");
        provider.discovery.put("response_types_supported", List.of("id_token"));
        refused(CommandFailure.FAILED, "does not offer the authorization code flow", configured());
        provider.discovery.put("response_types_supported", List.of("code"));
        provider.discovery.put("code_challenge_methods_supported", List.of("plain"));
        refused(CommandFailure.FAILED, "does not support PKCE with S256", configured());
        provider.discovery.put("code_challenge_methods_supported", List.of("S256"));
        provider.discovery.put("id_token_signing_alg_values_supported", List.of("PS256", "HS256"));
        refused(CommandFailure.FAILED, "signs ID tokens with [PS256, HS256]", configured());
        provider.discovery.put("id_token_signing_alg_values_supported", List.of("RS256"));
        provider.discovery.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
        Path secret = Files.writeString(dir.resolve("secret"), "s3cret");
        refused(CommandFailure.FAILED, "does not accept client_secret_basic", configured("--patient-oidc-client-secret-file", secret.toString()));
    }

    @Test
    void keysThatCannotBeFetchedOrUsedStopTheStart() {
        provider.discovery.put("jwks_uri", provider.issuer() + "/no-keys-here");
        refused(CommandFailure.FAILED, "answered HTTP 404", configured());
        provider.discovery.put("jwks_uri", provider.issuer() + "/certs");
        provider.discovery.put("id_token_signing_alg_values_supported", List.of("ES256"));
        refused(CommandFailure.FAILED, "publishes no key that can sign ID tokens with [ES256]", configured());
    }

    @Test
    void anUnreachableProviderStopsTheStart() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        refused(CommandFailure.FAILED, "cannot sign patients in with http://127.0.0.1:" + closed, "--patient-oidc-issuer",
                "http://127.0.0.1:" + closed + "/realms/patients", "--patient-oidc-client-id", "custodian-web", "--public-url", PUBLIC_URL);
    }

    @Test
    void theHelpSaysHowToConfigureTheProvider() {
        String help = Cli.run("serve", "--help").exits(0).out();
        for (String option : List.of("--public-url", "--patient-oidc-issuer", "--patient-oidc-client-id", "--patient-oidc-client-secret-file",
                "--patient-oidc-scopes", "--patient-oidc-person-claim", "--patient-oidc-require-claim", "--patient-oidc-name")) {
            assertTrue(help.contains(option), option + " in:\n" + help);
        }
        assertTrue(help.contains("/sign-in/oidc/callback"), "the redirect URI to register: " + help);
    }
}
