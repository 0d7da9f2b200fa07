package org.custodian.app.records;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A progress line on standard error for a long command. On a terminal it is redrawn in place ({@code \r})
 * at most ten times a second; otherwise (a log file, a pipe) a line is printed at most every ten seconds,
 * so that a log records progress without filling up. Notes (a file skipped) go to standard output
 * between redraws. Text is written as UTF-8, whatever the platform charset: file names are data.
 */
public final class Progress {
    private static final long TTY_INTERVAL = Duration.ofMillis(100).toNanos();
    private static final long LOG_INTERVAL = Duration.ofSeconds(10).toNanos();

    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private final int width;
    private long last = System.nanoTime();
    private String shown = "";

    Progress(PrintStream out, PrintStream err, boolean terminal) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.width = columns();
    }

    /** Progress on this process's standard error, redrawn in place if that is a terminal. */
    public static Progress onStandardStreams() {
        return new Progress(System.out, System.err, stderrIsTerminal());
    }

    /** Shows {@code line}, if enough time has passed since the last one was shown. */
    public void update(String line) {
        long t = System.nanoTime();
        if (t - last < (terminal ? TTY_INTERVAL : LOG_INTERVAL)) {
            return;
        }
        last = t;
        if (terminal) {
            String fitted = line.length() >= width ? line.substring(0, width - 4) + "..." : line;
            write(err, "\r" + fitted + " ".repeat(Math.max(0, shown.length() - fitted.length())));
            shown = fitted;
        } else {
            write(err, line + "\n");
        }
    }

    /** Prints a line on standard output, clearing the progress line first on a terminal. */
    public void note(String line) {
        clear();
        write(out, line + "\n");
    }

    /** Removes the progress line from a terminal (nothing to do in a log). */
    public void clear() {
        if (terminal && !shown.isEmpty()) {
            write(err, "\r" + " ".repeat(shown.length()) + "\r");
            shown = "";
        }
    }

    private static void write(PrintStream stream, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        stream.write(bytes, 0, bytes.length);
        stream.flush();
    }

    private static int columns() {
        try {
            int c = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80"));
            return c >= 20 ? c : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    /**
     * Whether standard error is a terminal. Java has no call for it ({@code System.console()} needs
     * standard input and output to be one): on Linux, where file descriptor 2 leads says; elsewhere, the
     * console's presence is the best guess.
     */
    static boolean stderrIsTerminal() {
        try {
            Path fd = Path.of("/proc/self/fd/2");
            if (Files.isSymbolicLink(fd)) {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not Linux, or not allowed to look: guess below
        }
        return System.console() != null;
    }

    /** A duration for people: "4.2 s", "37 s", "12 min 05 s". */
    public static String seconds(double s) {
        return s < 10 ? String.format("%.1f s", s) : s < 120 ? String.format("%.0f s", s) : String.format("%d min %02d s", (long) s / 60, (long) s % 60);
    }
}
