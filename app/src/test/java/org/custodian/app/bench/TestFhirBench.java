package org.custodian.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.custodian.app.Cli;
import org.custodian.core.registers.NhsNumber;
import org.custodian.ledger.testing.SharedData;
import org.custodian.records.fhir.FhirJson;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code custodian bench fhir} runs end to end on the shared Synthea bundles, so that the command
 * cannot rot; it never generates a population here (Synthea takes minutes and is no part of the build).
 */
class TestFhirBench {
    private static final Path SYNTHEA = SharedData.locate("shared/data/fhir/synthea");

    @TempDir
    Path dir;

    @Test
    void loadsTheSharedBundlesThenReadsAndSearchesThroughTheGateWithoutAFailure() throws Exception {
        List<Path> before;
        try (var s = Files.list(SYNTHEA.getParent())) {
            before = s.sorted().toList();
        }
        Cli.Result r = Cli.run("bench", "fhir", "--patients", "10", "--population", SYNTHEA.toString(), "--data", dir.resolve("db").toString(),
                "--seconds", "1", "--warmup", "0", "--clients", "4", "--ingest-clients", "2").exits(0).showsNoJavaInternals();
        String out = r.out();
        assertTrue(out.contains("the population has only 5 patient bundles"), r::toString);
        assertTrue(out.contains("4 clients multiplexed on 2 threads"), "the default: clients multiplexed, as wrk does; " + r);
        assertTrue(out.contains("gives each Patient a valid,") && out.contains(NhsNumber.SYSTEM), "says it adds NHS numbers; " + r);
        assertTrue(out.contains("patients: 5 transaction bundles"), r::toString);
        for (String run : List.of("GET /fhir/Patient/{id}", "GET /fhir/metadata", "GET /log/checkpoint", "GET /fhir/Observation?patient=ID",
                "GET /fhir/Observation?patient=ID, 16 clients", "GET /fhir/Patient/{id}/$everything", "GET /fhir/Patient/{id} on it")) {
            Matcher m = Pattern.compile(Pattern.quote(run) + ".*?([\\d,]+) requests/s.*failures (\\d+)").matcher(out);
            assertTrue(m.find(), run + " printed no figures; " + r);
            assertFalse(m.group(1).equals("0"), run + " completed no request; " + r);
            assertEquals("0", m.group(2), run + " had failures; " + r);
        }
        assertTrue(Pattern.compile("failures 0\\b").matcher(out).find(), r::toString);
        assertFalse(Pattern.compile("failures [1-9]").matcher(out).find(), "every bundle, read and search succeeds; " + r);
        assertTrue(out.contains("HAPI parse") && out.contains("cpu per resource") && out.contains("cpu per request"), r::toString);
        assertTrue(Pattern.compile("cpu per request: .*; JIT compiling \\d+\\.\\d s").matcher(out).find(),
                "says how long the JIT compiled during each run (a JVM still warming up is not measured unawares); " + r);
        assertTrue(Pattern.compile("start-up \\(process start to serving\\) +[\\d.]+ s").matcher(out).find(), r::toString);
        assertTrue(Pattern.compile("resident memory \\(VmRSS, the JVM\\) +\\d+ MB").matcher(out).find(), r::toString);

        // The same --data again: the population is there, so loading is skipped and the reads run on it.
        Cli.Result again = Cli.run("bench", "fhir", "--patients", "10", "--population", SYNTHEA.toString(), "--data",
                dir.resolve("db").toString(), "--seconds", "1", "--warmup", "0", "--clients", "4", "--client-threads", "0", "--phases", "reads")
                .exits(0).showsNoJavaInternals();
        assertTrue(again.out().contains("1. Loading: skipped"), again::toString);
        assertTrue(again.out().contains("4 clients, a thread each"), again::toString);
        assertFalse(again.out().contains("3. Search") || again.out().contains("5. Start-up"), "only the reads were asked for; " + again);
        assertTrue(Pattern.compile("GET /fhir/Patient/\\{id\\} +[1-9][\\d,]* requests/s").matcher(again.out()).find(), again::toString);
        assertFalse(again.out().contains("patients: 5 transaction bundles"), again::toString);
        assertFalse(Pattern.compile("failures [1-9]").matcher(again.out()).find(), again::toString);
        try (var s = Files.list(SYNTHEA.getParent())) {
            assertEquals(before, s.sorted().toList(), "nothing is generated or written beside the shared bundles");
        }
    }

    @Test
    void theNhsNumbersAreValidAndDistinct() {
        List<NhsNumber> numbers = SyntheaPopulation.nhsNumbers(5_000);
        assertEquals(5_000, new HashSet<>(numbers).size());
        for (NhsNumber n : numbers) {
            assertTrue(NhsNumber.isValid(n.value()) && n.value().startsWith("999"), n.value());
        }
        assertEquals(numbers.subList(0, 10), SyntheaPopulation.nhsNumbers(10), "the same series on every run");
    }

    @Test
    void thePatientGetsTheNhsNumberWhetherTheBundleIsPrettyCompactOrLaidOutOtherwise() throws Exception {
        Path file;
        try (var s = Files.list(SYNTHEA)) {
            file = s.filter(p -> p.getFileName().toString().startsWith("53eac4c0")).findFirst().orElseThrow();
        }
        String pretty = Files.readString(file);
        Bundle parsed = (Bundle) FhirJson.parse(pretty);
        String compact = FhirJson.encode(parsed);
        Patient p = (Patient) parsed.getEntryFirstRep().getResource();
        p.setIdentifier(new java.util.ArrayList<>());
        String withoutIdentifiers = FhirJson.encode(parsed);
        NhsNumber nhs = SyntheaPopulation.nhsNumbers(1).get(0);
        for (String bundle : List.of(pretty, compact, withoutIdentifiers)) {
            byte[] rewritten = SyntheaPopulation.withNhsNumber(bundle.getBytes(StandardCharsets.UTF_8), nhs);
            Bundle b = (Bundle) FhirJson.parse(new String(rewritten, StandardCharsets.UTF_8));
            assertEquals(((Bundle) FhirJson.parse(bundle)).getEntry().size(), b.getEntry().size());
            Patient patient = (Patient) b.getEntryFirstRep().getResource();
            Identifier first = patient.getIdentifierFirstRep();
            assertNotNull(first);
            assertEquals(NhsNumber.SYSTEM, first.getSystem());
            assertEquals(nhs.value(), first.getValue());
            assertEquals(1, patient.getIdentifier().stream().filter(i -> NhsNumber.SYSTEM.equals(i.getSystem())).count());
        }
    }
}
