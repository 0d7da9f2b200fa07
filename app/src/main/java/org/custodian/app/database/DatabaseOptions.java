package org.custodian.app.database;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where the database is and how to use it: either PostgreSQL embedded in a data directory
 * ({@link #embedded}) or an external, managed PostgreSQL ({@link #external}). Immutable; the
 * {@code with...} methods return modified copies.
 */
public final class DatabaseOptions {
    /** Where Flyway finds the product's migrations (V1__name.sql ...) unless told otherwise. */
    public static final String DEFAULT_MIGRATIONS = "classpath:db/migration";
    /** Environment variable giving the external database's password when neither the URL nor the options do. */
    public static final String PASSWORD_ENVIRONMENT_VARIABLE = "CUSTODIAN_DB_PASSWORD";

    private final Path dataDirectory;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final int poolSize;
    private final Duration connectionTimeout;
    private final List<String> migrationLocations;
    private final Consumer<String> log;
    private final boolean shutdownHook;

    private DatabaseOptions(Path dataDirectory, String jdbcUrl, String user, String password, int poolSize,
                            Duration connectionTimeout, List<String> migrationLocations, Consumer<String> log,
                            boolean shutdownHook) {
        this.dataDirectory = dataDirectory;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.poolSize = poolSize;
        this.connectionTimeout = connectionTimeout;
        this.migrationLocations = migrationLocations;
        this.log = log;
        this.shutdownHook = shutdownHook;
    }

    /** PostgreSQL embedded in {@code dataDirectory/pg}, started or shared as {@link EmbeddedDatabase} describes. */
    public static DatabaseOptions embedded(Path dataDirectory) {
        return new DatabaseOptions(Objects.requireNonNull(dataDirectory, "dataDirectory"), null, null, null, 16,
                Duration.ofSeconds(5), List.of(DEFAULT_MIGRATIONS), System.err::println, true);
    }

    /**
     * An external PostgreSQL, e.g. {@code jdbc:postgresql://db.example.org:5432/custodian?user=custodian}.
     * The password may be in the URL, given with {@link #withPassword}, or in the environment variable
     * {@value #PASSWORD_ENVIRONMENT_VARIABLE}.
     */
    public static DatabaseOptions external(String jdbcUrl) {
        return new DatabaseOptions(null, Objects.requireNonNull(jdbcUrl, "jdbcUrl"), null, null, 16,
                Duration.ofSeconds(5), List.of(DEFAULT_MIGRATIONS), System.err::println, true);
    }

    /** The user for an external database (else the URL's, else the driver's default). */
    public DatabaseOptions withUser(String newUser) {
        return new DatabaseOptions(dataDirectory, jdbcUrl, newUser, password, poolSize, connectionTimeout,
                migrationLocations, log, shutdownHook);
    }

    /** The password for an external database. */
    public DatabaseOptions withPassword(String newPassword) {
        return new DatabaseOptions(dataDirectory, jdbcUrl, user, newPassword, poolSize, connectionTimeout,
                migrationLocations, log, shutdownHook);
    }

    /** Maximum number of pooled connections (default 16). */
    public DatabaseOptions withPoolSize(int newPoolSize) {
        if (newPoolSize < 1) {
            throw new IllegalArgumentException("pool size must be at least 1: " + newPoolSize);
        }
        return new DatabaseOptions(dataDirectory, jdbcUrl, user, password, newPoolSize, connectionTimeout,
                migrationLocations, log, shutdownHook);
    }

    /** How long to wait for a connection, including the first one at open (default 5 s). */
    public DatabaseOptions withConnectionTimeout(Duration newTimeout) {
        if (newTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("connection timeout must be at least 250 ms: " + newTimeout);
        }
        return new DatabaseOptions(dataDirectory, jdbcUrl, user, password, poolSize, newTimeout,
                migrationLocations, log, shutdownHook);
    }

    /** Flyway locations of the migrations to apply (default {@value #DEFAULT_MIGRATIONS}). */
    public DatabaseOptions withMigrationLocations(String... locations) {
        return new DatabaseOptions(dataDirectory, jdbcUrl, user, password, poolSize, connectionTimeout,
                List.of(locations), log, shutdownHook);
    }

    /** Receives the lines for the operator (where the data is, started/adopted/stopped); default stderr. */
    public DatabaseOptions withLog(Consumer<String> newLog) {
        return new DatabaseOptions(dataDirectory, jdbcUrl, user, password, poolSize, connectionTimeout,
                migrationLocations, Objects.requireNonNull(newLog, "log"), shutdownHook);
    }

    /**
     * Whether {@link Database#open} registers a JVM shutdown hook that closes the database (default true).
     * Turn it off only to close the Database yourself, in order, from your own shutdown hook.
     */
    public DatabaseOptions withShutdownHook(boolean register) {
        return new DatabaseOptions(dataDirectory, jdbcUrl, user, password, poolSize, connectionTimeout,
                migrationLocations, log, register);
    }

    public boolean isEmbedded() {
        return dataDirectory != null;
    }

    /** The data directory (embedded), else null. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The JDBC URL (external), else null. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public int poolSize() {
        return poolSize;
    }

    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    public List<String> migrationLocations() {
        return migrationLocations;
    }

    public Consumer<String> log() {
        return log;
    }

    public boolean shutdownHook() {
        return shutdownHook;
    }

    @Override
    public String toString() {
        return isEmbedded() ? "embedded PostgreSQL in " + dataDirectory.toAbsolutePath().resolve("pg")
                : "PostgreSQL at " + Database.redact(jdbcUrl);
    }
}
