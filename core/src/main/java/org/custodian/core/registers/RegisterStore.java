package org.custodian.core.registers;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.custodian.core.registers.RegisterChanges.Change;
import org.custodian.ledger.postgres.PostgresLogStore;

/**
 * The registers in PostgreSQL: applies register documents, recording each change in the ledger in
 * the same transaction, and answers the gate's lookups from an in-memory {@link RegisterSnapshot}.
 *
 * <p><b>Freshness.</b> Lookups MUST NOT answer from a view older than {@link #MAX_AGE} (the
 * {@link Registers} contract is one second). A daemon thread LISTENs for {@value #CHANNEL} on a
 * dedicated connection, reloads the whole snapshot when a change is notified, and sends a heartbeat
 * every {@link #HEARTBEAT}: a heartbeat answered with no notification before it proves the view is
 * still current, since PostgreSQL delivers the notifications of earlier commits before the answer
 * (one racing the heartbeat by microseconds arrives just after it and is handled on the next poll,
 * well inside the margin between {@link #MAX_AGE} and the contract's second).
 * While that thread is not listening (connection lost, reconnecting in the background), a lookup
 * finding the view too old reloads it first; if the database cannot be read it throws
 * {@link RegistersUnavailableException}, never an old answer.
 *
 * <p><b>Writing.</b> {@link #apply} takes a transaction-level advisory lock, so that concurrent
 * applies (from any process) run one after the other, each checking and diffing against what the
 * previous one committed. Nothing of a refused document is written.
 *
 * <p><b>Size.</b> Every lookup is a hash-map read, and every change reloads the whole snapshot: this is
 * sized for thousands of people (a reload reads every row), not millions.
 */
public final class RegisterStore implements Registers, AutoCloseable {
    /** The NOTIFY channel of committed register changes. */
    public static final String CHANNEL = "register_changed";
    /** The oldest view a lookup answers from; below the contract's second, to leave room for a reload. */
    public static final Duration MAX_AGE = Duration.ofMillis(800);
    /** How often the listener proves its connection (and the view) current. */
    static final Duration HEARTBEAT = Duration.ofMillis(200);
    /** Transaction-level advisory lock serialising applies ("CUSTREG1"). */
    static final long WRITE_LOCK_KEY = 0x4355_5354_5245_4731L;

    private static final Duration WRITE_LOCK_TIMEOUT = Duration.ofSeconds(60);
    private static final System.Logger LOG = System.getLogger(RegisterStore.class.getName());
    private static final Duration LOAD_WAIT = Duration.ofSeconds(10);
    private static final int NETWORK_TIMEOUT_MILLIS = 3000;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    /** A snapshot and the time (System.nanoTime) as of which every committed change is in it. */
    private record View(RegisterSnapshot snapshot, long validAsOf) {}

    private final DataSource dataSource;
    private final Clock clock;
    private final PostgresLogStore ledger;
    /** Serialises loads, so that a view installed later was always read later. */
    private final ReentrantLock loadLock = new ReentrantLock();
    private final Thread listener;
    private volatile View current;
    private volatile boolean listening;
    private volatile int listenerPid = -1;
    private volatile boolean closed;

    private RegisterStore(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.ledger = new PostgresLogStore(dataSource);
        this.listener = new Thread(this::listen, "custodian-registers-listener");
        this.listener.setDaemon(true);
    }

    /**
     * Loads the registers and starts listening for changes.
     *
     * @throws RegistersUnavailableException when the registers cannot be read
     */
    public static RegisterStore open(DataSource dataSource) {
        return open(dataSource, Clock.systemUTC());
    }

    /** As {@link #open(DataSource)}, with the clock that times ledger entries. */
    public static RegisterStore open(DataSource dataSource, Clock clock) {
        RegisterStore store = new RegisterStore(dataSource, clock);
        store.loadWithPool(System.nanoTime());
        store.listener.start();
        return store;
    }

    // ---- Reading ----

    /**
     * The registers as of at most {@link #MAX_AGE} ago, reloading them first when the view held is
     * older (which happens only while not listening). Several lookups that must agree with each other
     * (one decision) should be made on one snapshot; each {@link Registers} method takes its own.
     *
     * @throws RegistersUnavailableException when a reload is needed and fails
     */
    public RegisterSnapshot snapshot() {
        if (closed) {
            throw new RegistersUnavailableException("the register store is closed", null);
        }
        long now = System.nanoTime();
        View view = current;
        if (now - view.validAsOf() <= MAX_AGE.toNanos()) {
            return view.snapshot();
        }
        return loadWithPool(now - MAX_AGE.toNanos());
    }

    @Override
    public Optional<Organisation> organisation(String id) {
        return snapshot().organisation(id);
    }

    @Override
    public Optional<Person> person(String id) {
        return snapshot().person(id);
    }

