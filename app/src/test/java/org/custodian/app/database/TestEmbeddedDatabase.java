package org.custodian.app.database;

import org.custodian.app.database.DatabaseTestSupport.Child;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.custodian.app.database.DatabaseTestSupport.awaitDeath;
import static org.custodian.app.database.DatabaseTestSupport.execute;
import static org.custodian.app.database.DatabaseTestSupport.isRunning;
import static org.custodian.app.database.DatabaseTestSupport.queryStrings;
import static org.custodian.app.database.DatabaseTestSupport.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The embedded PostgreSQL: real servers, real processes. */
class TestEmbeddedDatabase {
    /** Tests tagged so start from an empty data directory; the others from an initialised cluster. */
    private static final String NEW_CLUSTER = "new-cluster";

    @TempDir
    Path temp;

    private Path dir;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<Child> children = new ArrayList<>();
    private final List<AutoCloseable> opened = new ArrayList<>();

    private EmbeddedDatabase open() {
        EmbeddedDatabase db = EmbeddedDatabase.open(dir, log::add);
        opened.add(db);
        return db;
    }

    private Child child() throws Exception {
        Child child = new Child(dir);
        children.add(child);
        return child;
    }

    @BeforeEach
    void setUp(TestInfo test) throws Exception {
        dir = temp.resolve("custodian-data");
        if (!test.getTags().contains(NEW_CLUSTER)) {
            DatabaseTestSupport.useInitialisedCluster(dir);
        }
    }

    @AfterEach
    void leaveNoPostgresBehind() throws Exception {
        for (AutoCloseable db : opened) {
            db.close();
        }
        for (Child child : children) {
            child.close();
        }
        DatabaseTestSupport.stopLeftoverPostgres(dir);
    }

    private long postmasterPidOnDisk() {
        Postmaster.PidFile pidFile = Postmaster.readPidFile(dir.resolve("pg"));
        return pidFile == null ? 0 : pidFile.pid();
    }

    private void assertStopped(long pid) throws InterruptedException {
        assertTrue(awaitDeath(pid, Duration.ofSeconds(5)), "postgres " + pid + " is still running");
        assertFalse(Files.exists(dir.resolve("pg").resolve("postmaster.pid")), "postmaster.pid left behind");
    }

    @Test
    @Tag(NEW_CLUSTER)
    void reopeningTheSameDirectoryKeepsCommittedDataAndDoesNotRunInitdbAgain() throws Exception {
        long pid;
        try (EmbeddedDatabase db = open()) {
            assertFalse(db.adopted());
            String creating = "Creating a new PostgreSQL cluster in " + dir.toRealPath();
            assertTrue(log.stream().anyMatch(line -> line.startsWith(creating)), log::toString);
            assertEquals("PostgreSQL 17.6 embedded in " + dir.toRealPath().resolve("pg") + " (port " + db.port() + ", started)",
                    db.description());
            assertTrue(log.contains(db.description()), log::toString);
            assertEquals("jdbc:postgresql://127.0.0.1:" + db.port() + "/custodian", db.jdbcUrl());
            execute(db, "CREATE TABLE note (body TEXT NOT NULL)");
            execute(db, "INSERT INTO note VALUES ('kept across restarts')");
            pid = db.postmasterPid();
        }
        assertTrue(log.contains("PostgreSQL in " + dir.toRealPath().resolve("pg") + " stopped"), log::toString);
        assertStopped(pid);

        log.clear();
        try (EmbeddedDatabase db = open()) {
            assertFalse(db.adopted());
            assertFalse(log.stream().anyMatch(line -> line.startsWith("Creating")), log::toString);
            assertEquals(List.of("kept across restarts"), queryStrings(db, "SELECT body FROM note"));
            pid = db.postmasterPid();
        }
        assertStopped(pid);
    }

    @Test
    void serverAcknowledgesCommitsOnlyOnceDurable() throws Exception {
        try (EmbeddedDatabase db = open()) {
            assertEquals("on", show(db, "fsync"));
            assertEquals("on", show(db, "synchronous_commit"));
            assertEquals("on", show(db, "full_page_writes"));
            assertEquals("on", show(db, "data_checksums"));
        }
    }

