package org.custodian.ledger.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A real PostgreSQL for tests, configured as production is (fsync and synchronous commit on). Each
 * {@link #newDatabase()} is a fresh database with the ledger's migrations applied, so tests in one
 * class share one server but never one log.
 */
public final class PostgresForTests implements AutoCloseable {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final Path dir;
    private EmbeddedPostgres postgres;
    private final List<HikariDataSource> pools = new ArrayList<>();

    private PostgresForTests(Path dir, EmbeddedPostgres postgres) {
        this.dir = dir;
        this.postgres = postgres;
    }

    /** Starts PostgreSQL in {@code dir} on {@code port} (0: any free port); data is kept in {@code dir}. */
    public static PostgresForTests start(Path dir, int port) {
        return new PostgresForTests(dir, launch(dir, port));
    }

    /** Stops the server (fast shutdown) while keeping pools, as a database outage would. */
    public synchronized void stopServer() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again on the same directory and port. */
    public synchronized void startServer() {
        postgres = launch(dir, postgres.getPort());
    }

    private static EmbeddedPostgres launch(Path dir, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on");
            if (port > 0) {
                builder.setPort(port);
            }
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static PostgresForTests start(Path dir) {
        return start(dir, 0);
    }

    /** A new, migrated database. */
    public synchronized HikariDataSource newDatabase() {
        String name = "ledger_test_" + NEXT.incrementAndGet();
        sql(postgres.getPostgresDatabase(), "CREATE DATABASE " + name);
        HikariDataSource ds = pool(postgres.getJdbcUrl("postgres", name));
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }

    /** A pool on an existing database, e.g. to reconnect after a restart. */
    public synchronized HikariDataSource pool(String jdbcUrl) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(16);
        config.setConnectionTimeout(3000);
        config.setInitializationFailTimeout(-1);
        HikariDataSource ds = new HikariDataSource(config);
        pools.add(ds);
        return ds;
    }

    public int port() {
        return postgres.getPort();
    }

    /** Runs SQL, for tests that tamper with what is stored. */
    public static void sql(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        pools.forEach(HikariDataSource::close);
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            awaitStopped();
        }
    }

    /**
     * The embedded server's stop gives PostgreSQL 5 s; on a loaded machine its shutdown checkpoint can take longer, and it
     * then goes on writing in the directory a test is about to delete. Waits for it to go (up to a minute), then kills it.
     */
    private void awaitStopped() {
        Path pidFile = dir.resolve("postmaster.pid");
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        try {
            while (java.nio.file.Files.exists(pidFile) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            if (java.nio.file.Files.exists(pidFile)) {
                long pid = Long.parseLong(java.nio.file.Files.readAllLines(pidFile).get(0).strip());
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                Thread.sleep(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // The file went between the check and the read: stopped.
        }
    }
}
