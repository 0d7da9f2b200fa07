package org.custodian.app.serve;

import static java.util.Objects.requireNonNull;

import io.javalin.config.JavalinConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.time.Clock;
import javax.sql.DataSource;
import org.custodian.app.database.Database;
import org.custodian.core.changes.DatabaseNotifications;
import org.custodian.core.consent.ConsentAuthority;
import org.custodian.core.consent.ConsentStore;
import org.custodian.core.decisions.BreakGlassReviews;
import org.custodian.core.decisions.Gate;
import org.custodian.core.decisions.RecordingGate;
import org.custodian.core.decisions.Refusals;
import org.custodian.core.notifications.NotificationDelivery;
import org.custodian.core.notifications.Notifications;
import org.custodian.core.notifications.OutboxDelivery;
import org.custodian.core.identity.Authenticator;
import org.custodian.core.identity.TokenVerifier;
import org.custodian.core.identity.TokenKeys;
import org.custodian.core.registers.PublicRegisters;
import org.custodian.core.registers.RegisterStore;
import org.custodian.core.rules.GovernedRuleStore;
import org.custodian.server.auth.BearerAuthentication;
import org.custodian.server.breakglass.BreakGlassRoutes;
import org.custodian.server.consent.ConsentRoutes;
import org.custodian.server.consent.FhirConsent;
import org.custodian.records.access.RecordAccess;
import org.custodian.records.bulk.BulkExports;
import org.custodian.records.fhir.FhirR4;
import org.custodian.records.index.Sensitivity;
import org.custodian.records.store.CoalescedReads;
import org.custodian.records.store.RecordStore;
import org.custodian.records.validate.ProfileValidator;
import org.custodian.records.write.Preparer;
import org.custodian.records.write.RecordWriter;
import org.custodian.server.fhir.BulkExportRoutes;
import org.custodian.server.fhir.FhirRoutes;
import org.custodian.server.patients.PatientPages;
import org.custodian.core.activity.PatientActivity;
import org.custodian.server.decisions.DecisionRoutes;
import org.custodian.server.receipts.ReceiptRoutes;
import org.custodian.server.rules.RulesRoutes;
import org.custodian.ledger.log.LogConfig;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.witness.WitnessCollector;
import org.custodian.ledger.witness.WitnessEndpoint;
import org.custodian.server.CustodianServer;
import org.custodian.server.home.HomePage;
import org.custodian.server.pages.Stylesheet;
import org.custodian.server.registers.RegisterPages;
import org.custodian.server.transparency.LogPage;
import org.custodian.core.statistics.Statistics;
import org.custodian.server.transparency.FoiPage;
import org.custodian.server.transparency.StatisticsPage;
import org.custodian.server.log.LogRoutes;

/**
 * One running Custodian server process, wired in one place: database, change notifications,
 * registers, ledger, the gate, witness collection, HTTP. Closing it stops them in reverse order
 * (HTTP first, so nothing new arrives; the ledger after, so queued appends are written).
 */
public final class CustodianNode implements AutoCloseable {
    private final Database database;
    private final TransparencyLog log;
    private final RecordingGate gate;
    private final List<AutoCloseable> closeInOrder;
    private final CustodianServer server;
    private final RecordWriter records;

    private CustodianNode(Database database, TransparencyLog log, RecordingGate gate, RecordWriter records, List<AutoCloseable> closeInOrder,
            CustodianServer server) {
        this.database = database;
        this.log = log;
        this.gate = gate;
        this.records = records;
        this.closeInOrder = closeInOrder;
        this.server = server;
    }

