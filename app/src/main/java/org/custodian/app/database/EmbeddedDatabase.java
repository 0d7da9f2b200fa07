package org.custodian.app.database;

import org.custodian.app.database.Postmaster.PidFile;
import org.custodian.app.database.Postmaster.ProcessState;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server whose data lives in {@code DIR/pg}, shared by every custodian process that uses
 * the same data directory and stopped cleanly by the last of them.
 *
 * <h2>Files in DIR</h2>
 * <ul>
 *   <li>{@code pg/} the PostgreSQL cluster (created by initdb into {@code pg.initdb/}, then renamed, so a
 *       half-initialised cluster never looks like a real one); server logs in {@code pg/log/}.</li>
 *   <li>{@code pg.password} the password of the {@value #USER} superuser (mode 0600). The server listens on
 *       127.0.0.1 only, but every local user can reach that address, so it requires this password
 *       (scram-sha-256) instead of zonky's "trust".</li>
 *   <li>{@code pg.log} output of initdb and pg_ctl (start-up failures are explained there).</li>
 *   <li>{@code pg.port} the port of the last start, reused when free.</li>
 *   <li>{@code pg.users.lock}: every process using the server holds a SHARED lock on it while it does.</li>
 *   <li>{@code pg.start.lock}: an EXCLUSIVE lock on it serialises starting (and adopting) the server.</li>
 * </ul>
 *
 * <h2>Sharing and stopping</h2>
 * {@link #open} takes the shared users lock, then the start lock; if {@code pg/postmaster.pid} names a live
 * postgres serving {@code DIR/pg} it is adopted (connect, check it is this cluster), otherwise postgres is
 * started with {@code pg_ctl start} (detached: it survives this JVM). {@link #close} gives up the shared lock
 * and tries to take the users lock exclusively: only when that succeeds, i.e. no other process uses the
 * server, is it stopped (fast shutdown, up to 60 s). The kernel drops the locks of a process that dies, even
 * by kill -9, so a postgres orphaned by a killed process is adopted by the next one and stopped by the last.
 * Within one JVM, opening the same directory again shares the same server (reference counted), because
 * file locks cannot be taken twice by one process.
 *
 * <h2>Durability</h2>
 * The ledger acknowledges an append only once it is durable, so the server runs with fsync, synchronous_commit
 * and full_page_writes on, and {@code open} refuses a server where they are not. Data checksums are on.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    /** The PostgreSQL superuser of the embedded cluster. */
    public static final String USER = "custodian";
    /** The database the application uses in the embedded cluster. */
    public static final String DATABASE = "custodian";

    private static final Duration START_FAILURES_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration WAIT_FOR_OTHER_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ZOMBIE_GRACE = Duration.ofSeconds(5);
    private static final int CONNECT_TIMEOUT_SECONDS = 5;

    /** Clusters open in this JVM, by real path of the data directory. Guarded by itself. */
    private static final Map<Path, Cluster> OPEN = new HashMap<>();

    private final Cluster cluster;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedDatabase(Cluster cluster, boolean registerShutdownHook) {
        this.cluster = cluster;
        if (registerShutdownHook) {
            this.shutdownHook = new Thread(this::close, "custodian-embedded-postgres-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            this.shutdownHook = null;
        }
    }

    /**
     * Starts, or adopts, the PostgreSQL server of {@code dataDir} (created if needed) and returns once it
     * accepts connections. A JVM shutdown hook closes it on exit, Ctrl-C and SIGTERM.
     *
     * @param log receives a few lines for the operator: where the data is, started or adopted, stopped
     * @throws DatabaseException with a one-line explanation when that is not possible
     */
    public static EmbeddedDatabase open(Path dataDir, Consumer<String> log) {
        return open(dataDir, log, true);
    }

    static EmbeddedDatabase open(Path dataDir, Consumer<String> log, boolean registerShutdownHook) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(log, "log");
        Path dir = prepareDataDirectory(dataDir);
        synchronized (OPEN) {
            Cluster cluster = OPEN.get(dir);
            if (cluster == null) {
                cluster = Cluster.open(dir, log);
                OPEN.put(dir, cluster);
            } else {
                cluster.references++;
                log.accept(cluster.description());
            }
            return new EmbeddedDatabase(cluster, registerShutdownHook);
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/custodian}, without credentials (see {@link #user()}, {@link #password()}). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + cluster.port + "/" + DATABASE;
    }

    public int port() {
        return cluster.port;
    }

    public String user() {
        return USER;
    }

    /** The superuser's password (also in {@code DIR/pg.password}). */
    public String password() {
        return cluster.password;
    }

    /** The PostgreSQL data directory, {@code DIR/pg}. */
    public Path dataDirectory() {
        return cluster.pgDir;
    }

    /** The pid of the postmaster when this process started or adopted it. */
    public long postmasterPid() {
        return cluster.pid;
    }

    /** True if the server was already running (started by another process) and was adopted. */
    public boolean adopted() {
        return cluster.adopted;
    }

    /** For logs: e.g. "PostgreSQL 17.6 embedded in /srv/custodian/pg (port 54321, started)". */
    public String description() {
        return cluster.description();
    }

    @Override
    public String toString() {
        return description();
    }

    /**
     * Stops using the server; stops the server itself only if no other custodian process uses it.
     * Idempotent; never throws (problems are logged).
     */
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
        synchronized (OPEN) {
            if (--cluster.references == 0) {
                OPEN.remove(cluster.dir);
                cluster.release();
            }
        }
    }

    private static Path prepareDataDirectory(Path dataDir) {
        Path dir;
        Path absolute = dataDir.toAbsolutePath().normalize();
        try {
            if (!Files.isDirectory(absolute)) {
                if (absolute.getParent() != null) {
                    Files.createDirectories(absolute.getParent());
                }
                try { // owner only: it holds health records
                    Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    if (!Files.isDirectory(absolute)) { // else created concurrently: fine
                        throw new DatabaseException("The data directory " + absolute + " exists but is not a directory", e);
                    }
                }
            }
            dir = absolute.toRealPath();
        } catch (IOException e) {
            throw new DatabaseException("Cannot create the data directory " + dataDir.toAbsolutePath() + ": " + e, e);
        }
        // pg_ctl puts the paths between double quotes in a shell command line.
        if (dir.toString().chars().anyMatch(c -> c == '"' || c == '$' || c == '`' || c == '\\' || c < 0x20)) {
            throw new DatabaseException("The data directory path must not contain \" $ ` \\ or control characters: " + dir);
        }
        return dir;
    }

    /**
     * PostgreSQL's own cache. Its default, 128 MB, is far less than a records database's working set:
     * each page beyond it is copied in from the operating system's cache with a system call (a search's
     * first page reads about a hundred). An eighth of the machine's memory (the JVM and the
     * operating system's cache share the rest), between 128 MB and 1 GB. Memory that is not used is
     * not taken: PostgreSQL maps it, and pages are touched as they are filled.
     */
    static long sharedBuffersMegabytes(long physicalBytes) {
        long eighth = physicalBytes / 8 / (1024 * 1024);
        return Math.max(128, Math.min(1024, eighth));
    }

    private static long physicalMemory() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }

    /** The server of one data directory, as used by this JVM. */
    private static final class Cluster {
        final Path dir;
        final Path pgDir;
        final Consumer<String> log;
        final PostgresBinaries binaries;
        final FileChannel usersChannel;
        FileLock usersLock;
        int references = 1;
        String password;
        long pid;
        int port;
        String version;
        boolean adopted;

        private Cluster(Path dir, Consumer<String> log, PostgresBinaries binaries, FileChannel usersChannel) {
            this.dir = dir;
            this.pgDir = dir.resolve("pg");
            this.log = log;
            this.binaries = binaries;
            this.usersChannel = usersChannel;
        }

        static Cluster open(Path dir, Consumer<String> log) {
            PostgresBinaries binaries = PostgresBinaries.prepare(dir);
            FileChannel users;
            try {
                users = FileChannel.open(dir.resolve("pg.users.lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new DatabaseException("Cannot open " + dir.resolve("pg.users.lock") + ": " + e, e);
            }
            Cluster cluster = new Cluster(dir, log, binaries, users);
            boolean opened = false;
            try {
                cluster.usersLock = lock(users, true, log,
                        "Waiting for another custodian process to finish stopping PostgreSQL in " + cluster.pgDir);
                // Closing the channel releases the start lock.
                try (FileChannel start = FileChannel.open(dir.resolve("pg.start.lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    lock(start, false, log, "Waiting for another custodian process to start PostgreSQL in " + cluster.pgDir);
                    cluster.adoptOrStart();
                }
                opened = true;
                log.accept(cluster.description());
                return cluster;
            } catch (IOException e) {
                throw new DatabaseException("Cannot lock " + dir + ": " + e, e);
            } finally {
                if (!opened) {
                    cluster.release();
                }
            }
        }

        String description() {
            return "PostgreSQL " + version + " embedded in " + pgDir + " (port " + port + ", "
                    + (adopted ? "adopted" : "started") + ")";
        }

        // ---- starting and adopting (called holding the shared users lock and the start lock) ----

        private void adoptOrStart() {
            long failuresDeadline = System.nanoTime() + START_FAILURES_TIMEOUT.toNanos();
            long waitDeadline = System.nanoTime() + WAIT_FOR_OTHER_TIMEOUT.toNanos();
            long zombieSince = 0;
            long unreadableSince = 0;
            long lastWaitLog = System.nanoTime();
            String problem = null;
            while (true) {
                PidFile pidFile = Postmaster.readPidFile(pgDir);
                if (pidFile != null) {
                    if (pidFile.pid() <= 0) {
                        // Being written right now, or left empty/garbled by a crash: postgres refuses both.
                        if (unreadableSince == 0) {
                            unreadableSince = System.nanoTime();
                        }
                        if (elapsedSince(unreadableSince) < 2_000) {
                            pause(100);
                            continue;
                        }
                        removeStalePidFile("it cannot be read");
                        continue;
                    }
                    unreadableSince = 0;
                    ProcessState state = Postmaster.state(pidFile.pid(), pgDir);
                    if (state == ProcessState.POSTGRES_HERE) {
                        zombieSince = 0;
                        if (pidFile.ready()) {
                            try {
                                connectAndVerify(pidFile.pid(), pidFile.port(), true);
                                return;
                            } catch (SQLException e) {
                                problem = "PostgreSQL (pid " + pidFile.pid() + ", port " + pidFile.port()
                                        + ") runs in " + pgDir + " but does not accept connections: " + e.getMessage();
                                if (System.nanoTime() > failuresDeadline) {
                                    throw new DatabaseException(problem, e);
                                }
                            }
                        } else {
                            if (System.nanoTime() > waitDeadline) {
                                throw new DatabaseException("PostgreSQL (pid " + pidFile.pid() + ") in " + pgDir
                                        + " has been '" + pidFile.status() + "' for too long; see " + pgDir.resolve("log"));
                            }
                            if (elapsedSince(lastWaitLog) > 10_000) {
                                lastWaitLog = System.nanoTime();
                                log.accept("Waiting for PostgreSQL (pid " + pidFile.pid() + ") in " + pgDir + ": "
                                        + (pidFile.status().isEmpty() ? "starting" : pidFile.status()));
                            }
                            failuresDeadline = Math.max(failuresDeadline, System.nanoTime() + 10_000_000_000L);
                        }
                        pause(200);
                        continue;
                    }
                    if (state == ProcessState.ZOMBIE) {
                        // Dead but not reaped yet: postgres takes it for a running server. Wait for the reaper,
                        // then treat the file as stale (a zombie holds no shared memory any more).
                        if (zombieSince == 0) {
                            zombieSince = System.nanoTime();
                        }
                        if (elapsedSince(zombieSince) < ZOMBIE_GRACE.toMillis()) {
                            pause(100);
                            continue;
                        }
                        removeStalePidFile("process " + pidFile.pid() + " has exited");
                    } else if (state == ProcessState.OTHER) {
                        removeStalePidFile("process " + pidFile.pid() + " is not this PostgreSQL (pid reused)");
                    }
                    // DEAD: postgres replaces a postmaster.pid whose process is gone by itself.
                }
                initializeIfNeeded();
                try {
                    start();
                    return;
                } catch (StartFailed e) {
                    problem = e.getMessage();
                }
                if (System.nanoTime() > failuresDeadline) {
                    throw new DatabaseException("Cannot start PostgreSQL in " + pgDir + ": " + problem
                            + " (see " + dir.resolve("pg.log") + " and " + pgDir.resolve("log") + ")");
                }
                pause(500);
            }
        }

        /** Starting failed in a way that may be transient (port taken, orphaned backends still exiting...). */
        private static final class StartFailed extends Exception {
            private static final long serialVersionUID = 1L;

            StartFailed(String message) {
                super(message);
            }
        }

        private void start() throws StartFailed {
            int newPort = choosePort();
            List<String> options = new ArrayList<>(List.of("-p", Integer.toString(newPort)));
            serverSettings().forEach((name, value) -> {
                options.add("-c");
                options.add(name + "=" + value);
            });
            String quoted = String.join(" ", options.stream().map(Cluster::shellQuote).toList());
            Path pgLog = dir.resolve("pg.log");
            int exit = binaries.run("pg_ctl", List.of("start", "-D", pgDir.toString(), "-l", pgLog.toString(),
                    "-w", "-t", "300", "-o", quoted), pgLog, Duration.ofSeconds(330));
            if (exit != 0) {
                throw new StartFailed("pg_ctl start exited with " + exit + ": " + tail(pgLog));
            }
            PidFile pidFile = Postmaster.readPidFile(pgDir);
            if (pidFile == null || pidFile.pid() <= 0 || !pidFile.ready()) {
                throw new StartFailed("pg_ctl reported a start but " + pgDir.resolve("postmaster.pid") + " does not say ready");
            }
            try {
                connectAndVerify(pidFile.pid(), pidFile.port(), false);
            } catch (SQLException e) {
                throw new StartFailed("PostgreSQL started but does not accept connections: " + e.getMessage());
            }
            rememberPort(pidFile.port());
        }

        /**
         * The port of the previous start if it is free, else any free one. Keeping the port means that
         * after a crash and a restart by another process, the pools of processes that were using the
         * server reconnect by themselves; it also keeps the port predictable for an operator's psql.
         */
        private int choosePort() {
            try {
                int previous = Integer.parseInt(Files.readString(dir.resolve("pg.port"), StandardCharsets.US_ASCII).strip());
                new ServerSocket(previous, 1, InetAddress.getByName("127.0.0.1")).close(); // free?
                return previous;
            } catch (IOException | IllegalArgumentException unavailable) { // none yet, garbled, or taken
                return freeLoopbackPort();
            }
        }

        private void rememberPort(int serverPort) {
            Path file = dir.resolve("pg.port");
            Path temporary = dir.resolve("pg.port.tmp");
            try {
                Files.writeString(temporary, serverPort + "\n", StandardCharsets.US_ASCII);
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                log.accept("Cannot record the PostgreSQL port in " + file + ": " + e);
            }
        }

        /**
         * Server settings, given on the command line so that neither postgresql.conf nor ALTER SYSTEM can
         * weaken them.
         */
        private static Map<String, String> serverSettings() {
            Map<String, String> settings = new java.util.LinkedHashMap<>();
            settings.put("listen_addresses", "127.0.0.1");
            settings.put("unix_socket_directories", ""); // TCP only: no socket files in /tmp to clash over
            settings.put("fsync", "on");
            settings.put("synchronous_commit", "on");
            settings.put("full_page_writes", "on");
            settings.put("max_connections", "200");
            settings.put("shared_buffers", sharedBuffersMegabytes(physicalMemory()) + "MB");
            settings.put("timezone", "UTC");
            settings.put("log_timezone", "UTC");
            settings.put("logging_collector", "on"); // pg/log/postgresql-Mon.log ... one file per weekday
            settings.put("log_directory", "log");
            settings.put("log_filename", "postgresql-%a.log");
            settings.put("log_truncate_on_rotation", "on");
            settings.put("log_rotation_age", "1d");
            settings.put("log_rotation_size", "0");
            return settings;
        }

        private static String shellQuote(String word) {
            return "'" + word.replace("'", "'\\''") + "'";
        }

        private void connectAndVerify(long postmasterPid, int serverPort, boolean adopting) throws SQLException {
            if (serverPort <= 0) {
                throw new SQLException("postmaster.pid gives no port");
            }
            password = readPassword();
            try (Connection connection = connect(serverPort, "postgres");
                 Statement statement = connection.createStatement()) {
                String dataDirectory = show(statement, "data_directory");
                if (!Postmaster.samePath(Path.of(dataDirectory), pgDir)) {
                    throw new DatabaseException("The PostgreSQL named by " + pgDir.resolve("postmaster.pid")
                            + " (pid " + postmasterPid + ", port " + serverPort + ") serves " + dataDirectory
                            + ", not " + pgDir);
                }
                for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                    if ("off".equals(show(statement, setting))) {
                        throw new DatabaseException("PostgreSQL in " + pgDir + " runs with " + setting + "=off;"
                                + " custodian acknowledges a ledger append only once it is durable, so it refuses to use it.");
                    }
                }
                version = show(statement, "server_version");
                try (PreparedStatement exists = connection.prepareStatement(
                        "SELECT 1 FROM pg_database WHERE datname = ?")) {
                    exists.setString(1, DATABASE);
                    try (ResultSet rows = exists.executeQuery()) {
                        if (!rows.next()) {
                            statement.execute("CREATE DATABASE " + DATABASE);
                        }
                    }
                }
            } catch (SQLException e) {
                if ("28P01".equals(e.getSQLState())) {
                    throw new DatabaseException("PostgreSQL in " + pgDir + " rejected the password in "
                            + dir.resolve("pg.password") + ": " + e.getMessage(), e);
                }
                throw e;
            }
            pid = postmasterPid;
            port = serverPort;
            adopted = adopting;
        }

        private Connection connect(int serverPort, String database) throws SQLException {
            Properties properties = new Properties();
            properties.setProperty("user", USER);
            properties.setProperty("password", password);
            properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
            properties.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
            properties.setProperty("socketTimeout", "60");
            properties.setProperty("ApplicationName", "custodian");
            return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + serverPort + "/" + database, properties);
        }

        private static String show(Statement statement, String setting) throws SQLException {
            try (ResultSet rows = statement.executeQuery("SHOW " + setting)) {
                rows.next();
                return rows.getString(1);
            }
        }

        // ---- initdb ----

        private void initializeIfNeeded() {
            if (Files.exists(pgDir.resolve("PG_VERSION"))) {
                return;
            }
            try {
                if (Files.exists(pgDir)) {
                    try (Stream<Path> entries = Files.list(pgDir)) {
                        if (entries.findAny().isPresent()) {
                            throw new DatabaseException(pgDir + " exists but is not a PostgreSQL data directory"
                                    + " (no PG_VERSION); move it away.");
                        }
                    }
                    Files.delete(pgDir);
                }
                log.accept("Creating a new PostgreSQL cluster in " + pgDir);
                Path passwordFile = createPasswordFile();
                Path staging = dir.resolve("pg.initdb");
                deleteRecursively(staging);
                Path pgLog = dir.resolve("pg.log");
                int exit = binaries.run("initdb", List.of("-D", staging.toString(), "-U", USER,
                        "-A", "scram-sha-256", "--pwfile=" + passwordFile, "-E", "UTF8", "--no-locale",
                        "--data-checksums"), pgLog, Duration.ofMinutes(5));
                if (exit != 0) {
                    throw new DatabaseException("initdb failed (exit " + exit + ") for " + pgDir + ": " + tail(pgLog));
                }
                Files.move(staging, pgDir, StandardCopyOption.ATOMIC_MOVE);
                syncDirectory(dir);
            } catch (IOException e) {
                throw new DatabaseException("Cannot create the PostgreSQL cluster in " + pgDir + ": " + e, e);
            }
        }

        /** Creates DIR/pg.password (0600) for a new cluster, keeping an existing one. */
        private Path createPasswordFile() throws IOException {
            Path file = dir.resolve("pg.password");
            if (Files.exists(file)) {
                return file;
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Path temporary = dir.resolve("pg.password.tmp");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap((secret + "\n").getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(dir);
            return file;
        }

        private String readPassword() {
            Path file = dir.resolve("pg.password");
            try {
                return Files.readAllLines(file, StandardCharsets.US_ASCII).get(0).strip();
            } catch (IOException | IndexOutOfBoundsException e) {
                throw new DatabaseException("Cannot read the PostgreSQL password from " + file + " (" + e
                        + "); it is created with the cluster in " + pgDir + ".", e);
            }
        }

        private void removeStalePidFile(String why) {
            Path file = pgDir.resolve("postmaster.pid");
            log.accept("Removing stale " + file + ": " + why);
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new DatabaseException("Cannot remove stale " + file + ": " + e, e);
            }
        }

        // ---- stopping ----

        /** Gives up this process's use of the server; stops it if no other process uses it. Never throws. */
        void release() {
            try {
                if (usersLock != null) {
                    usersLock.release();
                    usersLock = null;
                }
                FileLock exclusive = usersChannel.tryLock(0, Long.MAX_VALUE, false);
                if (exclusive == null) {
                    if (port != 0) {
                        log.accept("PostgreSQL in " + pgDir + " left running: another custodian process uses it");
                    }
                    return;
                }
                try {
                    stopIfRunning();
                } finally {
                    exclusive.release();
                }
            } catch (IOException | RuntimeException e) {
                log.accept("Problem while releasing PostgreSQL in " + pgDir + ": " + e);
            } finally {
                try {
                    usersChannel.close();
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }

        private void stopIfRunning() {
            PidFile pidFile = Postmaster.readPidFile(pgDir);
            if (pidFile == null || Postmaster.state(pidFile.pid(), pgDir) != ProcessState.POSTGRES_HERE) {
                return;
            }
            Path pgLog = dir.resolve("pg.log");
            int exit = binaries.run("pg_ctl", List.of("stop", "-D", pgDir.toString(), "-m", "fast", "-w",
                    "-t", Long.toString(STOP_TIMEOUT.toSeconds())), pgLog, STOP_TIMEOUT.plusSeconds(15));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (Postmaster.isAlive(pidFile.pid()) && System.nanoTime() < deadline) {
                pause(50);
            }
            if (Postmaster.isAlive(pidFile.pid())) {
                log.accept("PostgreSQL (pid " + pidFile.pid() + ") in " + pgDir + " did not stop within "
                        + STOP_TIMEOUT.toSeconds() + " s (pg_ctl exit " + exit + "); it goes on shutting down by itself");
            } else {
                log.accept("PostgreSQL in " + pgDir + " stopped");
            }
        }

        // ---- helpers ----

        private static FileLock lock(FileChannel channel, boolean shared, Consumer<String> log, String waiting)
                throws IOException {
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, shared);
            if (lock == null) {
                log.accept(waiting);
                lock = channel.lock(0, Long.MAX_VALUE, shared);
            }
            return lock;
        }

        private static int freeLoopbackPort() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new DatabaseException("Cannot find a free TCP port on 127.0.0.1: " + e, e);
            }
        }

        /** The last lines of a log file, on one line, for error messages. */
        private static String tail(Path logFile) {
            try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
                long start = Math.max(0, file.length() - 2048);
                byte[] bytes = new byte[(int) (file.length() - start)];
                file.seek(start);
                file.readFully(bytes);
                List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines()
                        .map(String::strip).filter(line -> !line.isEmpty()).toList();
                return String.join(" | ", lines.subList(Math.max(0, lines.size() - 4), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        private static void syncDirectory(Path directory) {
            try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
                channel.force(true);
            } catch (IOException ignored) {
                // best effort: not every file system lets a directory be synced
            }
        }

        private static void deleteRecursively(Path path) throws IOException {
            if (!Files.exists(path)) {
                return;
            }
            try (Stream<Path> walk = Files.walk(path)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }

        private static long elapsedSince(long nanoTime) {
            return (System.nanoTime() - nanoTime) / 1_000_000;
        }

        private static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DatabaseException("Interrupted while waiting for PostgreSQL", e);
            }
        }
    }
}
