package org.custodian.app.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.custodian.ledger.note.Checkpoint;
import org.custodian.ledger.note.Note;
import org.custodian.ledger.note.NoteVerifiers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code custodian serve} and {@code custodian demo} as a user runs them: a separate process that
 * prints where its data is and which URL to open, serves the log, keeps its data and key across
 * restarts, and stops its embedded PostgreSQL cleanly on SIGTERM.
 */
class TestServeAndDemo {
    private static final Pattern OPEN = Pattern.compile("Open:\\s+(http://\\S+/)");

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        Path pid = dir.resolve("data/pg/postmaster.pid");
        if (Files.exists(pid)) {
            long postmaster = Long.parseLong(Files.readAllLines(pid).get(0).trim());
            ProcessHandle.of(postmaster).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** A running command: its process and everything it printed so far. */
    record Running(Process process, BlockingQueue<String> lines, List<String> output) {
        /** What the process printed so far (a copy: the reader thread keeps adding). */
        List<String> all() {
            synchronized (output) {
                return List.copyOf(output);
            }
        }

        String awaitLine(Pattern pattern) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(200, TimeUnit.MILLISECONDS);
                if (line != null && pattern.matcher(line).find()) {
                    return line;
                }
                if (line == null && !process.isAlive()) {
                    break;
                }
            }
            throw new AssertionError("no line matching " + pattern + " in:\n" + String.join("\n", all()));
        }
    }

    private Running start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.custodian.app.Main"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(process);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    all.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return new Running(process, lines, all);
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Alive and not a zombie (an exited postmaster whose parent, here PID 1, has not reaped it yet). */
    private static boolean running(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return false;
            }
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    private static long postmasterPid(Path data) throws IOException {
        return Long.parseLong(Files.readAllLines(data.resolve("pg/postmaster.pid")).get(0).trim());
    }

    @Test
    void serveSaysWhereItsDataIsServesTheLogAndStopsPostgresCleanlyOnSigterm() throws Exception {
        Path data = dir.resolve("data");
        Running serve = start("serve", "--data", data.toString(), "--port", "0");
        Matcher open = OPEN.matcher(serve.awaitLine(OPEN));
        assertTrue(open.find());
        String url = open.group(1);
        assertTrue(serve.all().stream().anyMatch(l -> l.contains(data.resolve("pg").toString())), "says where the data is");
        String verifier = serve.all().stream().filter(l -> l.contains("Verifier:")).findFirst().orElseThrow()
                .replaceFirst(".*Verifier:\\s+", "").trim();

        HttpResponse<String> checkpoint = get(url + "log/checkpoint");
        assertEquals(200, checkpoint.statusCode());
        Note.open(checkpoint.body(), List.of(NoteVerifiers.parse(verifier)));
        HttpResponse<String> home = get(url);
        assertEquals(200, home.statusCode());
        assertTrue(home.body().contains(verifier), "the home page shows the log's key");
        assertTrue(Files.exists(data.resolve("keys/log.key")));

        long postmaster = postmasterPid(data);
        serve.process().destroy(); // SIGTERM
        assertTrue(serve.process().waitFor(60, TimeUnit.SECONDS), "serve exits on SIGTERM");
        assertFalse(running(postmaster), "PostgreSQL was stopped");
        assertFalse(Files.exists(data.resolve("pg/postmaster.pid")), "and shut down cleanly");

        // Restarting keeps the data and the key.
        Running again = start("serve", "--data", data.toString(), "--port", "0");
        Matcher reopened = OPEN.matcher(again.awaitLine(OPEN));
        assertTrue(reopened.find());
        assertTrue(again.all().stream().anyMatch(l -> l.contains(verifier)), "the same log key after a restart");
        HttpResponse<String> after = get(reopened.group(1) + "log/checkpoint");
        assertEquals(Checkpoint.parse(Note.parse(checkpoint.body()).text()).size(),
                Checkpoint.parse(Note.parse(after.body()).text()).size(), "the same log after a restart");
    }

    @Test
    void demoGrowsTheLogAndItsCheckpointsCarryAWitnessCosignature() throws Exception {
        Path data = dir.resolve("data");
        Running demo = start("demo", "--data", data.toString(), "--port", "0");
        Matcher open = OPEN.matcher(demo.awaitLine(OPEN));
        assertTrue(open.find());
        String url = open.group(1);
        long first = -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String note = get(url + "log/checkpoint").body();
            long size = Checkpoint.parse(Note.parse(note).text()).size();
            int signatures = Note.parse(note).signatures().size();
            if (first < 0 && size > 0) {
                first = size;
            }
            if (first > 0 && size > first && signatures >= 2) {
                return; // grew, and carries the log's signature and a cosignature
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the demo log did not grow with cosigned checkpoints:\n" + String.join("\n", demo.all()));
    }

    @Test
    void badOptionsAreRefusedWithAMessageAndNoStackTrace() throws Exception {
        Running badPort = start("serve", "--data", dir.resolve("a").toString(), "--port", "99999");
        assertEquals(2, badPort.process().waitFor(60, TimeUnit.SECONDS) ? badPort.process().exitValue() : -1);
        Running unreachable = start("serve", "--db-url", "jdbc:postgresql://127.0.0.1:1/custodian", "--data", dir.resolve("b").toString());
        assertTrue(unreachable.process().waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, unreachable.process().exitValue());
        Running badWitness = start("serve", "--data", dir.resolve("c").toString(), "--witness", "not-a-witness");
        assertTrue(badWitness.process().waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, badWitness.process().exitValue());
        for (Running r : List.of(badPort, unreachable, badWitness)) {
            Thread.sleep(100);
            String output = String.join("\n", r.all());
            assertTrue(output.contains("custodian: "), "a message for the user: " + output);
            assertFalse(output.contains("\tat ") || output.contains("Exception"), "no stack trace: " + output);
        }
    }
}
