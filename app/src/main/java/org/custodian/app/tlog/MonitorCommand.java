package org.custodian.app.tlog;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.cli.Failures;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.merkle.NodeReader;
import org.custodian.ledger.merkle.ProofBuilder;
import org.custodian.ledger.merkle.ProofException;
import org.custodian.ledger.merkle.ProofVerifier;
import org.custodian.ledger.note.Checkpoint;
import org.custodian.ledger.note.Note;
import org.custodian.ledger.note.NoteException;
import org.custodian.ledger.note.NoteVerifier;
import org.custodian.ledger.note.NoteVerifiers;
import org.custodian.ledger.tiles.TileNodeReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code custodian tlog monitor}: watches a log from outside. It checks the latest checkpoint's
 * signature, that the log's public tiles hash to its root, and that it is consistent with the
 * checkpoint seen before (a consistency proof computed from the tiles, not taken from the log), and
 * reports a fork or a rollback loudly, keeping both checkpoints as evidence.
 */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = {"Fetches a log's checkpoint and checks it against the previous one this monitor saw.",
            "Exit 0: consistent (or first sight). Exit 1: a fork, a rollback, a bad signature or tiles that",
            "do not match: reported on stderr with the evidence saved beside the state file."})
final class MonitorCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, paramLabel = "BASE_URL",
            description = "the log's URL prefix, e.g. http://127.0.0.1:8080/log (a server root also works)")
    String url;

    @Option(names = "--key", required = true, paramLabel = "VERIFIER_KEY", description = "the log's verifier key")
    String key;

    @Option(names = "--state", paramLabel = "FILE",
            description = "where the last checkpoint seen is kept (default: ~/.custodian/monitor/<log>.checkpoint)")
    Path state;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "0",
            description = "keep watching, checking every SECONDS (default: check once)")
    int interval;

    /** Made when first needed: picocli builds every command object, whichever one runs. */
    private HttpClient client;

    private synchronized HttpClient http() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        }
        return client;
    }

    /** Thrown for evidence of misbehaviour: the log signed something inconsistent. */
    static final class Alert extends Exception {
        Alert(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() throws Exception {
        NoteVerifier verifier;
        try {
            verifier = NoteVerifiers.parse(key.trim());
        } catch (IllegalArgumentException e) {
            throw new CommandFailure("--key: " + e.getMessage());
        }
        checkUrl(url);
        Path stateFile = state != null ? state : defaultState(verifier);
        while (true) {
            try {
                System.out.println(checkOnce(verifier, stateFile));
            } catch (Alert alert) {
                System.err.println("ALERT: " + alert.getMessage());
                return 1;
            } catch (IOException e) {
                if (interval <= 0) {
                    throw new CommandFailure("cannot check the log at " + url + ": " + Failures.describe(e));
                }
                System.err.println("custodian: cannot check the log at " + url + " (will retry): " + Failures.describe(e));
            }
            if (interval <= 0) {
                return 0;
            }
            Thread.sleep(interval * 1000L);
        }
    }

    String checkOnce(NoteVerifier verifier, Path stateFile) throws IOException, Alert, InterruptedException {
        String prefix = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        HttpResponse<String> response = get(prefix + "/checkpoint");
        if (response.statusCode() == 404 && !prefix.endsWith("/log")) {
            prefix = prefix + "/log";
            response = get(prefix + "/checkpoint");
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + prefix + "/checkpoint answered " + response.statusCode());
        }
        String noteText = response.body();
        Checkpoint latest = open(noteText, verifier, "the log's latest checkpoint");

        NodeReader tiles = new TileNodeReader(new HttpTileReader(http(), prefix, latest.size()));
        byte[] tileRoot = ProofBuilder.root(latest.size(), tiles);
        if (!Arrays.equals(tileRoot, latest.rootHash())) {
            throw alert(stateFile, noteText, null, "the log's tiles hash to " + Hashes.hex(tileRoot)
                    + " but its checkpoint for size " + latest.size() + " says " + Hashes.hex(latest.rootHash()));
        }

        if (!Files.exists(stateFile)) {
            save(stateFile, noteText);
            return "OK: first checkpoint seen for " + latest.origin() + ": size " + latest.size()
                    + ", root " + Hashes.hex(latest.rootHash()) + " (state in " + stateFile + ")";
        }
        String previousText = Files.readString(stateFile, StandardCharsets.UTF_8);
        Checkpoint previous = open(previousText, verifier, "the saved checkpoint in " + stateFile);
        if (latest.size() < previous.size()) {
            throw alert(stateFile, noteText, previousText, "ROLLBACK: the log now shows size " + latest.size()
                    + " after it had shown size " + previous.size());
        }
        if (latest.size() == previous.size()) {
            if (!Arrays.equals(latest.rootHash(), previous.rootHash())) {
                throw alert(stateFile, noteText, previousText, "FORK: two different roots signed for size " + latest.size());
            }
            return "OK: unchanged at size " + latest.size();
        }
        List<byte[]> proof = ProofBuilder.consistency(previous.size(), latest.size(), tiles);
        try {
            ProofVerifier.verifyConsistency(previous.size(), latest.size(), proof, previous.rootHash(), latest.rootHash());
        } catch (ProofException e) {
            throw alert(stateFile, noteText, previousText, "FORK: the checkpoint for size " + latest.size()
                    + " is not consistent with the one seen for size " + previous.size() + ": " + e.getMessage());
        }
        save(stateFile, noteText);
        return "OK: size " + latest.size() + " is consistent with size " + previous.size() + " seen before";
    }

    private Checkpoint open(String noteText, NoteVerifier verifier, String what) throws Alert {
        try {
            Note.open(noteText, List.of(verifier));
            Checkpoint checkpoint = Checkpoint.parse(Note.parse(noteText).text());
            if (!checkpoint.origin().equals(verifier.name())) {
                throw new Alert(what + " has origin '" + checkpoint.origin() + "', not '" + verifier.name() + "'");
            }
            return checkpoint;
        } catch (NoteException | IllegalArgumentException e) {
            throw new Alert(what + " does not verify with the key given: " + e.getMessage());
        }
    }

    private Alert alert(Path stateFile, String latest, String previous, String message) throws IOException {
        // The state's directory may not exist yet (first run): the evidence must be saved regardless.
        Files.createDirectories(stateFile.toAbsolutePath().getParent());
        Path evidence = stateFile.resolveSibling(stateFile.getFileName() + ".evidence-" + Instant.now().toEpochMilli());
        StringBuilder text = new StringBuilder("# " + message + "\n# latest checkpoint:\n").append(latest);
        if (previous != null) {
            text.append("\n# previously seen checkpoint:\n").append(previous);
        }
        Files.writeString(evidence, text.toString(), StandardCharsets.UTF_8);
        return new Alert(message + " (evidence saved in " + evidence + ")");
    }

    private HttpResponse<String> get(String target) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(20)).GET().build();
        return http().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static void save(Path stateFile, String noteText) throws IOException {
        Path dir = stateFile.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".monitor", ".tmp");
        Files.writeString(tmp, noteText, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void checkUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new CommandFailure("--url: '" + url + "' is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || uri.getHost() == null) {
            throw new CommandFailure("--url: '" + url + "' is not an http:// or https:// URL with a host, e.g. http://127.0.0.1:8080/log");
        }
    }

    private static Path defaultState(NoteVerifier verifier) {
        String safe = verifier.name().replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("user.home"), ".custodian", "monitor",
                safe + "-" + String.format("%08x", verifier.keyId()) + ".checkpoint");
    }
}
