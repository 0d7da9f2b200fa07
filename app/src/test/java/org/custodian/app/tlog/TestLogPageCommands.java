package org.custodian.app.tlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.custodian.app.Cli;
import org.custodian.app.Cli.Result;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.server.transparency.WitnessedLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands {@code /transparency/log} prints, run as a reader would paste them: each {@code curl} is
 * done with an HTTP client (saving to {@code checkpoint.txt} where the page says so), each
 * {@code custodian tlog ...} through the real command line. They pass against the log that printed them.
 */
class TestLogPageCommands {
    @TempDir
    static Path dir;

    static WitnessedLog fixture;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        fixture = new WitnessedLog(dir.resolve("log"));
        fixture.appendAndAwaitCosigned(3);
        fixture.appendAndAwaitCosigned(40);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    static String get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return r.body();
    }

    /** Every command line in the page's {@code <pre>} blocks, unescaped. */
    static List<String> commandLines() throws Exception {
        String html = get(fixture.url("/transparency/log"));
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<pre[^>]*>(.*?)</pre>", Pattern.DOTALL).matcher(html);
        while (m.find()) {
            String text = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'").replace("&quot;", "\"").replace("&amp;", "&");
            for (String line : text.split("\n")) {
                if (line.startsWith("curl ") || line.startsWith("custodian ")) {
                    out.add(line);
                }
            }
        }
        return out;
    }

    /** Splits a shell line into words: spaces separate, single quotes group (all the page uses). */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)'|(\\S+)").matcher(line);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }

    @Test
    void everyCheckCommandOnThePagePassesAgainstTheLogThatPrintedIt() throws Exception {
        Path checkpointFile = dir.resolve("checkpoint.txt");
        Path monitorState = dir.resolve("monitor.checkpoint");
        List<String> lines = commandLines();
        int ran = 0;
        for (String line : lines) {
            List<String> w = words(line);
            if (w.get(0).equals("curl")) {
                assertEquals("-s", w.get(1), line);
                String body = get(w.get(2));
                if (w.size() == 5 && w.get(3).equals(">")) {
                    assertEquals("checkpoint.txt", w.get(4), line);
                    Files.writeString(checkpointFile, body, StandardCharsets.UTF_8);
                } else {
                    assertTrue(CanonicalJson.parse(body) instanceof java.util.Map, "a JSON proof: " + body);
                }
                continue;
            }
            if (w.get(1).equals("witness")) {
                continue; // a server that runs until stopped: its options are checked below
            }
            List<String> args = new ArrayList<>(w.subList(1, w.size()));
            args.replaceAll(a -> a.equals("checkpoint.txt") ? checkpointFile.toString() : a);
            if (args.get(1).equals("monitor")) {
                int interval = args.indexOf("--interval");
                args.remove(interval + 1);
                args.remove(interval);
                args.add("--state");
                args.add(monitorState.toString());
            }
            Result result = Cli.run(args.toArray(String[]::new));
            result.exits(0).showsNoJavaInternals();
            ran++;
        }
        // verify-note with the log's key and the cosigning witness's, consistency, inclusion, monitor.
        assertEquals(5, ran, String.join("\n", lines));

        // The monitor, run again after the log grew, finds the new checkpoint consistent with the one it saw.
        fixture.appendAndAwaitCosigned(10);
        String monitor = lines.stream().filter(l -> l.startsWith("custodian tlog monitor")).findFirst().orElseThrow();
        List<String> args = new ArrayList<>(words(monitor).subList(1, words(monitor).size() - 2));
        args.add("--state");
        args.add(monitorState.toString());
        Result again = Cli.run(args.toArray(String[]::new)).exits(0);
        assertTrue(again.out().contains("is consistent with size 43"), again.toString());
    }

    @Test
    void theWitnessCommandNamesThisLogsAddressAndKey() throws Exception {
        String witness = commandLines().stream().filter(l -> l.startsWith("custodian witness")).findFirst().orElseThrow();
        List<String> w = words(witness);
        assertEquals(fixture.url("/log"), w.get(w.indexOf("--log") + 1));
        assertEquals(fixture.logKey.verifierKeyText(), w.get(w.indexOf("--log-key") + 1));
        Result help = Cli.run("witness", "--help").exits(0);
        for (String option : List.of("--data", "--log", "--log-key", "--port")) {
            assertTrue(w.contains(option) && help.out().contains(option), option);
        }
        assertFalse(witness.contains("absent.test"), witness);
    }
}
