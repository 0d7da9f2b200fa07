package org.custodian.ledger.witness;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.custodian.ledger.log.LogStore;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.note.Note;
import org.custodian.ledger.note.NoteException;

/**
 * The log's side of C2SP tlog-witness: sends each new checkpoint, with a consistency proof from the
 * size the witness last cosigned, to every configured witness, and stores the cosignatures that
 * verify so that {@code /log/checkpoint} serves the cosigned checkpoint.
 *
 * <p>Each witness has its own worker and only ever gets the newest checkpoint: a slow or absent
 * witness delays nobody, and is caught up with one proof when it comes back.
 */
public final class WitnessCollector implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WitnessCollector.class.getName());

    private final TransparencyLog log;
    private final LogStore store;
    private final HttpClient http;
    private final List<Worker> workers = new ArrayList<>();

    public WitnessCollector(TransparencyLog log, List<WitnessEndpoint> witnesses) {
        this.log = requireNonNull(log, "log is null");
        this.store = log.store();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (WitnessEndpoint w : witnesses) {
            workers.add(new Worker(w));
        }
    }

    /** Queues a checkpoint for every witness (replacing any older one still waiting). */
    public void submit(PublishedCheckpoint checkpoint) {
        for (Worker w : workers) {
            w.offer(checkpoint);
        }
    }

    @Override
    public void close() {
        for (Worker w : workers) {
            w.executor.shutdownNow();
        }
        for (Worker w : workers) {
            try {
                w.executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Worker {
        private final WitnessEndpoint witness;
        private final ExecutorService executor;
        private final AtomicReference<PublishedCheckpoint> next = new AtomicReference<>();
        /** The size we believe the witness last cosigned; corrected by its 409 answers. */
        private long witnessSize;

        Worker(WitnessEndpoint witness) {
            this.witness = witness;
            this.executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "witness-" + witness.key().name());
                t.setDaemon(true);
                return t;
            });
        }

        void offer(PublishedCheckpoint checkpoint) {
            if (next.getAndSet(checkpoint) == null) {
                executor.execute(this::drain);
            }
        }

        private void drain() {
            PublishedCheckpoint checkpoint = next.getAndSet(null);
            if (checkpoint == null) {
                return;
            }
            try {
                send(checkpoint);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "witness {0} at {1}: {2}",
                        new Object[] {witness.key().name(), witness.submissionPrefix(), e.getMessage()});
            }
        }

        private void send(PublishedCheckpoint checkpoint) throws IOException, InterruptedException {
            for (int attempt = 0; attempt < 3; attempt++) {
                long old = witnessSize <= checkpoint.size() ? witnessSize : 0;
                List<byte[]> proof = old == 0 || old == checkpoint.size()
                        ? List.of()
                        : log.consistencyProof(old, checkpoint.size());
                String body = Witness.addCheckpointRequest(old, proof, checkpoint.note());
                HttpRequest request = HttpRequest.newBuilder(witness.addCheckpoint())
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "text/plain; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (response.statusCode() == 200) {
                    store(checkpoint, response.body());
                    witnessSize = checkpoint.size();
                    return;
                }
                if (response.statusCode() == 409 && response.headers().firstValue("Content-Type")
                        .map(t -> t.startsWith("text/x.tlog.size")).orElse(false)) {
                    long theirs = parseSize(response.body());
                    if (theirs > checkpoint.size()) {
                        LOG.severe(() -> "witness " + witness.key().name() + " has cosigned size " + theirs
                                + ", beyond this log's checkpoint " + checkpoint.size() + ": is another log using this origin?");
                        return;
                    }
                    witnessSize = theirs;
                    continue;
                }
                LOG.warning(() -> "witness " + witness.key().name() + " refused checkpoint " + checkpoint.size()
                        + ": " + response.statusCode() + " " + response.body().strip());
                return;
            }
        }

        /** Keeps the lines of the response that are valid cosignatures by this witness's key. */
        private void store(PublishedCheckpoint checkpoint, String body) {
            for (String line : body.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                String candidate = checkpoint.note() + line + "\n";
                try {
                    Note.open(candidate, List.of(witness.key()));
                    store.addCosignature(checkpoint.size(), witness.key().name(), line + "\n");
                    return;
                } catch (NoteException e) {
                    // Not this witness's key (ignored, per tlog-witness) or not a valid cosignature.
                }
            }
            LOG.warning(() -> "witness " + witness.key().name() + " answered 200 without a valid cosignature");
        }

        private long parseSize(String body) throws IOException {
            String s = body.strip();
            if (!s.matches("0|[1-9][0-9]{0,18}")) {
                throw new IOException("witness sent a malformed size: " + s);
            }
            return Long.parseLong(s);
        }
    }
}