    @Override
    public Optional<Person> patient(NhsNumber nhsNumber) {
        return snapshot().patient(nhsNumber);
    }

    @Override
    public List<CareRelationship> careRelationships(NhsNumber patient) {
        return snapshot().careRelationships(patient);
    }

    @Override
    public List<Proxy> proxies(NhsNumber patient) {
        return snapshot().proxies(patient);
    }

    @Override
    public Optional<Project> project(String id) {
        return snapshot().project(id);
    }

    @Override
    public List<Agreement> agreementsOf(String partner) {
        return snapshot().agreementsOf(partner);
    }

    /** Whether changes are being received as they are committed (false while reconnecting). */
    public boolean listening() {
        return listening;
    }

    /** The PostgreSQL backend pid of the listening connection, -1 when there is none (for tests). */
    int listenerPid() {
        return listening ? listenerPid : -1;
    }

    /**
     * Reloads through a pool connection unless a view valid as of {@code neededAsOf} was installed
     * meanwhile (by the listener, or by another lookup that waited for the same thing).
     */
    private RegisterSnapshot loadWithPool(long neededAsOf) {
        lockForLoad();
        try {
            View view = current;
            if (view != null && view.validAsOf() - neededAsOf >= 0) {
                return view.snapshot();
            }
            long start = System.nanoTime();
            try (Connection c = dataSource.getConnection()) {
                return install(new View(read(c), start)).snapshot();
            } catch (SQLException | IllegalArgumentException e) {
                throw new RegistersUnavailableException("cannot read the registers: " + e.getMessage(), e);
            }
        } finally {
            loadLock.unlock();
        }
    }

