package org.custodian.app.serve;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.cli.DataOptions;
import org.custodian.app.cli.LogKeys;
import org.custodian.app.cli.TokenKeyFiles;
import org.custodian.core.identity.TokenKeys;
import org.custodian.app.database.Database;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.witness.WitnessEndpoint;
import org.custodian.records.validate.ProfileValidator;
import org.custodian.server.patients.OidcClient;
import org.custodian.server.patients.PatientPages;

/** Starting a server process: checks first, then database, key, node, in that order. */
final class Startup {
    private Startup() {}

    record Started(Database database, CustodianNode node, String host, DataOptions data, ProfileValidator profiles, String signIn,
            String staffSignIn, java.nio.file.Path outbox) {
        String url() {
            String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
            if (shown.contains(":")) {
                shown = "[" + shown + "]";
            }
            return "http://" + shown + ":" + node.port() + "/";
        }

        void printBanner(PrintStream out) {
            out.println("Custodian is running.");
            out.println("  Data:      " + database.description());
            out.println("  Log key:   " + data.keysDir().resolve(LogKeys.FILE) + " (private, mode 0600)");
            out.println("  Verifier:  " + node.log().verifierKey());
            out.println("  Open:      " + url());
            out.println("  Log:       " + url() + "log/checkpoint");
            out.println("  Profiles:  " + (profiles.enabled() ? "every record written is validated against " + profiles.description()
                    : "not validated (--validate-profiles to check records against FHIR profiles)"));
            out.println("  Sign-in:   " + signIn);
            out.println("  Staff:     " + staffSignIn);
            out.println("  Outbox:    " + (outbox == null ? "none: patients' notifications are queued, not sent (--outbox DIR writes them as files)"
                    : outbox + " (patients' e-mail notifications as .eml files; nothing is sent by mail)"));
            out.println("Press Ctrl-C to stop.");
            out.flush();
        }
    }

    static Started start(DataOptions data, ServeCommand.ServerOptions options, Lifecycle lifecycle) {
        return start(data, options, lifecycle, key -> List.of());
    }

    /**
     * @param extraWitnesses witnesses started by the command itself (the demo's), given the log key
     */
    static Started start(DataOptions data, ServeCommand.ServerOptions options, Lifecycle lifecycle,
            Function<NoteSigner, List<WitnessEndpoint>> extraWitnesses) {
        options.validate();
        List<WitnessEndpoint> witnesses = new ArrayList<>(options.witnessEndpoints());
        checkPortFree(options.host, options.port);
        // Before the database: a directory of profiles that cannot be used stops the start here.
        ProfileValidator profiles = options.profiles.validator();
        // Before the database too: a provider that cannot be used, or its secret or key file, stops the start here;
        // and every option of both providers is checked before either provider is asked anything.
        Optional<OidcClient.Settings> patientSettings = options.patientSignIn.settings();
        Optional<OidcClient.Settings> staffSettings = options.staffSignIn.settings(options.patientSignIn.publicUrl());
        if (patientSettings.isPresent() && staffSettings.isPresent() && patientSettings.get().issuer().equals(staffSettings.get().issuer())
                && patientSettings.get().clientId().equals(staffSettings.get().clientId())) {
            throw new CommandFailure(CommandFailure.USAGE, "the staff's sign-in must not use the patients' client: give staff a client"
                    + " of their own at the provider (--staff-oidc-client-id), or a provider of their own");
        }
        Optional<OidcClient> patientOidc = patientSettings.map(s -> OidcProviderOptions.discover(s, java.time.Clock.systemUTC()));
        Optional<OidcClient> staffOidc = staffSettings.map(s -> OidcProviderOptions.discover(s, java.time.Clock.systemUTC()));
        NoteSigner key = LogKeys.loadOrCreate(data.keysDir(), options.origin);
        witnesses.addAll(extraWitnesses.apply(key));
        Database database = lifecycle.add(Databases.open(data, true));
        // Tokens' issuer and audience: the log's origin, fixed when the key files are first created.
        TokenKeys tokenKeys = TokenKeyFiles.loadOrCreate(data.keysDir(), () -> java.util.Optional.of(key.name()));
        CustodianNode node;
        try {
            node = lifecycle.add(CustodianNode.start(database, key, tokenKeys,
                    options.tokenVerifier(tokenKeys, java.time.Clock.systemUTC()), options.host, options.port, options.maxRequestBytes(),
                    witnesses, profiles, new PatientPages.SignIns(options.demoSignIn, patientOidc, staffOidc),
                    java.util.Optional.ofNullable(options.outbox())));
        } catch (RuntimeException e) {
            if (isBindFailure(e)) {
                throw new CommandFailure("cannot listen on " + options.host + ":" + options.port + ": " + e.getMessage());
            }
            throw e;
        }
        String signIn = patientOidc.map(c -> "patients sign in with " + c.description()).orElse("patients cannot sign in yet"
                + " (--patient-oidc-issuer to configure an OpenID Connect provider)");
        String staffSignIn = staffOidc.map(c -> "staff and auditors sign in with " + c.description()).orElse("staff and auditors cannot"
                + " sign in yet (--staff-oidc-issuer to configure an OpenID Connect provider, such as NHS CIS2)");
        if (options.demoSignIn) {
            signIn = "the demonstration's sign-in (demo people, a code shown on screen)" + (patientOidc.isPresent() ? "; and " + signIn : "");
            staffSignIn = "the demonstration's sign-in" + (staffOidc.isPresent() ? "; and " + staffSignIn : "");
        }
        return new Started(database, node, options.host, data, profiles, signIn, staffSignIn, options.outbox());
    }

    private static void checkPortFree(String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new CommandFailure("port " + port + " on " + host + " is not available (" + e.getMessage()
                    + "); stop what uses it or choose another with --port");
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }
}
