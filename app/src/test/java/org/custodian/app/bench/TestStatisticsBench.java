package org.custodian.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * {@code custodian bench statistics} runs end to end at a tiny size, so that the command cannot rot: it populates,
 * waits for the follower to count everything, times the three forms with every answer checked, and reuses its
 * population. The figures are not checked (never a timed unit test).
 */
class TestStatisticsBench {
    @TempDir
    Path dir;

    @Test
    void populatesCountsEverythingThenTimesTheThreeFormsWithNoFailedAnswer() {
        String data = dir.resolve("db").toString();
        Cli.Result r = Cli.run("bench", "statistics", "--entries", "2000", "--seconds", "1", "--warmup", "0", "--clients", "2", "--data", data)
                .exits(0).showsNoJavaInternals();
        String out = r.out();
        assertTrue(out.contains("1. Population: 2,000 access.decision entries"), r::toString);
        Matcher counted = Pattern.compile("all ([\\d,]+) counted").matcher(out);
        assertTrue(counted.find(), "waits until the follower has counted every entry; " + r);
        assertTrue(Long.parseLong(counted.group(1).replace(",", "")) >= 2000, r::toString);
        assertTrue(Pattern.compile("the counters: [\\d,]+ rows in \\d+ measures").matcher(out).find(), r::toString);
        for (String run : List.of("GET /log/checkpoint", "GET /transparency/statistics ", "GET /transparency/statistics.json",
                "GET /transparency/statistics.csv")) {
            Matcher m = Pattern.compile(Pattern.quote(run) + ".*?([\\d,]+) requests/s.*failures (\\d+)").matcher(out);
            assertTrue(m.find(), run + " printed no figures; " + r);
            assertFalse(m.group(1).equals("0"), run + " completed no request; " + r);
            assertEquals("0", m.group(2), run + " had failed answers; " + r);
        }
        assertTrue(Pattern.compile("Statistics.current\\(\\).*p50 +[\\d.]+ ms").matcher(out).find(), r::toString);
        assertTrue(out.contains("smaller than the target's, so no verdict"), r::toString);

        Cli.Result again = Cli.run("bench", "statistics", "--entries", "2000", "--seconds", "1", "--warmup", "0", "--clients", "1", "--data", data)
                .exits(0).showsNoJavaInternals();
        assertTrue(again.out().contains("1. Population: reused, 2,000 entries"), again::toString);
        assertFalse(Pattern.compile("failures [1-9]").matcher(again.out()).find(), again::toString);

        Cli.Result other = Cli.run("bench", "statistics", "--entries", "3000", "--data", data);
        assertTrue(other.exitCode() != 0 && other.toString().contains("holds a population of 2,000 entries"), other::toString);
    }
}
