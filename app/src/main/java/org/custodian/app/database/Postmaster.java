package org.custodian.app.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * What a data directory's {@code postmaster.pid} says, and what the process it names really is.
 *
 * <p>Linux only (reads /proc), like the binaries we ship.
 */
final class Postmaster {
    /** The state of the process named by a postmaster.pid. */
    enum ProcessState {
        /** No such process: the file is stale; postgres replaces it by itself. */
        DEAD,
        /** The process has exited but was not reaped yet; postgres still takes it for alive. */
        ZOMBIE,
        /** A postgres process whose command line names this data directory (or no directory at all). */
        POSTGRES_HERE,
        /** Some other process (its pid was reused): postgres would refuse to start, the file must go. */
        OTHER
    }

    /**
     * The lines of postmaster.pid we use (see PostgreSQL's pidfile.h): 1 pid, 2 data directory, 4 port,
     * 8 status ("starting", "stopping", "ready", "standby"; absent while the postmaster is starting).
     */
    record PidFile(long pid, int port, String status) {
        boolean ready() {
            return "ready".equals(status);
        }
    }

    private Postmaster() {
    }

    /**
     * Reads {@code pgDir/postmaster.pid}: null when there is none, a PidFile with pid 0 when it exists but
     * cannot be parsed (being written, or left empty by a crash).
     */
    static PidFile readPidFile(Path pgDir) {
        List<String> lines;
        try {
            lines = Files.readAllLines(pgDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return new PidFile(0, 0, "");
        }
        long pid = lines.isEmpty() ? 0 : parseLong(lines.get(0));
        int port = lines.size() < 4 ? 0 : (int) parseLong(lines.get(3));
        String status = lines.size() < 8 ? "" : lines.get(7).strip();
        return new PidFile(pid, port, status);
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static ProcessState state(long pid, Path pgDir) {
        if (pid <= 0) {
            return ProcessState.DEAD;
        }
        Path proc = Path.of("/proc", Long.toString(pid));
        String stat;
        byte[] cmdline;
        try {
            stat = Files.readString(proc.resolve("stat"), StandardCharsets.UTF_8);
            cmdline = Files.readAllBytes(proc.resolve("cmdline"));
        } catch (IOException e) {
            return Files.exists(proc) ? ProcessState.OTHER : ProcessState.DEAD;
        }
        int afterName = stat.lastIndexOf(')');
        if (afterName > 0 && afterName + 2 < stat.length() && stat.charAt(afterName + 2) == 'Z') {
            return ProcessState.ZOMBIE;
        }
        String[] argv = new String(cmdline, StandardCharsets.UTF_8).split("\0");
        if (argv.length == 0 || !(argv[0].equals("postgres") || argv[0].endsWith("/postgres"))) {
            return ProcessState.OTHER;
        }
        for (int i = 1; i + 1 < argv.length; i++) {
            if (argv[i].equals("-D")) {
                return samePath(Path.of(argv[i + 1]), pgDir) ? ProcessState.POSTGRES_HERE : ProcessState.OTHER;
            }
        }
        // A postgres without -D (PGDATA in its environment): cannot tell from here; the connection check
        // (SHOW data_directory) decides.
        return ProcessState.POSTGRES_HERE;
    }

    static boolean isAlive(long pid) {
        ProcessState state = state(pid, Path.of("/"));
        return state != ProcessState.DEAD && state != ProcessState.ZOMBIE;
    }

    static boolean samePath(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }
}
