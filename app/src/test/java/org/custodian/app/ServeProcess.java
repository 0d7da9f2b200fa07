package org.custodian.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code custodian serve --data DIR --port 0} as a child process, as an operator runs it beside the
 * administrator commands: its output collected, its URL read from the banner, stopped with SIGTERM.
 */
public final class ServeProcess implements AutoCloseable {
    private static final Pattern OPEN = Pattern.compile("Open:\\s+(http://\\S+/)");
    /** The banner's last line (Startup.printBanner). */
    private static final String BANNER_END = "Press Ctrl-C to stop.";

    private final Process process;
    private final List<String> output = new ArrayList<>();

    private ServeProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (output) {
                        output.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    /** The server's own token key in {@code data}, which it creates at its first start, as an issuer of tokens it accepts. */
    public static org.custodian.core.identity.TokenIssuer tokenIssuer(Path data) throws IOException {
        return new org.custodian.core.identity.TokenIssuer(org.custodian.core.identity.TokenKeys.loadOrCreate(data.resolve("keys"), () -> {
            throw new AssertionError("the server creates the token key");
        }), java.time.Clock.systemUTC());
    }

    /** Starts a server on a free port with this data directory (this test JVM's classpath). */
    public static ServeProcess start(Path data) throws IOException {
        return start(data, List.of());
    }

    /** Starts a server on a free port with this data directory and these further options. */
    public static ServeProcess start(Path data, List<String> options) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.custodian.app.Main",
                "serve", "--data", data.toString(), "--port", "0"));
        command.addAll(options);
        return new ServeProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /**
     * Starts a server on {@code port} (a fixed one: say, because the server must be told its own public
     * URL) with this data directory and these further options.
     */
    public static ServeProcess start(Path data, int port, List<String> options) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.custodian.app.Main",
                "serve", "--data", data.toString(), "--port", Integer.toString(port)));
        command.addAll(options);
        return new ServeProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Starts {@code custodian demo} (the demonstration's data and sign-in) on a free port with this data directory. */
    public static ServeProcess startDemo(Path data) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.custodian.app.Main", "demo", "--data", data.toString(), "--port", "0");
        return new ServeProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Waits (up to two minutes) until the output has a line containing {@code text}. */
    public void awaitOutput(String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (output().contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the server never printed '" + text + "':\n" + output());
    }

    /**
     * The URL the banner says to open (ending in /), once the whole banner is out (up to two minutes):
     * a test that reads the banner's later lines (profiles, sign-in, outbox) must not race its printing.
     */
    public String url() throws InterruptedException {
        awaitOutput(BANNER_END);
        synchronized (output) {
            for (String line : output) {
                Matcher m = OPEN.matcher(line);
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        throw new AssertionError("the server printed no URL:\n" + output());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything printed so far. */
    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** SIGTERM, as an operator stops it; forcibly if it has not stopped within a minute. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
