package org.custodian.core.decisions;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import org.custodian.core.changes.DatabaseNotifications;
import org.custodian.core.consent.ConsentStore;
import org.custodian.core.registers.RegisterDocument;
import org.custodian.core.registers.RegisterStore;
import org.custodian.core.rules.GovernedRuleStore;
import org.custodian.ledger.log.LogConfig;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.postgres.PostgresLogStore;

/**
 * A deployment's gate on a new database, as a server process wires it: registers, consent and rules in PostgreSQL,
 * decisions recorded in a real log, all on one clock; the registers loaded from {@code document} first.
 */
record GateWorld(HikariDataSource ds, DatabaseNotifications notifications, TransparencyLog log, RegisterStore registers,
        ConsentStore consents, RecordingGate gate) implements AutoCloseable {

    static GateWorld open(PostgresForTests postgres, Clock clock, String origin, RegisterDocument document) throws Exception {
        HikariDataSource ds = postgres.newDatabase();
        DatabaseNotifications notifications = new DatabaseNotifications(ds);
        TransparencyLog log = TransparencyLog.open(new PostgresLogStore(ds), NoteSigner.generate(origin),
                new LogConfig(origin, Duration.ofMillis(50), 1024, 65_536, true));
        RegisterStore registers = RegisterStore.open(ds, clock);
        registers.apply(document);
        ConsentStore consents = new ConsentStore(ds, notifications, clock);
        GovernedRuleStore rules = new GovernedRuleStore(ds, notifications, clock);
        notifications.start();
        RecordingGate gate = new RecordingGate(new Gate(registers, consents::current, rules::current, clock), log,
                new BreakGlassReviews(ds, clock), clock);
        return new GateWorld(ds, notifications, log, registers, consents, gate);
    }

    @Override
    public void close() {
        registers.close();
        log.close();
        notifications.close();
        ds.close();
    }
}