    /**
     * Starts everything on an open database; on failure, what was started is stopped again.
     *
     * @param tokenKeys this deployment's token key, whose public half is published at {@code /.well-known/jwks.json}
     * @param tokens how bearer tokens are verified: with {@code tokenKeys}, or by an external OpenID Connect provider
     * @param maxRequestBytes the largest request body the server accepts (413 above it)
     * @param profiles what every write of a record is validated against ({@link ProfileValidator#off()}: nothing)
     * @param signIns how people sign in to the pages: the demonstration's sign-in (only {@code custodian demo}), the
     *     OpenID Connect provider patients and proxies sign in with, the one staff and auditors sign in with
     * @param outbox where patients' notifications are delivered: e-mails and letters written as files in this
     *     directory; empty: queued only (a real deployment plugs its mail relay into NotificationDelivery instead)
     */
    public static CustodianNode start(Database database, NoteSigner logKey, TokenKeys tokenKeys, TokenVerifier tokens, String host, int port,
            long maxRequestBytes, List<WitnessEndpoint> witnessEndpoints, ProfileValidator profiles, PatientPages.SignIns signIns,
            Optional<Path> outbox) {
        requireNonNull(database, "database is null");
        requireNonNull(tokenKeys, "tokenKeys is null");
        requireNonNull(profiles, "profiles is null");
        requireNonNull(signIns, "signIns is null");
        Clock clock = Clock.systemUTC();
        DataSource ds = database.dataSource();
        // Closed last-started-first if anything fails, and in this order by close().
        java.util.Deque<AutoCloseable> started = new java.util.ArrayDeque<>();
        try {
            PostgresLogStore logStore = new PostgresLogStore(ds);
            TransparencyLog log = TransparencyLog.open(logStore, logKey, LogConfig.server(logKey.name()));
            started.push(log);
            WitnessCollector collector = new WitnessCollector(log, witnessEndpoints);
            started.push(collector);
            log.onCheckpoint(collector::submit);

            // The gate's sources, kept current in every process through the database's notifications.
            DatabaseNotifications notifications = new DatabaseNotifications(ds);
            ConsentStore consents = new ConsentStore(ds, notifications, clock);
            GovernedRuleStore rules = new GovernedRuleStore(ds, notifications, clock);
            notifications.start();
            started.push(notifications);
            RegisterStore registers = RegisterStore.open(ds);
            started.push(registers);
            rules.current(); // records the default rules on a new deployment
            Statistics statistics = Statistics.start(ds, registers, rules::current, clock);
            started.push(statistics);
            started.push(Notifications.start(ds, registers, rules::current, outbox.<NotificationDelivery>map(dir -> OutboxDelivery.demo(dir, clock)), clock));

            Gate gate = new Gate(registers, consents::current, rules::current, clock);
            BreakGlassReviews breakGlass = new BreakGlassReviews(ds, clock);
            RecordingGate recordingGate = new RecordingGate(gate, log, breakGlass, clock);
            Refusals refusals = new Refusals(log, clock);
            BearerAuthentication auth = new BearerAuthentication(
                    new Authenticator(requireNonNull(tokens, "tokens is null"), registers));

            RecordStore records = new RecordStore(ds, logStore, clock);
            CoalescedReads reads = CoalescedReads.start(records, CoalescedReads.DEFAULT_READERS);
            started.push(reads);
            RecordAccess recordAccess = new RecordAccess(reads::patientLinks, recordingGate, refusals, java.util.concurrent.ForkJoinPool.commonPool());
            RecordWriter recordWriter = new RecordWriter(records, recordAccess, new Preparer(Sensitivity.standard(), profiles), clock);
            BulkExports bulkExports = BulkExports.start(records, recordAccess, logStore, clock, BulkExports.Limits.defaults());
            started.push(bulkExports);

            // Javalin tries a request's path against each route of its method in the order they were
            // added, a regular expression each, until one matches. The FHIR API (the busiest, and the
            // paths clinical systems call) comes first after the log's tiles and checkpoint, which
            // monitors and witnesses poll: a FHIR read tried some forty page and API routes before
            // its own (PathMatcher, about 4% of the CPU samples in reads with JFR). No other
            // feature has a path under /fhir/ or /log/, so the order changes no route's meaning.
            List<Consumer<JavalinConfig>> features = new ArrayList<>();
            features.add(new LogRoutes(log)::register);
            // Before FhirRoutes: its /fhir/{type} would otherwise take /fhir/$export and the status and file paths.
            features.add(new BulkExportRoutes(auth, bulkExports)::register);
            features.add(new FhirRoutes(auth, records, reads, recordAccess, recordWriter)::register);
            features.add(new HomePage(log)::register);
            features.add(Stylesheet::register);
            features.add(new RegisterPages(new PublicRegisters(ds), log, clock)::register);
            features.add(new LogPage(log, witnessEndpoints)::register);
            features.add(new DecisionRoutes(auth, recordingGate, refusals)::register);
            features.add(new ReceiptRoutes(log)::register);
            features.add(new BreakGlassRoutes(auth, breakGlass)::register);
            features.add(new RulesRoutes(rules)::register);
            features.add(new ConsentRoutes(auth, recordingGate, consents, new ConsentAuthority(registers, clock), refusals,
                    new FhirConsent(FhirR4.context()))::register);
            features.add(new PatientPages(ds, registers, registers::snapshot, recordingGate, refusals, log, consents, new ConsentAuthority(registers, clock),
                    new PatientActivity(ds), records, rules::current, signIns, clock)::register);
            features.add(new StatisticsPage(statistics)::register);
            features.add(new FoiPage(new PublicRegisters(ds), ds, database.hosting(), clock)::register);
            features.add(config -> config.routes.get("/.well-known/jwks.json",
                    ctx -> ctx.contentType("application/jwk-set+json").result(tokenKeys.publicJwksJson())));
            FhirR4.warmUpInBackground();
            if (profiles.enabled()) {
                warmUpInBackground(profiles);
            }
            CustodianServer server = CustodianServer.start(host, port, maxRequestBytes, features);
            List<AutoCloseable> closeInOrder = new ArrayList<>(started);
            return new CustodianNode(database, log, recordingGate, recordWriter, closeInOrder, server);
        } catch (RuntimeException e) {
            for (AutoCloseable c : started) {
                closeQuietly(c);
            }
            throw e;
        }
    }

    /** The validator's definitions load while the server starts, not during the first clinician's write. */
    private static void warmUpInBackground(ProfileValidator profiles) {
        Thread t = new Thread(() -> {
            try {
                profiles.warmUp();
            } catch (RuntimeException e) {
                // Only a warm-up: the first write will report whatever is wrong.
            }
        }, "profile-validator-warm-up");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // shutting down after a failure; the failure is what matters
        }
    }

    /** The gate every data path uses (for demos and benchmarks in-process). */
    public RecordingGate gate() {
        return gate;
    }

    /** Every write to the clinical records goes through this (the demo loads its patients with it). */
    public RecordWriter records() {
        return records;
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
        for (AutoCloseable c : closeInOrder) {
            closeQuietly(c);
        }
    }
}
