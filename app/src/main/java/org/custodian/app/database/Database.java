package org.custodian.app.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import org.custodian.core.foi.Hosting;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The application's database: a connection pool on PostgreSQL (embedded or external, see
 * {@link DatabaseOptions}) whose schema has been migrated by Flyway.
 *
 * <pre>{@code
 * try (Database db = Database.open(DatabaseOptions.embedded(Path.of("custodian-data")))) {
 *     DataSource ds = db.dataSource();
 *     ...
 * }
 * }</pre>
 *
 * Before returning, {@link #open} checks that the server acknowledges commits only once durable
 * (fsync and synchronous_commit not off), as the ledger's contract requires.
 */
public final class Database implements AutoCloseable {
    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("(?i)([?&;](?:password|sslpassword)=)[^&;]*");

    private final EmbeddedDatabase embedded;
    private final HikariDataSource pool;
    private final String description;
    private final Hosting hosting;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Database(EmbeddedDatabase embedded, HikariDataSource pool, String description, Hosting hosting, boolean registerHook) {
        this.embedded = embedded;
        this.pool = pool;
        this.description = description;
        this.hosting = hosting;
        if (registerHook) {
            shutdownHook = new Thread(this::close, "custodian-database-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            shutdownHook = null;
        }
    }

    /**
     * Starts or adopts the embedded PostgreSQL, or connects to the external one; opens the pool; applies
     * the migrations.
     *
     * @throws DatabaseException with a one-line message for the operator when any of that fails
     */
    public static Database open(DatabaseOptions options) {
        Consumer<String> log = options.log();
        EmbeddedDatabase embedded = null;
        HikariDataSource pool = null;
        try {
            String url;
            String user;
            String password;
            if (options.isEmbedded()) {
                embedded = EmbeddedDatabase.open(options.dataDirectory(), log, false);
                url = embedded.jdbcUrl();
                user = embedded.user();
                password = embedded.password();
            } else {
                url = options.jdbcUrl().strip();
                if (!url.startsWith("jdbc:postgresql:")) {
                    throw new DatabaseException("The database URL must be a PostgreSQL JDBC URL such as"
                            + " jdbc:postgresql://host:5432/custodian, not: " + redact(url));
                }
                user = options.user();
                password = options.password();
                if (password == null && !SECRET_PARAMETER.matcher(url).find()) {
                    password = System.getenv(DatabaseOptions.PASSWORD_ENVIRONMENT_VARIABLE);
                }
            }
            pool = createPool(options, url, user, password);
            String version = checkDurability(pool, url);
            migrate(pool, options, log);
            String description = embedded != null
                    ? embedded.description()
                    : "PostgreSQL " + version + " at " + redact(url) + " (external" + (user != null ? ", user " + user : "") + ")";
            if (embedded == null) {
                log.accept(description);
            }
            Hosting hosting = embedded != null ? Hosting.embedded(options.dataDirectory()) : Hosting.external(url);
            return new Database(embedded, pool, description, hosting, options.shutdownHook());
        } catch (RuntimeException | Error e) {
            if (pool != null) {
                pool.close();
            }
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    /** The pooled connections (auto-commit on by default, as usual for JDBC). */
    public DataSource dataSource() {
        return pool;
    }

    /** For logs: where the data is, without secrets. */
    public String description() {
        return description;
    }

    /** Where the data is hosted, as the public FOI answers say it: a directory, or the external server's host(s) without credentials. */
    public Hosting hosting() {
        return hosting;
    }

    /** The embedded server, or null when the database is external. */
    public EmbeddedDatabase embedded() {
        return embedded;
    }

    @Override
    public String toString() {
        return description;
    }

    /** Closes the pool, then the embedded server (which stops only if no other process uses it). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway; close is idempotent
            }
        }
        try {
            pool.close();
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static HikariDataSource createPool(DatabaseOptions options, String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("custodian-db");
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(options.poolSize());
        config.setMinimumIdle(Math.min(2, options.poolSize()));
        long timeoutMillis = options.connectionTimeout().toMillis();
        config.setConnectionTimeout(timeoutMillis);
        // One attempt at open: a refused connection fails at once (Hikari pauses 1 s), an unanswered one
        // after connectTimeout; no silent retrying against a database that is not there.
        config.setInitializationFailTimeout(1);
        String seconds = Long.toString(Math.max(1, (timeoutMillis + 999) / 1000));
        // Driver defaults; the URL's own parameters win.
        config.addDataSourceProperty("connectTimeout", seconds);
        config.addDataSourceProperty("loginTimeout", seconds);
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", "custodian");
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new DatabaseException("Cannot connect to PostgreSQL at " + redact(url) + ": " + rootMessage(e), e);
        }
    }

    /** Refuses a server that could acknowledge a commit before it is durable; returns its version. */
    private static String checkDurability(DataSource dataSource, String url) {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            for (String setting : new String[] {"fsync", "synchronous_commit"}) {
                try (ResultSet rows = statement.executeQuery("SHOW " + setting)) {
                    rows.next();
                    if ("off".equalsIgnoreCase(rows.getString(1))) {
                        throw new DatabaseException("PostgreSQL at " + redact(url) + " runs with " + setting
                                + "=off; custodian acknowledges a ledger append only once it is durable, so it"
                                + " refuses to use it (set " + setting + " to on).");
                    }
                }
            }
            try (ResultSet rows = statement.executeQuery("SHOW server_version")) {
                rows.next();
                return rows.getString(1);
            }
        } catch (SQLException e) {
            throw new DatabaseException("Cannot query PostgreSQL at " + redact(url) + ": " + e.getMessage(), e);
        }
    }

    private static void migrate(DataSource dataSource, DatabaseOptions options, Consumer<String> log) {
        try {
            MigrateResult result = Flyway.configure(Database.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(options.migrationLocations().toArray(String[]::new))
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                log.accept("Applied " + result.migrationsExecuted + " database migration(s); schema version "
                        + result.targetSchemaVersion);
            }
        } catch (FlywayException e) {
            throw new DatabaseException("Database migration failed: " + e.getMessage(), e);
        }
    }

    /** The URL without the values of password parameters. */
    static String redact(String url) {
        return url == null ? null : SECRET_PARAMETER.matcher(url).replaceAll("$1***");
    }

    /** The driver's explanation (the innermost SQLException), else the innermost message. */
    private static String rootMessage(Throwable e) {
        String sql = null;
        String any = null;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                any = t.getMessage();
                if (t instanceof SQLException) {
                    sql = t.getMessage();
                }
            }
        }
        return sql != null ? sql : any != null ? any : e.getClass().getSimpleName();
    }
}