    @Test
    void serverListensOnLoopbackOnlyAndRequiresThePasswordKeptPrivateInTheDataDirectory() throws Exception {
        try (EmbeddedDatabase db = open()) {
            assertEquals("127.0.0.1", show(db, "listen_addresses"));
            assertEquals("", show(db, "unix_socket_directories"));
            Path passwordFile = dir.resolve("pg.password");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
            assertEquals(db.password(), Files.readString(passwordFile).strip());
            SQLException refused = assertThrows(SQLException.class,
                    () -> java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), "not-the-password").close());
            assertEquals("28P01", refused.getSQLState());
        }
    }

    @Test
    void openingTheSameDirectoryTwiceInOneProcessSharesOneServer() throws Exception {
        EmbeddedDatabase first = open();
        EmbeddedDatabase second = open();
        assertEquals(first.port(), second.port());
        long pid = first.postmasterPid();
        first.close();
        assertTrue(isRunning(pid));
        assertEquals("on", show(second, "fsync"));
        second.close();
        assertStopped(pid);
    }

    @Test
    void anotherProcessAdoptsTheRunningServerAndOnlyTheLastUserStopsIt() throws Exception {
        Child child = child();
        String[] ready = child.ready();
        assertEquals("started", ready[2]);
        int port = Integer.parseInt(ready[0]);
        long pid = Long.parseLong(ready[1]);

        EmbeddedDatabase db = open();
        assertTrue(db.adopted());
        assertEquals(port, db.port());
        assertEquals(pid, db.postmasterPid());
        assertTrue(db.description().endsWith("(port " + port + ", adopted)"), db.description());
        db.close();
        assertTrue(isRunning(pid), "stopped although the child still uses it");
        assertTrue(log.stream().anyMatch(line -> line.endsWith("left running: another custodian process uses it")), log::toString);

        db = open();
        assertTrue(db.adopted());
        child.send("close");
        child.expect("CLOSED", Duration.ofSeconds(30));
        assertEquals(0, child.process.waitFor());
        assertTrue(isRunning(pid), "the child stopped it although this process still uses it");
        assertEquals("on", show(db, "fsync"));
        db.close();
        assertStopped(pid);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void signalToTheLastUserStopsTheServerCleanly(String signal) throws Exception {
        Child child = child();
        long pid = Long.parseLong(child.ready()[1]);
        long childPid = child.process.pid();
        // kill -INT is what Ctrl-C delivers; a JVM started with SIGINT ignored (background job) cannot see it.
        assumeTrue(signal.equals("TERM") || catchesSignal(childPid, 2), "SIGINT is ignored in this environment");

        new ProcessBuilder("kill", "-s", signal, Long.toString(childPid)).inheritIO().start().waitFor();
        assertTrue(child.process.waitFor(90, TimeUnit.SECONDS), "the child did not exit");
        assertStopped(pid);
        assertTrue(DatabaseTestSupport.serverLogs(dir).contains("received fast shutdown request"));
    }

    /** Whether process {@code pid} has a handler for signal number {@code signal} (/proc/PID/status SigCgt). */
    private static boolean catchesSignal(long pid, int signal) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("SigCgt:")) {
                long mask = Long.parseUnsignedLong(line.substring("SigCgt:".length()).strip(), 16);
                return (mask & (1L << (signal - 1))) != 0;
            }
        }
        return false;
    }

    @Test
    @Tag(NEW_CLUSTER)
    void processesStartingTogetherShareOneServer() throws Exception {
        List<Child> together = List.of(child(), child(), child());
        List<String[]> ready = new ArrayList<>();
        for (Child child : together) {
            ready.add(child.ready());
        }
        assertEquals(1, ready.stream().filter(r -> r[2].equals("started")).count());
        assertEquals(1, ready.stream().map(r -> r[0] + " " + r[1]).distinct().count());
        long pid = Long.parseLong(ready.get(0)[1]);
        for (Child child : together) {
            child.send("close");
            child.expect("CLOSED", Duration.ofSeconds(30));
        }
        assertStopped(pid);
    }

    @Test
    void serverOrphanedByAKilledProcessIsAdoptedWithItsCommittedDataAndStoppedByTheLastUser() throws Exception {
        Child child = child();
        String[] ready = child.ready();
        assertEquals("started", ready[2]);
        long pid = Long.parseLong(ready[1]);
        child.send("insert committed before kill -9");
        child.expect("INSERTED", Duration.ofSeconds(30));
        child.kill();

        assertTrue(isRunning(pid), "postgres should survive its starter's kill -9");
        try (EmbeddedDatabase db = open()) {
            assertTrue(db.adopted());
            assertEquals(pid, db.postmasterPid());
            assertEquals(List.of("committed before kill -9"), queryStrings(db, "SELECT body FROM note"));
        }
        assertStopped(pid);
    }

    @Test
    void crashedServerIsRestartedOnTheSamePortWithCrashRecoveryAndCommittedDataSurvives() throws Exception {
        long crashed;
        int port;
        try (EmbeddedDatabase db = open()) {
            port = db.port();
            execute(db, "CREATE TABLE note (body TEXT NOT NULL)");
            execute(db, "INSERT INTO note VALUES ('committed before the crash')");
            crashed = db.postmasterPid();
            ProcessHandle.of(crashed).orElseThrow().destroyForcibly(); // kill -9 the postmaster
            assertTrue(awaitDeath(crashed, Duration.ofSeconds(10)));
        }
        try (EmbeddedDatabase db = open()) {
            assertFalse(db.adopted());
            assertNotEquals(crashed, db.postmasterPid());
            assertEquals(port, db.port(), "connection pools of other processes find the server again");
            assertEquals(List.of("committed before the crash"), queryStrings(db, "SELECT body FROM note"));
            assertTrue(DatabaseTestSupport.serverLogs(dir).contains("automatic recovery in progress"),
                    "the server log should show crash recovery");
        }
    }

    @Test
    void stalePidFileNamingAnUnrelatedLiveProcessDoesNotPreventStart() throws Exception {
        Process unrelated = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(dir.resolve("pg").resolve("postmaster.pid"),
                    unrelated.pid() + "\n" + dir.resolve("pg") + "\n1700000000\n5432\n\n127.0.0.1\n  1234  5678\nready   \n");
            try (EmbeddedDatabase db = open()) {
                assertFalse(db.adopted());
                assertNotEquals(unrelated.pid(), db.postmasterPid());
                assertEquals(db.postmasterPid(), postmasterPidOnDisk());
                assertTrue(log.stream().anyMatch(line -> line.startsWith("Removing stale")), log::toString);
            }
            assertTrue(unrelated.isAlive(), "the unrelated process must not be touched");
        } finally {
            unrelated.destroyForcibly();
        }
    }
}
