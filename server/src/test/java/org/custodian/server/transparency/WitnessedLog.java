package org.custodian.server.transparency;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.LogConfig;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.note.CosignatureSigner;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.testing.Eventually;
import org.custodian.ledger.witness.FileWitnessState;
import org.custodian.ledger.witness.Witness;
import org.custodian.ledger.witness.WitnessCollector;
import org.custodian.ledger.witness.WitnessEndpoint;
import org.custodian.server.CustodianServer;
import org.custodian.server.home.HomePage;
import org.custodian.server.log.LogRoutes;
import org.custodian.server.pages.Stylesheet;
import org.custodian.server.witness.WitnessRoutes;

/**
 * A real log on a real embedded PostgreSQL, publishing checkpoints through its sequencer, cosigned by
 * one independent witness over HTTP, and served with its public pages ({@code /}, {@code /log/},
 * {@code /transparency/log}) by the real server. A second witness is configured but never answers, as a
 * witness that is down looks. For the log page's tests here and in the app module.
 */
public final class WitnessedLog implements AutoCloseable {
    public static final String ORIGIN = "transparency.test/log";

    public final NoteSigner logKey = NoteSigner.generate(ORIGIN);
    public final CosignatureSigner witnessKey = CosignatureSigner.generate("transparency.test/witness");
    public final CosignatureSigner absentWitnessKey = CosignatureSigner.generate("absent.test/witness");
    private final PostgresForTests postgres;
    private final FileWitnessState witnessState;
    private final CustodianServer witnessServer;
    public final TransparencyLog log;
    private final WitnessCollector collector;
    private final CustodianServer server;
    private long appended;

    public WitnessedLog(Path dir) throws java.io.IOException {
        postgres = PostgresForTests.start(dir.resolve("pg"));
        witnessState = FileWitnessState.open(dir.resolve("witness"));
        witnessServer = CustodianServer.start("127.0.0.1", 0, List.of(
                new WitnessRoutes(new Witness(witnessKey, List.of(logKey.verifier()), witnessState, Clock.systemUTC()))::register));
        log = TransparencyLog.open(new PostgresLogStore(postgres.newDatabase()), logKey,
                new LogConfig(ORIGIN, Duration.ofMillis(50), 256, 4096, true));
        List<WitnessEndpoint> witnesses = List.of(
                WitnessEndpoint.parse("http://127.0.0.1:" + witnessServer.port() + "=" + witnessKey.verifierKeyText()),
                // Nothing listens on port 9 (discard): this witness never cosigns.
                WitnessEndpoint.parse("http://127.0.0.1:9=" + absentWitnessKey.verifierKeyText()));
        collector = new WitnessCollector(log, witnesses);
        log.onCheckpoint(collector::submit);
        server = CustodianServer.start("127.0.0.1", 0, List.of(new HomePage(log)::register, new LogRoutes(log)::register,
                Stylesheet::register, new LogPage(log, witnesses)::register));
    }

    /** Appends {@code n} entries and waits until the witness has cosigned the checkpoint of all of them. */
    public PublishedCheckpoint appendAndAwaitCosigned(int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            log.append(LedgerEntry.create("test.entry", 1, Instant.now(), Map.of("n", appended++)));
        }
        long size = appended;
        Eventually.await("a cosigned checkpoint of " + size + " entries", Duration.ofSeconds(30),
                () -> log.latestCheckpoint().map(c -> c.size() == size && !c.cosignatures().isEmpty()).orElse(false));
        return log.latestCheckpoint().orElseThrow();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Override
    public void close() {
        server.close();
        collector.close();
        log.close();
        witnessServer.close();
        try {
            witnessState.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        postgres.close();
    }
}