    private void lockForLoad() {
        try {
            if (!loadLock.tryLock(LOAD_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new RegistersUnavailableException("timed out waiting for the registers to load", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistersUnavailableException("interrupted waiting for the registers to load", e);
        }
    }

    /** Installs {@code view} unless a newer one is already installed; returns the one installed. */
    private synchronized View install(View view) {
        if (current == null || view.validAsOf() - current.validAsOf() > 0) {
            current = view;
        }
        return current;
    }

    /**
     * Every register, read in one REPEATABLE READ transaction so that the snapshot is consistent. On
     * success the connection is back in autocommit (the listener's must be: a listener inside a
     * transaction receives no notifications); on failure it is to be discarded.
     */
    private static RegisterSnapshot read(Connection c) throws SQLException {
        int isolation = c.getTransactionIsolation();
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        RegisterSnapshot snapshot;
        try {
            snapshot = RegisterTables.load(c);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        }
        c.setTransactionIsolation(isolation);
        c.setAutoCommit(true);
        return snapshot;
    }

    // ---- Listening ----

    private void listen() {
        long backoff = 50;
        boolean reportedLoss = false;
        while (!closed) {
            Connection c = null;
            try {
                c = dataSource.getConnection();
                c.setAutoCommit(true);
                org.postgresql.PGConnection pg = c.unwrap(org.postgresql.PGConnection.class);
                // A dead peer must fail a heartbeat rather than block it for as long as TCP takes to notice.
                c.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MILLIS);
                try (Statement s = c.createStatement()) {
                    // Names the connection in pg_stat_activity, for operators (and tests).
                    s.execute("SET application_name = 'custodian-registers'");
                    s.execute("LISTEN " + CHANNEL);
                }
                listenerPid = pg.getBackendPID();
                // Changes committed before LISTEN took effect were never notified: read them now.
                loadOn(c);
                listening = true;
                if (reportedLoss) {
                    LOG.log(System.Logger.Level.INFO, "listening for register changes again");
                    reportedLoss = false;
                }
                backoff = 50;
                while (!closed) {
                    if (notified(pg.getNotifications((int) HEARTBEAT.toMillis()))) {
                        loadOn(c);
                        continue;
                    }
                    long sent = System.nanoTime();
                    heartbeat(c);
                    if (notified(pg.getNotifications())) {
                        loadOn(c);
                    } else {
                        // Nothing was committed between the last load and the heartbeat.
                        advance(sent);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (closed) {
                    break;
                }
                if (!reportedLoss) {
                    LOG.log(System.Logger.Level.WARNING, "not listening for register changes (lookups read the "
                            + "database when their view is older than " + MAX_AGE.toMillis() + " ms): " + e.getMessage());
                    reportedLoss = true;
                }
                release(c);
                c = null;
                sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
            } finally {
                listening = false;
                release(c);
            }
        }
    }

    /**
     * Gives the listening connection back to the pool as it came. The statements go through the pool's
     * proxy on purpose: notifications are read through the unwrapped driver connection, which the pool
     * does not watch, so this is how the pool learns that a connection died and must not be reused.
     */
    private static void release(Connection c) {
        if (c == null) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("UNLISTEN *");
            s.execute("RESET application_name");
        } catch (SQLException ignored) {
            // Broken: the pool has now marked it so and discards it on close.
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // Nothing more to do with it.
        }
    }

    private static boolean notified(org.postgresql.PGNotification[] notifications) {
        return notifications != null && notifications.length > 0;
    }

    private static void heartbeat(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
    }

    private void loadOn(Connection c) throws SQLException {
        lockForLoad();
        try {
            long start = System.nanoTime();
            install(new View(read(c), start));
        } finally {
            loadLock.unlock();
        }
    }

    /** The view held is valid as of {@code asOf}: newer than its own load, no change having been notified since. */
    private synchronized void advance(long asOf) {
        if (asOf - current.validAsOf() > 0) {
            current = new View(current.snapshot(), asOf);
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // close() interrupts; the loop checks closed
        }
    }

    // ---- Writing ----

    /**
     * Applies a document in one transaction: every item that is new or differs from what is stored is
     * written together with a {@code register.change} ledger entry; unchanged items append nothing, so
     * applying the same document again changes nothing. Afterwards this store's lookups see the change
     * at once, other processes' within one second.
     *
     * @throws RegisterRefusedException when the document has any problem, its own or one that only
     *     the stored registers reveal (a reference that resolves nowhere): nothing is then written
     * @throws RegistersUnavailableException when the database cannot be read or written
     */
    public ApplyResult apply(RegisterDocument document) throws RegisterRefusedException {
        requireNonNull(document, "document is null");
        if (closed) {
            throw new IllegalStateException("the register store is closed");
        }
        ApplyResult result;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                result = applyWithin(c, document);
                c.commit();
            } catch (SQLException | RuntimeException | RegisterRefusedException e) {
                rollbackQuietly(c);
                throw e;
            }
            // (The pool resets autocommit when the connection goes back.)
        } catch (SQLException e) {
            throw new RegistersUnavailableException("cannot apply the registers: " + e.getMessage(), e);
        }
        if (result.changedAnything()) {
            try {
                // Read-your-writes in this process, without waiting for our own notification.
                loadWithPool(System.nanoTime());
            } catch (RegistersUnavailableException e) {
                // Committed; the listener (or the next lookup) loads it.
            }
        }
        return result;
    }

    private ApplyResult applyWithin(Connection c, RegisterDocument document) throws SQLException, RegisterRefusedException {
        try (Statement s = c.createStatement()) {
            // An apply stuck elsewhere makes this one fail with a message rather than hang.
            s.execute("SET LOCAL lock_timeout = '" + WRITE_LOCK_TIMEOUT.toMillis() + "ms'");
            // Held until commit or rollback; the check and the diff below see every earlier apply.
            s.execute("SELECT pg_advisory_xact_lock(" + WRITE_LOCK_KEY + ")");
        }
        RegisterSnapshot stored = RegisterTables.load(c);
        List<String> problems = document.problemsAgainst(stored);
        if (!problems.isEmpty()) {
            throw new RegisterRefusedException(problems);
        }
        RegisterChanges plan = RegisterChanges.between(stored, document);
        List<Change> changes = plan.changes();
        RegisterTables.releaseNhsNumbers(c, movingNhsNumbers(changes));
        Instant now = clock.instant();
        List<Long> indexes = new ArrayList<>(changes.size());
        for (Change change : changes) {
            long index = ledger.appendWithin(c, change.entry(now));
            RegisterTables.write(c, change.item(), index, now);
            indexes.add(index);
        }
        if (!changes.isEmpty()) {
            try (Statement s = c.createStatement()) {
                // Delivered to the listeners when (and only if) the transaction commits.
                s.execute("NOTIFY " + CHANNEL);
            }
        }
        Map<Register, ApplyResult.Counts> counts = new EnumMap<>(Register.class);
        for (Register r : Register.values()) {
            counts.put(r, plan.counts(r));
        }
        return new ApplyResult(counts, indexes);
    }

    /** Updated people whose stored NHS number changes or goes. */
    private static Set<String> movingNhsNumbers(List<Change> changes) {
        Set<String> ids = new LinkedHashSet<>();
        for (Change change : changes) {
            if (change.previous() instanceof Person before && before.nhsNumber() != null
                    && !before.nhsNumber().equals(((Person) change.item()).nhsNumber())) {
                ids.add(before.id());
            }
        }
        return ids;
    }

    /** Stops listening. Lookups afterwards throw {@link RegistersUnavailableException}. */
    @Override
    public void close() {
        closed = true;
        listener.interrupt();
        try {
            // The loop notices within one heartbeat; a connection stuck on a dead network, within its timeout.
            listener.join(NETWORK_TIMEOUT_MILLIS + HEARTBEAT.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the transaction is gone with it.
        }
    }
}
