package org.custodian.app.serve;

import static java.util.Objects.requireNonNull;

import io.javalin.config.JavalinConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.custodian.app.database.Database;
import org.custodian.ledger.log.LogConfig;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.witness.WitnessCollector;
import org.custodian.ledger.witness.WitnessEndpoint;
import org.custodian.server.CustodianServer;
import org.custodian.server.home.HomePage;
import org.custodian.server.log.LogRoutes;

/**
 * One running Custodian server process, wired in one place: database, ledger, witness collection,
 * HTTP. Closing it stops them in reverse order (HTTP first, so nothing new arrives; the database
 * last, so queued appends are written).
 */
public final class CustodianNode implements AutoCloseable {
    private final Database database;
    private final TransparencyLog log;
    private final WitnessCollector witnesses;
    private final CustodianServer server;

    private CustodianNode(Database database, TransparencyLog log, WitnessCollector witnesses, CustodianServer server) {
        this.database = database;
        this.log = log;
        this.witnesses = witnesses;
        this.server = server;
    }

    /** Starts everything on an open database; on failure, what was started is stopped again. */
    public static CustodianNode start(Database database, NoteSigner logKey, String host, int port, List<WitnessEndpoint> witnessEndpoints) {
        requireNonNull(database, "database is null");
        TransparencyLog log = null;
        WitnessCollector collector = null;
        try {
            log = TransparencyLog.open(new PostgresLogStore(database.dataSource()), logKey, LogConfig.server(logKey.name()));
            collector = new WitnessCollector(log, witnessEndpoints);
            log.onCheckpoint(collector::submit);
            List<Consumer<JavalinConfig>> features = new ArrayList<>();
            features.add(new LogRoutes(log)::register);
            features.add(new HomePage(log)::register);
            CustodianServer server = CustodianServer.start(host, port, features);
            return new CustodianNode(database, log, collector, server);
        } catch (RuntimeException e) {
            if (collector != null) {
                collector.close();
            }
            if (log != null) {
                log.close();
            }
            throw e;
        }
    }

    public TransparencyLog log() {
        return log;
    }

    public int port() {
        return server.port();
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() {
        server.close();
        witnesses.close();
        log.close();
    }
}
