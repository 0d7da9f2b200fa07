package org.custodian.app.database;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.custodian.app.database.DatabaseTestSupport.execute;
import static org.custodian.app.database.DatabaseTestSupport.queryStrings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The application's database: pool + migrations on embedded or external PostgreSQL. */
class TestDatabase {
    private static final String TEST_MIGRATIONS = "classpath:db/testmigration";

    @TempDir
    Path temp;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<AutoCloseable> opened = new ArrayList<>();

    private Path dir() {
        return temp.resolve("custodian-data");
    }

    private Database open(DatabaseOptions options) {
        Database db = Database.open(options.withMigrationLocations(TEST_MIGRATIONS).withLog(log::add));
        opened.add(db);
        return db;
    }

    private EmbeddedDatabase openEmbedded() throws Exception {
        DatabaseTestSupport.useInitialisedCluster(dir());
        EmbeddedDatabase db = EmbeddedDatabase.open(dir(), log::add);
        opened.add(db);
        return db;
    }

    @AfterEach
    void leaveNoPostgresBehind() throws Exception {
        for (AutoCloseable db : opened) {
            db.close();
        }
        DatabaseTestSupport.stopLeftoverPostgres(dir());
    }

    private static void insertNote(Database db, String body) throws Exception {
        try (Connection connection = db.dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO test_note (body) VALUES (?)")) {
            insert.setString(1, body);
            insert.executeUpdate();
        }
    }

    private static List<String> notes(Database db) throws Exception {
        try (Connection connection = db.dataSource().getConnection()) {
            return queryStrings(connection, "SELECT body FROM test_note ORDER BY id");
        }
    }

    @Test
    void embeddedDatabaseIsMigratedAndKeepsDataAcrossReopen() throws Exception {
        try (Database db = open(DatabaseOptions.embedded(dir()))) {
            assertTrue(db.description().startsWith("PostgreSQL 17.6 embedded in " + dir().toRealPath().resolve("pg")),
                    db.description());
            assertTrue(log.contains("Applied 1 database migration(s); schema version 1"), log::toString);
            insertNote(db, "first");
        }
        log.clear();
        try (Database db = open(DatabaseOptions.embedded(dir()))) {
            assertFalse(log.stream().anyMatch(line -> line.startsWith("Applied")), "nothing left to migrate");
            assertEquals(List.of("first"), notes(db));
        }
        assertNull(Postmaster.readPidFile(dir().resolve("pg")), "closing the Database stops its embedded server");
    }

    @Test
    void externalUrlModeUsesThatServerAndMigratesIt() throws Exception {
        EmbeddedDatabase server = openEmbedded();
        try (Database db = open(DatabaseOptions.external(server.jdbcUrl())
                .withUser(server.user()).withPassword(server.password()).withPoolSize(3))) {
            assertNull(db.embedded());
            assertEquals("PostgreSQL 17.6 at " + server.jdbcUrl() + " (external, user custodian)", db.description());
            insertNote(db, "external");
            assertEquals(List.of("external"), queryStrings(server, "SELECT body FROM test_note"));
        }
        assertTrue(DatabaseTestSupport.isRunning(server.postmasterPid()), "an external server is not ours to stop");
    }

    @Test
    void passwordInTheUrlIsUsedButNeverShown() throws Exception {
        EmbeddedDatabase server = openEmbedded();
        String url = server.jdbcUrl() + "?user=" + server.user() + "&password=" + server.password();
        try (Database db = open(DatabaseOptions.external(url))) {
            assertFalse(db.description().contains(server.password()), db.description());
            assertTrue(db.description().contains("password=***"), db.description());
            assertFalse(String.join("\n", log).contains(server.password()));
        }
    }

    @Test
    void unreachableUrlFailsFastWithAOneLineMessage() {
        long start = System.nanoTime();
        DatabaseException e = assertThrows(DatabaseException.class,
                () -> open(DatabaseOptions.external("jdbc:postgresql://127.0.0.1:1/custodian?password=secret")));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took);
        assertTrue(e.getMessage().startsWith("Cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/custodian?password=***: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("Connection to 127.0.0.1:1 refused"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void urlOfAnotherKindOfDatabaseIsRejected() {
        DatabaseException e = assertThrows(DatabaseException.class,
                () -> open(DatabaseOptions.external("jdbc:mysql://localhost/custodian")));
        assertEquals("The database URL must be a PostgreSQL JDBC URL such as jdbc:postgresql://host:5432/custodian,"
                + " not: jdbc:mysql://localhost/custodian", e.getMessage());
    }

    @Test
    void serverThatWouldAcknowledgeCommitsBeforeTheyAreDurableIsRefused() throws Exception {
        EmbeddedDatabase server = openEmbedded();
        execute(server, "ALTER DATABASE custodian SET synchronous_commit = off");
        DatabaseException e = assertThrows(DatabaseException.class, () -> open(DatabaseOptions.external(server.jdbcUrl())
                .withUser(server.user()).withPassword(server.password())));
        assertTrue(e.getMessage().contains("runs with synchronous_commit=off"), e.getMessage());
        execute(server, "ALTER DATABASE custodian RESET synchronous_commit");
    }
}
