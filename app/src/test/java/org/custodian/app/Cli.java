package org.custodian.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code custodian} in-process as a user would, through {@link Main#run}, capturing what it
 * prints on standard output and standard error (and feeding standard input when asked).
 *
 * <p>The captured streams encode text as US-ASCII, as Java 17's System.out does in a C/POSIX
 * locale (a container, a cron job, ssh without LANG): a command that must print bytes exactly
 * cannot rely on the platform charset. What was printed is read back as UTF-8.
 */
public final class Cli {
    /** A Java stack frame line, or a Java exception or error class name. */
    private static final Pattern JAVA_INTERNALS =
            Pattern.compile("(?m)^\\s*at [\\w$.]+\\(|\tat |\\b(?:java|javax|sun|jdk)\\.[a-z]+\\.|\\b[A-Z]\\w*(?:Exception|Error)\\b");

    private Cli() {
    }

    /** What one run printed and returned. */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }

        /** Asserts the exit code, showing everything printed when it differs. */
        public Result exits(int expected) {
            assertEquals(expected, exitCode, () -> "unexpected exit code; " + this);
            return this;
        }

        /** Asserts that nothing printed looks like a Java stack trace or names an exception class. */
        public Result showsNoJavaInternals() {
            for (String stream : new String[] {out, err}) {
                Matcher m = JAVA_INTERNALS.matcher(stream);
                assertFalse(m.find(), () -> "printed Java internals ('" + m.group() + "') to the user; " + this);
            }
            return this;
        }
    }

    /** Runs {@code custodian args...} with an empty standard input. */
    public static Result run(String... args) {
        return runWithInput(new byte[0], args);
    }

    /** Runs {@code custodian args...} with {@code stdin} as standard input. */
    public static synchronized Result runWithInput(byte[] stdin, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.US_ASCII);
                PrintStream e = new PrintStream(err, true, StandardCharsets.US_ASCII)) {
            System.setOut(o);
            System.setErr(e);
            System.setIn(new ByteArrayInputStream(Arrays.copyOf(stdin, stdin.length)));
            code = Main.run(args);
            o.flush();
            e.flush();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
