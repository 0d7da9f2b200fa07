package org.custodian.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.custodian.app.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code custodian bench activity} runs end to end at a tiny size, so that the command cannot rot: it
 * populates, reuses its population, and its ledger verifies. The figures are not checked (never a timed
 * unit test).
 */
class TestActivityBench {
    @TempDir
    Path dir;

    @Test
    void populatesThenTimesThePageOverHttpAndTheLedgerItWroteVerifies() {
        String data = dir.resolve("db").toString();
        Cli.Result r = Cli.run("bench", "activity", "--entries", "2000", "--patient-entries", "100", "--heavy-patients", "2", "--light-patients", "8", "--seconds", "1",
                "--warmup", "0", "--clients", "2", "--data", data).exits(0).showsNoJavaInternals();
        String out = r.out();
        assertTrue(out.contains("1. Population: 2,000 access.decision entries"), r::toString);
        assertTrue(out.contains("loaded 2,000 entries in"), r::toString);
        assertTrue(Pattern.compile("a signed checkpoint covers all [\\d,]+, [\\d.]+ s after the server started").matcher(out).find(), "waits for the sequencer; " + r);
        assertTrue(out.contains("Signed in through the demonstration's sign-in"), r::toString);
        for (String run : List.of("GET /log/checkpoint", "GET /my/activity, light patients", "GET /my/activity, Ada")) {
            Matcher m = Pattern.compile(Pattern.quote(run) + ".*?([\\d,]+) requests/s.*failures (\\d+)").matcher(out);
            assertTrue(m.find(), run + " printed no figures; " + r);
            assertFalse(m.group(1).equals("0"), run + " completed no request; " + r);
            assertEquals("0", m.group(2), run + " had failures; " + r);
        }
        // The COPY fired the ledger's trigger: the heavy patients' 100 entries (and the registers' entries about them) are in their lists.
        assertTrue(Pattern.compile("The heavy patients' lists: 10\\d-10\\d entries; this run measures Ada \\(").matcher(out).find(),
                "Ada first, though her list is longer by the registers' entries about her; " + r);
        Matcher heavy = Pattern.compile("the list: ([\\d,]+) entries at the start").matcher(out);
        assertTrue(heavy.find(), r::toString);
        int heavyEntries = Integer.parseInt(heavy.group(1).replace(",", ""));
        assertTrue(heavyEntries >= 100 && heavyEntries < 110, "the list holds the population's entries: " + r);
        assertTrue(out.contains("their lists: 10 entries at the start") || Pattern.compile("their lists: 1[0-2]-1\\d entries at the start")
                .matcher(out).find(), r::toString);
        for (String part : List.of("the gate's decision for a page view, durably appended", "page query", "count of the patient's entries",
                "the filters' organisations and purposes", "the entries in words")) {
            assertTrue(Pattern.compile(Pattern.quote(part) + ".*p50 +[\\d.]+ ms").matcher(out).find(), part + "; " + r);
        }
        assertTrue(out.contains("smaller than the target's, so no verdict"), r::toString);

        // Again on the same data: the population is reused, not loaded twice.
        Cli.Result again = Cli.run("bench", "activity", "--entries", "2000", "--patient-entries", "100", "--heavy-patients", "2", "--light-patients", "8", "--seconds", "1",
                "--warmup", "0", "--clients", "2", "--data", data).exits(0).showsNoJavaInternals();
        assertTrue(again.out().contains("1. Population: reused, 2,000 entries"), again::toString);
        assertTrue(again.out().contains("this run measures Bench Heavy Patient 2 ("), "the list the first run lengthened is left alone; " + again);
        assertFalse(again.out().contains("loaded 2,000 entries in"), again::toString);
        assertFalse(Pattern.compile("failures [1-9]").matcher(again.out()).find(), again::toString);

        // Other sizes on the same data are refused rather than mixed in.
        Cli.Result other = Cli.run("bench", "activity", "--entries", "3000", "--patient-entries", "100", "--heavy-patients", "2", "--light-patients", "8", "--data", data);
        assertTrue(other.toString().contains("holds a population of 2,000 entries"), other::toString);
        assertTrue(other.exitCode() != 0, other::toString);

        // Every entry the population wrote is a valid ledger entry: the tree recomputed from them matches the checkpoints.
        Cli.Result verify = Cli.run("ledger", "verify", "--data", data).exits(0);
        assertTrue(verify.out().contains("OK: every entry, tile and checkpoint verifies."), verify::toString);
    }

    @Test
    void thePlanGivesEachHeavyAndLightPatientExactlyTheirEntriesSpreadThroughTheLedger() {
        for (long[] sizes : new long[][] {{2000, 100, 2, 8}, {10_007, 1000, 3, 37}, {200_000, 10_000, 8, 400}, {5000, 1, 1, 1}}) {
            ActivityPopulation.Plan plan = ActivityPopulation.Plan.of(sizes[0], (int) sizes[1], (int) sizes[2], (int) sizes[3],
                    Instant.parse("2026-11-24T00:00:00Z"));
            Map<ActivityPopulation.Who, Integer> perPatient = new HashMap<>();
            long lastAda = -1;
            long widestGap = 0;
            ActivityPopulation.Who ada = new ActivityPopulation.Who(ActivityPopulation.Kind.HEAVY, 0);
            for (long i = 0; i < plan.entries(); i++) {
                ActivityPopulation.Who who = plan.who(i);
                perPatient.merge(who, 1, Integer::sum);
                if (who.equals(ada)) {
                    widestGap = Math.max(widestGap, i - lastAda);
                    lastAda = i;
                }
                int limit = switch (who.kind()) {
                    case HEAVY -> plan.heavyPatients();
                    case LIGHT -> plan.lightPatients();
                    case OTHER -> plan.otherPatients();
                };
                assertTrue(who.number() >= 0 && who.number() < limit, "position " + i);
                assertFalse(plan.time(i).isAfter(plan.end()), "before the population's end");
                if (i > 0) {
                    assertFalse(plan.time(i).isBefore(plan.time(i - 1)), "times in the ledger's order");
                }
            }
            for (int k = 0; k < plan.heavyPatients(); k++) {
                assertEquals((Integer) plan.patientEntries(), perPatient.get(new ActivityPopulation.Who(ActivityPopulation.Kind.HEAVY, k)),
                        "heavy patient " + k + " at " + List.of(sizes[0], sizes[1], sizes[2], sizes[3]));
            }
            for (int k = 0; k < plan.lightPatients(); k++) {
                assertEquals((Integer) ActivityPopulation.LIGHT_ENTRIES, perPatient.get(new ActivityPopulation.Who(ActivityPopulation.Kind.LIGHT, k)),
                        "light patient " + k);
            }
            long stride = plan.entries() / plan.patientEntries();
            assertTrue(widestGap <= stride + 2, "Ada's entries are spread evenly, not bunched: " + widestGap + " > " + stride);
            assertTrue(plan.entries() - lastAda <= stride + 2, "up to the end of the ledger");
            assertEquals(plan.heavyPatients(), new java.util.HashSet<>(plan.heavyNumbers()).size());
            assertEquals(ActivityPopulation.ADA, plan.heavyNumbers().get(0));
            assertTrue(java.util.Collections.disjoint(plan.heavyNumbers(), plan.lightNumbers()), "no patient is both");
        }
    }
}
