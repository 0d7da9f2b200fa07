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
 * {@code custodian serve} checks the patients' and the staff's OpenID Connect providers, and the client's
 * secret or private key, before it starts anything: wrong options are usage errors (exit 2); a key file
 * that cannot be used, or a provider that cannot be used for the authorization code flow, stops the start
 * (exit 1); either way with one line saying why, and no data directory, key or database made.
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
    void theHelpSaysHowToConfigureTheProviders() {
        String help = Cli.run("serve", "--help").exits(0).out();
        for (String option : List.of("--public-url", "--patient-oidc-issuer", "--patient-oidc-client-id", "--patient-oidc-client-secret-file",
                "--patient-oidc-client-key-file", "--patient-oidc-scopes", "--patient-oidc-person-claim", "--patient-oidc-require-claim",
                "--patient-oidc-name", "--staff-oidc-issuer", "--staff-oidc-client-id", "--staff-oidc-client-secret-file",
                "--staff-oidc-client-key-file", "--staff-oidc-scopes", "--staff-oidc-person-claim", "--staff-oidc-require-claim",
                "--staff-oidc-name")) {
            assertTrue(help.contains(option), option + " in:\n" + help);
        }
        assertTrue(help.contains("/sign-in/oidc/callback"), "the redirect URI to register: " + help);
        assertTrue(help.contains("/sign-in/staff/callback"), "the staff's redirect URI to register: " + help);
        assertTrue(help.contains("private_key_jwt") && help.contains("RS512") && help.contains("ES256"), help);
    }

    // ------------------------------------------------------------------ private_key_jwt

    private Path rsaKeyFile() throws Exception {
        return ClientKeyFiles.write(dir.resolve("client-key.pem"), ClientKeyFiles.pkcs8Pem(ClientKeyFiles.rsa()), "rw-------");
    }

    @Test
    void aSecretAndAKeyTogetherAreAUsageError() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "s3cret");
        refused(CommandFailure.USAGE, "--patient-oidc-client-secret-file and --patient-oidc-client-key-file cannot both be given",
                configured("--patient-oidc-client-secret-file", secret.toString(), "--patient-oidc-client-key-file", rsaKeyFile().toString()));
    }

    @Test
    void aKeyFileThatIsMissingOpenToOthersOrNotAUsableKeyStopsTheStart() throws Exception {
        Path missing = dir.resolve("no-such-key.pem");
        refused(CommandFailure.FAILED, "--patient-oidc-client-key-file: key file " + missing + " does not exist",
                configured("--patient-oidc-client-key-file", missing.toString()));
        Path open = ClientKeyFiles.write(dir.resolve("open.pem"), ClientKeyFiles.pkcs8Pem(ClientKeyFiles.rsa()), "rw-r--r--");
        refused(CommandFailure.FAILED, "has permissions rw-r--r--; a private key MUST NOT be accessible to group or others (chmod 600 " + open,
                configured("--patient-oidc-client-key-file", open.toString()));
        Path pkcs1 = ClientKeyFiles.write(dir.resolve("pkcs1.pem"), ClientKeyFiles.pem("RSA PRIVATE KEY", new byte[] {1, 2, 3}), "rw-------");
        refused(CommandFailure.FAILED, "does not hold a private key (PEM PKCS#8 RSA or EC P-256, or a JWK): it holds a PKCS#1 RSA private key;"
                + " give it in PKCS#8 form instead (openssl pkcs8 -topk8 -nocrypt", configured("--patient-oidc-client-key-file", pkcs1.toString()));
        Path publicOnly = ClientKeyFiles.write(dir.resolve("public.jwk"), ClientKeyFiles.ec("k1").publicKey().toJSONString(), "rw-------");
        refused(CommandFailure.FAILED, "the JSON Web Key is only a public key", configured("--patient-oidc-client-key-file", publicOnly.toString()));
        Path secret = ClientKeyFiles.write(dir.resolve("secret-by-mistake"), "s3cret\n", "rw-------");
        refused(CommandFailure.FAILED, "it is neither a PEM private key (-----BEGIN PRIVATE KEY-----) nor a JSON Web Key",
                configured("--patient-oidc-client-key-file", secret.toString()));
    }

    @Test
    void aProviderThatDoesNotAcceptTheKeyStopsTheStart() throws Exception {
        String key = rsaKeyFile().toString();
        provider.discovery.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic"));
        refused(CommandFailure.FAILED, "does not accept private_key_jwt (token_endpoint_auth_methods_supported: [client_secret_basic])",
                configured("--patient-oidc-client-key-file", key));
        provider.discovery.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
        provider.discovery.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS256", "PS256"));
        refused(CommandFailure.FAILED, "does not accept client assertions signed with RS512 (token_endpoint_auth_signing_alg_values_supported:"
                + " [RS256, PS256]), which this client's key (RSA 2048-bit key, RS512) signs with", configured("--patient-oidc-client-key-file", key));
    }

    // ------------------------------------------------------------------ the staff's provider

    private String[] staff(String... more) {
        List<String> args = new ArrayList<>(List.of("--staff-oidc-issuer", provider.issuer(), "--staff-oidc-client-id", "custodian-staff",
                "--staff-oidc-person-claim", "uid", "--public-url", PUBLIC_URL));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void incompleteOrMalformedStaffOptionsAreUsageErrors() throws Exception {
        refused(CommandFailure.USAGE, "the --staff-oidc-... options need --staff-oidc-issuer", "--staff-oidc-person-claim", "uid");
        refused(CommandFailure.USAGE, "--staff-oidc-issuer needs --staff-oidc-client-id", "--staff-oidc-issuer", provider.issuer(),
                "--staff-oidc-person-claim", "uid", "--public-url", PUBLIC_URL);
        refused(CommandFailure.USAGE, "--staff-oidc-issuer needs --public-url", "--staff-oidc-issuer", provider.issuer(),
                "--staff-oidc-client-id", "custodian-staff", "--staff-oidc-person-claim", "uid");
        refused(CommandFailure.USAGE, "--staff-oidc-issuer needs --staff-oidc-person-claim: staff are found in the registers only by the claim",
                "--staff-oidc-issuer", provider.issuer(), "--staff-oidc-client-id", "custodian-staff", "--public-url", PUBLIC_URL);
        refused(CommandFailure.USAGE, "staff sign-in: 'nonce' cannot name a person", "--staff-oidc-issuer", provider.issuer(),
                "--staff-oidc-client-id", "custodian-staff", "--staff-oidc-person-claim", "nonce", "--public-url", PUBLIC_URL);
        refused(CommandFailure.USAGE, "--staff-oidc-require-claim takes NAME=VALUE", staff("--staff-oidc-require-claim", "acr"));
        refused(CommandFailure.USAGE, "--staff-oidc-client-secret-file and --staff-oidc-client-key-file cannot both be given",
                staff("--staff-oidc-client-secret-file", rsaKeyFile().toString(), "--staff-oidc-client-key-file", rsaKeyFile().toString()));
        // The same client of the same provider for both would let the patients' provider sign staff in.
        List<String> both = new ArrayList<>(List.of(configured()));
        both.addAll(List.of("--staff-oidc-issuer", provider.issuer(), "--staff-oidc-client-id", "custodian-web", "--staff-oidc-person-claim", "uid"));
        refused(CommandFailure.USAGE, "the staff's sign-in must not use the patients' client", both.toArray(String[]::new));
    }

    @Test
    void aStaffProviderOrKeyThatCannotBeUsedStopsTheStart() throws Exception {
        refused(CommandFailure.FAILED, "--staff-oidc-client-key-file: key file " + dir.resolve("none.pem") + " does not exist",
                staff("--staff-oidc-client-key-file", dir.resolve("none.pem").toString()));
        provider.discovery.put("code_challenge_methods_supported", List.of("plain"));
        refused(CommandFailure.FAILED, "cannot sign staff in with " + provider.issuer() + ": ", staff());
        int closed;
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        refused(CommandFailure.FAILED, "cannot sign staff in with http://127.0.0.1:" + closed, "--staff-oidc-issuer",
                "http://127.0.0.1:" + closed + "/realms/staff", "--staff-oidc-client-id", "custodian-staff", "--staff-oidc-person-claim", "uid",
                "--public-url", PUBLIC_URL);
    }
}
