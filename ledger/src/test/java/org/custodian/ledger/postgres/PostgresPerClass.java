package org.custodian.ledger.postgres;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real PostgreSQL ({@link PostgresForTests}) for all the tests of a class, started before the first and stopped
 * after the last, in a directory of its own that is deleted afterwards:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresPerClass postgres = new PostgresPerClass();
 * }</pre>
 *
 * <p>What every such class otherwise wrote out: a temporary directory, a static field, and start and stop methods.
 */
public final class PostgresPerClass implements BeforeAllCallback, AfterAllCallback {
    private Path dir;
    private PostgresForTests server;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("custodian-test-pg-");
        server = PostgresForTests.start(dir.resolve("pg"));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            server = null;
            deleteTree(dir);
        }
    }

    /** The running server, for what this class does not pass on. */
    public PostgresForTests server() {
        if (server == null) {
            throw new IllegalStateException("PostgreSQL runs only between a test class's @BeforeAll and @AfterAll");
        }
        return server;
    }

    /** A new, migrated database ({@link PostgresForTests#newDatabase()}). */
    public HikariDataSource newDatabase() {
        return server().newDatabase();
    }

    /** A pool on an existing database ({@link PostgresForTests#pool(String)}). */
    public HikariDataSource pool(String jdbcUrl) {
        return server().pool(jdbcUrl);
    }

    public int port() {
        return server().port();
    }

    /** Stops the server while keeping pools, as a database outage would ({@link PostgresForTests#stopServer()}). */
    public void stopServer() {
        server().stopServer();
    }

    /** Starts the server again on the same directory and port. */
    public void startServer() {
        server().startServer();
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
