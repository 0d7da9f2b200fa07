package org.custodian.app.database;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Helpers for the database tests: child JVMs, SQL one-liners, and making sure no postgres is left behind. */
final class DatabaseTestSupport {
    private DatabaseTestSupport() {
    }

    /** Another JVM running {@link EmbeddedDatabaseChild} on a data directory. */
    static final class Child implements AutoCloseable {
        final Process process;
        private final Writer stdin;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Child(Path dataDir) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    EmbeddedDatabaseChild.class.getName(), dataDir.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the child is gone
                }
            }, "child-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits for the next line on the child's stdout, which must start with {@code prefix}. */
        String expect(String prefix, Duration timeout) throws InterruptedException {
            String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new AssertionError("child printed nothing starting with '" + prefix + "' within " + timeout
                        + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")"));
            }
            if (!line.startsWith(prefix)) {
                throw new AssertionError("child printed '" + line + "', expected '" + prefix + "...'");
            }
            return line;
        }

        /** Waits for READY and returns {port, postmaster pid, started|adopted}. */
        String[] ready() throws InterruptedException {
            return expect("READY ", Duration.ofSeconds(60)).substring("READY ".length()).split(" ");
        }

        void send(String command) throws IOException {
            stdin.write(command + "\n");
            stdin.flush();
        }

        /** kill -9 */
        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                kill();
            }
        }
    }

    private static Path template;

    /**
     * Gives {@code dataDir} a copy of a cluster initialised once per test run, as if an earlier run had created
     * it: initdb syncs every file and costs seconds, so only the tests about creating a cluster pay for it.
     */
    static synchronized void useInitialisedCluster(Path dataDir) throws Exception {
        if (template == null) {
            Path directory = Files.createTempDirectory("custodian-test-cluster");
            EmbeddedDatabase.open(directory, line -> { }).close();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(directory)));
            template = directory;
        }
        Files.createDirectories(dataDir);
        for (String name : new String[] {"pg", "pg.password"}) {
            Process copy = new ProcessBuilder("cp", "-a", template.resolve(name).toString(), dataDir.toString())
                    .inheritIO().start();
            if (copy.waitFor() != 0) {
                throw new IOException("cannot copy the template cluster");
            }
        }
    }

    private static void deleteQuietly(Path directory) {
        try (var walk = Files.walk(directory)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // temporary files
        }
    }

    /** Stops (immediately) any postgres still running in {@code dataDir/pg}; for clean-up after tests. */
    static void stopLeftoverPostgres(Path dataDir) throws Exception {
        Path pgDir = dataDir.resolve("pg");
        Postmaster.PidFile pidFile = Postmaster.readPidFile(pgDir);
        if (pidFile == null || pidFile.pid() <= 0) {
            return;
        }
        long pid = pidFile.pid();
        if (Postmaster.state(pid, pgDir) != Postmaster.ProcessState.POSTGRES_HERE) {
            return;
        }
        new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        if (!awaitDeath(pid, Duration.ofSeconds(10))) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            awaitDeath(pid, Duration.ofSeconds(10));
        }
    }

    /** True once {@code pid} is gone (or a zombie) within the timeout. */
    static boolean awaitDeath(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Postmaster.isAlive(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    static boolean isRunning(long pid) {
        return Postmaster.isAlive(pid);
    }

    static Connection connect(EmbeddedDatabase db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    static void execute(EmbeddedDatabase db, String sql) throws SQLException {
        try (Connection connection = connect(db); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static String show(EmbeddedDatabase db, String setting) throws SQLException {
        return queryStrings(db, "SHOW " + setting).get(0);
    }

    static List<String> queryStrings(EmbeddedDatabase db, String sql) throws SQLException {
        try (Connection connection = connect(db)) {
            return queryStrings(connection, sql);
        }
    }

    static List<String> queryStrings(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    /** The contents of the server logs in {@code dataDir/pg/log}. */
    static String serverLogs(Path dataDir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(dataDir.resolve("pg").resolve("log"))) {
            for (Path file : files.toList()) {
                all.append(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return all.toString();
    }
}
