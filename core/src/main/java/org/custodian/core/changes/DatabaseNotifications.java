package org.custodian.core.changes;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Changes reaching every process through the database itself: PostgreSQL LISTEN/NOTIFY on one
 * dedicated connection, dispatched to the caches that hold consent, rules and registers.
 *
 * <p>Contract for subscribers: a notification means "what you cached for this payload may be
 * stale". While {@link #isListening()} is false, notifications may be missed, so caches MUST NOT
 * answer from memory; {@code onGap} subscribers are told whenever that happens (and again once
 * listening resumes, because changes may have been missed in between) and MUST drop everything.
 */
public final class DatabaseNotifications implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DatabaseNotifications.class.getName());
    private static final int POLL_MILLIS = 250;
    public static final String APPLICATION_NAME = "custodian-notifications";

    private final DataSource dataSource;
    private final Map<String, List<Consumer<String>>> subscribers = new ConcurrentHashMap<>();
    private final List<Runnable> gapSubscribers = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean listening;
    private volatile boolean closed;
    private volatile Connection connection;

    public DatabaseNotifications(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.thread = new Thread(this::run, "custodian-notifications");
        thread.setDaemon(true);
    }

    /** Subscribes to a channel; call before {@link #start()}. */
    public DatabaseNotifications subscribe(String channel, Consumer<String> onPayload) {
        if (!channel.matches("[a-z_]+")) {
            throw new IllegalArgumentException("channel names are lower-case identifiers: " + channel);
        }
        subscribers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(onPayload);
        return this;
    }

    /** Told whenever notifications may have been missed. */
    public DatabaseNotifications onGap(Runnable dropEverything) {
        gapSubscribers.add(dropEverything);
        return this;
    }

    /** Starts listening and waits (up to 5 s) for the first LISTEN to be in place. */
    public DatabaseNotifications start() {
        thread.start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!listening && System.nanoTime() < deadline && !closed) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return this;
    }

    /** True while every notification is being received; caches may answer from memory only then. */
    public boolean isListening() {
        return listening;
    }

    private void run() {
        long backoff = 100;
        while (!closed) {
            // Not try-with-resources: that would hand the connection back to the pool before the
            // catch block could discard it.
            Connection held = null;
            try {
                Connection c = dataSource.getConnection();
                held = c;
                connection = c;
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    // Named, so operators (and tests) can tell this connection apart in pg_stat_activity.
                    s.execute("SET application_name = '" + APPLICATION_NAME + "'");
                    for (String channel : subscribers.keySet()) {
                        s.execute("LISTEN " + channel);
                    }
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                // Changes made before LISTEN took effect were not notified: drop caches once more.
                gap();
                listening = true;
                backoff = 100;
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                    if (notifications == null) {
                        // getNotifications does not notice a dead connection by itself; ask.
                        if (!c.isValid(2)) {
                            throw new SQLException("notification connection is no longer valid");
                        }
                        continue;
                    }
                    for (PGNotification n : notifications) {
                        for (Consumer<String> subscriber : subscribers.getOrDefault(n.getName(), List.of())) {
                            subscriber.accept(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                discard(held);
                if (!closed) {
                    LOG.log(Level.WARNING, "Lost the database notification connection (" + e.getMessage()
                            + "); caches are bypassed until it is back");
                }
            } finally {
                closeQuietly(held);
                listening = false;
                connection = null;
                gap();
            }
            sleep(backoff);
            backoff = Math.min(backoff * 2, 2000);
        }
    }

    /**
     * The connection failed while unwrapped (getNotifications), where a pool cannot see the error,
     * so it must not go back into the pool as if healthy: close the physical connection, then touch
     * the pool's wrapper so that a pool watching for connection errors (HikariCP does) evicts it.
     */
    private static void discard(Connection c) {
        if (c == null) {
            return;
        }
        try {
            ((Connection) c.unwrap(PGConnection.class)).close();
        } catch (SQLException | ClassCastException ignored) {
            // already gone
        }
        try (Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        } catch (SQLException expected) {
            // this is what makes the pool evict it
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // nothing more to do
            }
        }
    }

    private void gap() {
        for (Runnable r : gapSubscribers) {
            r.run();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends a notification inside the caller's transaction: it is delivered if and only if that commits. */
    public static void notify(Connection c, String channel, String payload) throws SQLException {
        try (var s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            s.setString(1, channel);
            s.setString(2, payload);
            s.execute();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
