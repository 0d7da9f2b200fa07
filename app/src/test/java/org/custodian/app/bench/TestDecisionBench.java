package org.custodian.app.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.custodian.app.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code custodian bench decisions} runs end to end, both ways of running its clients, so that the command cannot rot:
 * every decision over HTTP answered with its receipt, none failing.
 */
class TestDecisionBench {
    @TempDir
    Path dir;

    @Test
    void decidesInProcessAndOverHttpWithoutAFailureWhetherClientsAreMultiplexedOrNot() {
        for (String threads : List.of("2", "0")) {
            Cli.Result r = Cli.run("bench", "decisions", "--seconds", "1", "--warmup", "1", "--clients", "4", "--client-threads", threads,
                    "--data", dir.resolve("db-" + threads).toString()).exits(0).showsNoJavaInternals();
            String out = r.out();
            assertTrue(out.contains(threads.equals("0") ? "4 clients, a thread each" : "4 clients multiplexed on 2 threads"), r::toString);
            for (String run : List.of("in-process (baseline", "POST /api/decisions over loopback", "GET /log/key over loopback")) {
                Matcher m = Pattern.compile(Pattern.quote(run) + ".*? ([\\d,]+) requests/s.*failures (\\d+)").matcher(out);
                assertTrue(m.find(), run + " printed no figures; " + r);
                assertFalse(m.group(1).equals("0"), run + " completed nothing; " + r);
                assertTrue(m.group(2).equals("0"), run + " had failures; " + r);
            }
        }
    }
}
