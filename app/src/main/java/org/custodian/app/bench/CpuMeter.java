package org.custodian.app.bench;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time used by this JVM and by the embedded PostgreSQL (its postmaster and every backend), so
 * that a run can report CPU per append: on a shared machine whose speed varies, that moves less
 * between runs than throughput does. PostgreSQL's share is read from Linux's /proc; elsewhere it is
 * reported as unknown (NaN).
 */
final class CpuMeter {
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on every Linux architecture we run on

    private final long postmasterPid;

    CpuMeter(long postmasterPid) {
        this.postmasterPid = postmasterPid;
    }

    /**
     * @param jitMillis time the JIT compilers have spent compiling so far (-1: unknown): a run during which they are
     *     still busy measures a JVM that is still warming up, and on 2 cores the compiler threads take the cores the
     *     server would have used (C2 was 16-18% of the machine's CPU samples 50 s into a FHIR read run here)
     */
    record Sample(long jvmNanos, long postgresNanos, long jitMillis) {}

    Sample sample() {
        return new Sample(jvmNanos(), postgresNanos(), jitMillis());
    }

    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    private static long jvmNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** utime + stime of the postmaster and its live children, plus what its reaped children used. */
    private long postgresNanos() {
        if (postmasterPid <= 0 || !Files.isDirectory(Path.of("/proc/" + postmasterPid))) {
            return -1;
        }
        long ticks = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long[] stat = stat(p.resolve("stat"));
                if (stat == null) {
                    continue;
                }
                long pid = Long.parseLong(name);
                if (pid == postmasterPid) {
                    ticks += stat[1] + stat[2] + stat[3] + stat[4];
                } else if (stat[0] == postmasterPid) {
                    ticks += stat[1] + stat[2];
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    /** ppid, utime, stime, cutime, cstime from /proc/PID/stat, or null if the process is gone. */
    private static long[] stat(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            return null;
        }
        // The command name is in parentheses and may hold spaces: fields are counted after it.
        String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
        // After the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]),
            Long.parseLong(f[13]), Long.parseLong(f[14])};
    }

    /** Microseconds of CPU per operation between two samples, JVM and PostgreSQL. */
    static String perOperation(Sample from, Sample to, long operations) {
        return perOperation(from, to, operations, "append");
    }

    /** The same, naming the operation ("cpu per resource: ..."). */
    static String perOperation(Sample from, Sample to, long operations, String operation) {
        double jvm = from.jvmNanos() < 0 ? Double.NaN : (to.jvmNanos() - from.jvmNanos()) / 1e3 / operations;
        double pg = from.postgresNanos() < 0 || to.postgresNanos() < 0
                ? Double.NaN : (to.postgresNanos() - from.postgresNanos()) / 1e3 / operations;
        String line = String.format("cpu per %s: JVM %5.1f us, PostgreSQL %5.1f us", operation, jvm, pg);
        if (from.jitMillis() >= 0 && to.jitMillis() >= 0) {
            line += String.format("; JIT compiling %.1f s", (to.jitMillis() - from.jitMillis()) / 1e3);
        }
        return line;
    }
}
