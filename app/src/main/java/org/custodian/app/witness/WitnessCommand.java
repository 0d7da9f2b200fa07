package org.custodian.app.witness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.serve.Lifecycle;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.note.Checkpoint;
import org.custodian.ledger.note.CosignatureSigner;
import org.custodian.ledger.note.KeyFiles;
import org.custodian.ledger.note.Note;
import org.custodian.ledger.note.NoteException;
import org.custodian.ledger.note.NoteVerifier;
import org.custodian.ledger.note.NoteVerifiers;
import org.custodian.ledger.witness.FileWitnessState;
import org.custodian.ledger.witness.Witness;
import org.custodian.ledger.witness.WitnessResponse;
import org.custodian.ledger.witness.WitnessState;
import org.custodian.server.CustodianServer;
import org.custodian.server.witness.WitnessRoutes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code custodian witness}: an independent witness for one log (C2SP tlog-witness). It answers the
 * log's add-checkpoint calls, and also polls the log itself so that it keeps watch (and notices a
 * fork) even if the log stops calling.
 */
@Command(name = "witness", mixinStandardHelpOptions = true,
        description = {"Runs an independent witness of a log (C2SP tlog-witness).",
            "It keeps its own key and state in DIR, cosigns a log's checkpoints only when they are",
            "consistent with the last one it cosigned, and refuses rollbacks and forks."})
public final class WitnessCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "custodian-witness",
            description = "the witness's own directory: key and state (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--log", required = true, paramLabel = "URL", description = "the log's URL, e.g. http://127.0.0.1:8080/log")
    String log;

    @Option(names = "--log-key", required = true, paramLabel = "KEY", description = "the log's verifier key")
    String logKey;

    @Option(names = "--name", paramLabel = "NAME", description = "the witness's name, fixed when its key is created (default: <hostname>/witness)")
    String name;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "8090", paramLabel = "PORT", description = "HTTP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--poll", defaultValue = "10", paramLabel = "SECONDS",
            description = "how often to fetch the log's checkpoint itself; 0 to only answer the log (default: ${DEFAULT-VALUE})")
    int poll;

    /** Made when first needed: picocli builds every command object, whichever one runs. */
    private HttpClient client;

    private synchronized HttpClient http() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        }
        return client;
    }

    @Override
    public Integer call() throws Exception {
        NoteVerifier logVerifier;
        try {
            logVerifier = NoteVerifiers.parse(logKey.trim());
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(CommandFailure.USAGE, "--log-key: " + e.getMessage());
        }
        URI logUri;
        try {
            logUri = URI.create(log.endsWith("/") ? log.substring(0, log.length() - 1) : log);
            if (logUri.getScheme() == null || !logUri.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(CommandFailure.USAGE, "--log " + log + ": " + e.getMessage());
        }
        Path dir = data.toAbsolutePath().normalize();
        Lifecycle lifecycle = new Lifecycle();
        try {
            CosignatureSigner key;
            try {
                key = KeyFiles.loadOrCreateWitnessKey(dir.resolve("keys").resolve("witness.key"), name != null ? name : defaultName());
            } catch (IOException | IllegalArgumentException e) {
                throw new CommandFailure("cannot use the witness key in " + dir.resolve("keys") + ": " + e.getMessage());
            }
            FileWitnessState state;
            try {
                state = lifecycle.add(FileWitnessState.open(dir.resolve("state")));
            } catch (IOException e) {
                throw new CommandFailure(e.getMessage());
            }
            Witness witness = new Witness(key, List.of(logVerifier), state, Clock.systemUTC());
            CustodianServer server = lifecycle.add(CustodianServer.start(host, port, List.of(new WitnessRoutes(witness)::register)));
            System.out.println("Custodian witness " + key.name() + " is running.");
            System.out.println("  Data:        " + dir + " (key and state)");
            System.out.println("  Witnessing:  " + logVerifier.name() + " at " + logUri);
            System.out.println("  Listening:   http://" + host + ":" + server.port() + "/add-checkpoint");
            System.out.println("  Cosignature key: " + key.verifierKeyText());
            System.out.println("  Configure the log with: --witness http://" + host + ":" + server.port() + "=" + key.verifierKeyText());
            if (poll > 0) {
                ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "witness-poll");
                    t.setDaemon(true);
                    return t;
                });
                lifecycle.add(poller::shutdownNow);
                poller.scheduleWithFixedDelay(() -> pollOnce(witness, state, logVerifier, logUri), 0, poll, TimeUnit.SECONDS);
            }
        } catch (RuntimeException e) {
            lifecycle.closeAll();
            throw e;
        }
        lifecycle.awaitShutdown();
        return 0;
    }

    /** Fetches the log's checkpoint and a consistency proof, and puts them through the witness's own checks. */
    private void pollOnce(Witness witness, WitnessState state, NoteVerifier logVerifier, URI logUri) {
        try {
            String note = get(logUri + "/checkpoint");
            Checkpoint checkpoint = Checkpoint.parse(Note.parse(note).text());
            long ours = state.latest(logVerifier.name()).map(WitnessState.Seen::size).orElse(0L);
            if (checkpoint.size() <= ours) {
                if (checkpoint.size() < ours) {
                    System.err.println("witness: ALERT: the log shows size " + checkpoint.size() + " after this witness cosigned size " + ours);
                }
                return;
            }
            List<byte[]> proof = new ArrayList<>();
            if (ours > 0) {
                Object json = CanonicalJson.parse(get(logUri + "/proof/consistency?from=" + ours + "&to=" + checkpoint.size())
                        .getBytes(StandardCharsets.UTF_8));
                for (Object hex : (List<?>) ((Map<?, ?>) json).get("proof")) {
                    proof.add(Hashes.unhex((String) hex));
                }
            }
            WitnessResponse response = witness.addCheckpoint(Witness.addCheckpointRequest(ours, proof, note).getBytes(StandardCharsets.UTF_8));
            if (response.status() == 200) {
                System.out.println("witness: cosigned " + checkpoint.origin() + " at size " + checkpoint.size());
            } else if (response.status() != 409) {
                System.err.println("witness: ALERT: refused the log's checkpoint " + checkpoint.size() + ": "
                        + response.status() + " " + response.body().strip());
            }
        } catch (IOException | NoteException | RuntimeException e) {
            System.err.println("witness: cannot check the log: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + response.statusCode());
        }
        return response.body();
    }

    private static String defaultName() {
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase().replaceAll("[^a-z0-9.-]", "-") + "/witness";
        } catch (IOException e) {
            return "localhost/witness";
        }
    }
}
