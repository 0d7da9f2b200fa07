package org.custodian.app.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.cli.DataOptions;
import org.custodian.ledger.witness.WitnessEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code custodian serve}: the server, on an embedded or external PostgreSQL. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the Custodian server: the ledger and its public log under /log/.",
            "Without --db-url it runs a real PostgreSQL embedded in DIR/pg, kept across restarts."})
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
        @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
                description = "address to listen on (default: ${DEFAULT-VALUE}, this machine only)")
        String host;

        @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT", description = "HTTP port (default: ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--origin", paramLabel = "ORIGIN",
                description = "the log's origin (checkpoint first line), fixed when the log is created; default: <hostname>/custodian/<random>")
        String origin;

        @Option(names = "--witness", paramLabel = "URL=KEY",
                description = "a witness to collect cosignatures from: its URL and cosignature verifier key (repeatable)")
        List<String> witnesses = new ArrayList<>();

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
        }
    }
}
