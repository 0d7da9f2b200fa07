package org.custodian.server.witness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.LogConfig;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.note.CosignatureSigner;
import org.custodian.ledger.note.Note;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.note.VerifiedNote;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.postgres.PostgresPerClass;
import org.custodian.ledger.witness.FileWitnessState;
import org.custodian.ledger.witness.Witness;
import org.custodian.ledger.witness.WitnessCollector;
import org.custodian.ledger.witness.WitnessEndpoint;
import org.custodian.server.CustodianServer;
import org.custodian.server.log.LogRoutes;
import org.custodian.ledger.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log and an independent witness over real HTTP (C2SP tlog-witness): the log's checkpoints come
 * back cosigned, the cosigned checkpoint is what /log/checkpoint serves, and a witness that has seen
 * more than the log believes is caught up through its 409 answer.
 */
class TestWitnessing {
    private static final String ORIGIN = "witnessing.test/log";

    @TempDir
    static Path dir;

    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();
    static final HttpClient http = HttpClient.newHttpClient();

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Eventually.await(what, Duration.ofSeconds(20), condition);
    }

    static void append(TransparencyLog log, int n) {
        for (int i = 0; i < n; i++) {
            log.append(LedgerEntry.create("test.entry", 1, Instant.now(), Map.of("n", (long) i)));
        }
    }

    @Test
    void checkpointsComeBackCosignedAndAreServedCosigned() throws Exception {
        NoteSigner logKey = NoteSigner.generate(ORIGIN);
        CosignatureSigner witnessKey = CosignatureSigner.generate("witnessing.test/w1");
        try (FileWitnessState state = FileWitnessState.open(dir.resolve("w1"));
                CustodianServer witnessServer = CustodianServer.start("127.0.0.1", 0,
                        List.of(new WitnessRoutes(new Witness(witnessKey, List.of(logKey.verifier()), state, Clock.systemUTC()))::register));
                TransparencyLog log = TransparencyLog.open(new PostgresLogStore(postgres.newDatabase()), logKey,
                        new LogConfig(ORIGIN, Duration.ofMillis(50), 256, 4096, true))) {
            WitnessEndpoint endpoint = WitnessEndpoint.parse("http://127.0.0.1:" + witnessServer.port() + "=" + witnessKey.verifierKeyText());
            try (WitnessCollector collector = new WitnessCollector(log, List.of(endpoint));
                    CustodianServer logServer = CustodianServer.start("127.0.0.1", 0, List.of(new LogRoutes(log)::register))) {
                log.onCheckpoint(collector::submit);
                for (int round = 0; round < 3; round++) {
                    append(log, 40);
                    long target = 40L * (round + 1);
                    await("checkpoint " + target + " is cosigned",
                            () -> log.latestCheckpoint().map(c -> c.size() == target && !c.cosignatures().isEmpty()).orElse(false));
                }
                PublishedCheckpoint latest = log.latestCheckpoint().orElseThrow();
                HttpResponse<String> served = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + logServer.port() + "/log/checkpoint")).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                VerifiedNote verified = Note.open(served.body(), List.of(logKey.verifier(), witnessKey.verifier()));
                assertEquals(2, verified.verifiedBy().size(), "signed by the log and cosigned by the witness");
                assertEquals(latest.cosignedNote(), served.body());
                assertEquals(120, state.latest(ORIGIN).orElseThrow().size(), "the witness recorded what it cosigned");
            }
        }
    }

    @Test
    void aWitnessAheadOfWhatTheLogBelievesIsCaughtUpThroughItsConflictAnswer() throws Exception {
        NoteSigner logKey = NoteSigner.generate(ORIGIN);
        CosignatureSigner witnessKey = CosignatureSigner.generate("witnessing.test/w2");
        try (FileWitnessState state = FileWitnessState.open(dir.resolve("w2"));
                CustodianServer witnessServer = CustodianServer.start("127.0.0.1", 0,
                        List.of(new WitnessRoutes(new Witness(witnessKey, List.of(logKey.verifier()), state, Clock.systemUTC()))::register));
                TransparencyLog log = TransparencyLog.open(new PostgresLogStore(postgres.newDatabase()), logKey,
                        new LogConfig(ORIGIN, Duration.ofMillis(50), 256, 4096, true))) {
            WitnessEndpoint endpoint = WitnessEndpoint.parse("http://127.0.0.1:" + witnessServer.port() + "=" + witnessKey.verifierKeyText());
            // A first collector gets the witness to size 30; then the log "restarts" with a new
            // collector that believes the witness is at 0.
            try (WitnessCollector first = new WitnessCollector(log, List.of(endpoint))) {
                append(log, 30);
                await("integrated", () -> log.latestCheckpoint().map(c -> c.size() == 30).orElse(false));
                first.submit(log.latestCheckpoint().orElseThrow());
                await("the witness cosigned 30", () -> {
                    try {
                        return state.latest(ORIGIN).map(s -> s.size() == 30).orElse(false);
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
            }
            try (WitnessCollector second = new WitnessCollector(log, List.of(endpoint))) {
                log.onCheckpoint(second::submit);
                append(log, 25);
                await("checkpoint 55 is cosigned", () -> log.latestCheckpoint()
                        .map(c -> c.size() == 55 && !c.cosignatures().isEmpty()).orElse(false));
                assertTrue(state.latest(ORIGIN).orElseThrow().size() == 55);
            }
        }
    }
}
