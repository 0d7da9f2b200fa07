package org.custodian.app.serve;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.cli.DataOptions;
import org.custodian.app.cli.ProfileOptions;
import org.custodian.ledger.witness.WitnessEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import java.time.Clock;
import org.custodian.core.identity.ClaimNames;
import org.custodian.core.identity.CustodianTokenVerifier;
import org.custodian.core.identity.OidcProvider;
import org.custodian.core.identity.OidcTokenVerifier;
import org.custodian.core.identity.TokenKeys;
import org.custodian.core.identity.TokenVerifier;
import picocli.CommandLine.Option;

/** {@code custodian serve}: the server, on an embedded or external PostgreSQL. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the Custodian server: the gate's API under /api/, FHIR under /fhir/,",
            "the public log under /log/ and the patients' pages under /my/.",
            "Without --db-url it runs a real PostgreSQL embedded in DIR/pg, kept across restarts.",
            "Patients and their carers or attorneys sign in to their pages with an OpenID",
            "Connect provider (--patient-oidc-issuer, --patient-oidc-client-id and",
            "--public-url); staff and auditors to theirs with one of their own",
            "(--staff-oidc-issuer, --staff-oidc-client-id, --staff-oidc-person-claim)."})
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Mixin
    ServerOptions server;

    @Override
    public Integer call() throws Exception {
        Lifecycle lifecycle = new Lifecycle();
        try {
            Startup.Started started = Startup.start(data, server, lifecycle);
            started.printBanner(System.out);
        } catch (RuntimeException e) {
            lifecycle.closeAll();
            throw e;
        }
        lifecycle.awaitShutdown();
        return 0;
    }

    /** Options shared by serve and demo. */
    public static final class ServerOptions {
        @Mixin
        ProfileOptions profiles;

        @Mixin
        PatientSignInOptions patientSignIn;

        @Mixin
        StaffSignInOptions staffSignIn;

        /** The demonstration's sign-in for the patients' pages (not an option: only {@code custodian demo} turns it on). */
        boolean demoSignIn;

        @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
                description = "address to listen on (default: ${DEFAULT-VALUE}, this machine only)")
        String host;

        @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT", description = "HTTP port (default: ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--max-request-mb", defaultValue = "50", paramLabel = "MB",
                description = "the largest request body accepted, in megabytes of 1,000,000 bytes; larger ones are refused"
                        + " with 413 (default: ${DEFAULT-VALUE})")
        int maxRequestMb;

        @Option(names = "--origin", paramLabel = "ORIGIN",
                description = "the log's origin (checkpoint first line), fixed when the log is created; default: <hostname>/custodian/<random>")
        String origin;

        @Option(names = "--outbox", paramLabel = "DIR",
                description = "write patients' e-mail notifications into DIR as RFC 5322 .eml files, a stand-in for a mail relay:"
                        + " nothing is sent by mail (without it they are queued, not sent; letter notifications wait for the next"
                        + " letter batch either way; custodian demo uses DATA/outbox)")
        Path outbox;

        @Option(names = "--witness", paramLabel = "URL=KEY",
                description = "a witness to collect cosignatures from: its URL and cosignature verifier key (repeatable)")
        List<String> witnesses = new ArrayList<>();

        @Option(names = "--oidc-issuer", paramLabel = "URL",
                description = "accept bearer tokens from this OpenID Connect provider instead of Custodian's own (https; its"
                        + " discovery document is fetched at start, its keys on first use)")
        String oidcIssuer;

        @Option(names = "--oidc-audience", paramLabel = "AUD", description = "the audience tokens from the provider must carry (with --oidc-issuer)")
        String oidcAudience;

        @Option(names = "--oidc-claims", paramLabel = "PERSON,ORG,PURPOSE,PROJECT",
                description = "the provider's claim names for the person id, organisation, purpose and project (default: sub,org,purpose,project)")
        String oidcClaims;

        /** How bearer tokens are verified: the provider's, when one is configured; else this deployment's own key. */
        TokenVerifier tokenVerifier(TokenKeys ownKeys, Clock clock) {
            if (oidcIssuer == null) {
                if (oidcAudience != null || oidcClaims != null) {
                    throw new CommandFailure(CommandFailure.USAGE, "--oidc-audience and --oidc-claims need --oidc-issuer");
                }
                return new CustodianTokenVerifier(ownKeys, clock);
            }
            if (oidcAudience == null || oidcAudience.isBlank()) {
                throw new CommandFailure(CommandFailure.USAGE, "--oidc-issuer needs --oidc-audience (the audience this deployment's tokens carry)");
            }
            ClaimNames names = ClaimNames.DEFAULT;
            if (oidcClaims != null) {
                String[] parts = oidcClaims.split(",", -1);
                if (parts.length != 4) {
                    throw new CommandFailure(CommandFailure.USAGE, "--oidc-claims takes four names: PERSON,ORG,PURPOSE,PROJECT");
                }
                try {
                    names = new ClaimNames(parts[0].trim(), parts[1].trim(), parts[2].trim(), parts[3].trim());
                } catch (IllegalArgumentException e) {
                    throw new CommandFailure(CommandFailure.USAGE, "--oidc-claims: " + e.getMessage());
                }
            }
            try {
                return OidcTokenVerifier.discover(oidcIssuer, oidcAudience, OidcProvider.SUPPORTED_ALGORITHMS, names,
                        java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(10)).build(), clock);
            } catch (java.io.IOException e) {
                throw new CommandFailure("cannot use the OpenID Connect provider " + oidcIssuer + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(CommandFailure.USAGE, "--oidc-issuer: " + e.getMessage());
            }
        }

        /** The outbox directory, absolute, or null for none. */
        Path outbox() {
            return outbox == null ? null : outbox.toAbsolutePath().normalize();
        }

        long maxRequestBytes() {
            return maxRequestMb * 1_000_000L;
        }

        List<WitnessEndpoint> witnessEndpoints() {
            List<WitnessEndpoint> out = new ArrayList<>();
            for (String spec : witnesses) {
                try {
                    out.add(WitnessEndpoint.parse(spec));
                } catch (IllegalArgumentException e) {
                    throw new CommandFailure(CommandFailure.USAGE, "--witness " + spec + ": " + e.getMessage());
                }
            }
            return out;
        }

        void validate() {
            if (port < 0 || port > 65535) {
                throw new CommandFailure(CommandFailure.USAGE, "--port must be 0..65535");
            }
            if (maxRequestMb < 1 || maxRequestMb > 2_000) {
                throw new CommandFailure(CommandFailure.USAGE, "--max-request-mb must be 1..2000");
            }
        }
    }
}
