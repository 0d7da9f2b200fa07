package org.custodian.app.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.custodian.app.cli.CommandFailure;
import org.custodian.core.registers.NhsNumber;
import org.custodian.records.fhir.FhirJson;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * A Synthea population on disk: FHIR R4 bundles in a directory (or its {@code fhir/} folder, as Synthea
 * writes them), generated once by Synthea in its own JVM and reused by later runs. The provider bundles
 * ({@code hospitalInformation*}, {@code practitionerInformation*}) are batches to load first; every
 * other {@code .json} file is one patient's transaction bundle.
 */
final class SyntheaPopulation {
    /** Synthea's reference date ("today" in the simulation), fixed so that a seed gives the same population on any day. */
    static final String REFERENCE_DATE = "20250601";
    private static final String SYNTHEA_POM = "bench/synthea/pom.xml";

    private final Path dir;
    private final List<Path> providers;
    private final List<Path> patients;

    private SyntheaPopulation(Path dir, List<Path> providers, List<Path> patients) {
        this.dir = dir;
        this.providers = List.copyOf(providers);
        this.patients = List.copyOf(patients);
    }

    Path dir() {
        return dir;
    }

    /** Hospital information first (organisations, locations), then practitioners, which refer to them. */
    List<Path> providers() {
        return providers;
    }

    /** The patient bundles, sorted by file name. */
    List<Path> patients() {
        return patients;
    }

    /** The bundles in {@code dir} (or {@code dir/fhir}), or null if there are none. */
    static SyntheaPopulation find(Path dir) throws IOException {
        Path folder = Files.isDirectory(dir.resolve("fhir")) ? dir.resolve("fhir") : dir;
        if (!Files.isDirectory(folder)) {
            return null;
        }
        List<Path> hospitals = new ArrayList<>();
        List<Path> practitioners = new ArrayList<>();
        List<Path> patients = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".json") || !Files.isRegularFile(f)) {
                    continue;
                }
                if (name.contains("hospitalInformation")) {
                    hospitals.add(f);
                } else if (name.contains("practitionerInformation")) {
                    practitioners.add(f);
                } else {
                    patients.add(f);
                }
            }
        }
        if (patients.isEmpty()) {
            return null;
        }
        List<Path> providers = new ArrayList<>(hospitals);
        providers.addAll(practitioners);
        return new SyntheaPopulation(dir, providers, patients);
    }

    /**
     * Runs Synthea ({@value #SYNTHEA_POM}'s {@code org.mitre.synthea:synthea}) in its own JVM to write
     * {@code patients} living patients (and those who died on the way) into {@code dir}: FHIR R4
     * transaction bundles and the hospital and practitioner bundles, no other exporter. It writes into a
     * sibling directory first and renames it at the end, so an interrupted run leaves nothing to reuse.
     */
    static SyntheaPopulation generate(Path dir, int patients, long seed) throws IOException, InterruptedException {
        Path pom = locateSyntheaPom();
        Path partial = dir.resolveSibling(dir.getFileName() + ".partial");
        LedgerBench.deleteTree(partial);
        Files.createDirectories(partial);
        Path classpath = partial.resolve("synthea.classpath");
        System.out.printf("Generating %,d patients with Synthea (seed %d, reference date %s) in its own JVM; this takes a while.%n"
                + "   Synthea's log: %s%n", patients, seed, REFERENCE_DATE, partial.resolve("synthea.log"));
        run(List.of("mvn", "-B", "-q", "-f", pom.toString(), "dependency:build-classpath", "-Dmdep.outputFile=" + classpath),
                partial.resolve("maven.log"), "Maven could not resolve Synthea (org.mitre.synthea:synthea, see " + pom + ")", null);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx4g", "-cp", Files.readString(classpath).trim(), "App",
                "-p", Integer.toString(patients), "-s", Long.toString(seed), "-cs", Long.toString(seed), "-r", REFERENCE_DATE,
                "--exporter.baseDirectory=" + partial + "/",
                "--exporter.fhir.export=true", "--exporter.fhir.transaction_bundle=true",
                "--exporter.hospital.fhir.export=true", "--exporter.practitioner.fhir.export=true",
                "--exporter.pretty_print=false", "--exporter.metadata.export=false",
                "--exporter.ccda.export=false", "--exporter.csv.export=false", "--exporter.text.export=false",
                "--exporter.json.export=false", "--exporter.cpcds.export=false", "--exporter.bfd.export=false",
                "--exporter.cdw.export=false", "--exporter.groups.fhir.export=false",
                "Massachusetts"));
        long started = System.nanoTime();
        Path written = partial.resolve("fhir");
        run(command, partial.resolve("synthea.log"), "Synthea failed", () -> {
            long n = 0;
            if (Files.isDirectory(written)) {
                try (Stream<Path> s = Files.list(written)) {
                    n = s.count();
                } catch (IOException ignored) {
                    // progress only
                }
            }
            System.out.printf("   %,d files written after %.0f s%n", n, (System.nanoTime() - started) / 1e9);
        });
        List<String> shown = new ArrayList<>(command);
        shown.set(0, "java");
        shown.set(3, "$(cat synthea.classpath)");
        shown.set(shown.indexOf("--exporter.baseDirectory=" + partial + "/"), "--exporter.baseDirectory=./");
        Files.writeString(partial.resolve("synthea.command"), String.join(" ", shown) + "\n");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new CommandFailure(dir + " is not empty and holds no Synthea bundles; give an empty or new --population directory");
                }
            }
            Files.delete(dir);
        }
        Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("Synthea generated the population in %.0f s%n", (System.nanoTime() - started) / 1e9);
        SyntheaPopulation p = find(dir);
        if (p == null) {
            throw new CommandFailure("Synthea wrote no patient bundles into " + dir + "; see " + dir.resolve("synthea.log"));
        }
        return p;
    }

    /** Runs a command to completion with its output in {@code log}, calling {@code progress} (if any) every 30 s. */
    private static void run(List<String> command, Path log, String failure, Runnable progress) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new CommandFailure(failure + ": cannot run " + command.get(0) + " (" + e.getMessage() + ")");
        }
        try {
            while (!p.waitFor(30, TimeUnit.SECONDS)) {
                if (progress != null) {
                    progress.run();
                }
            }
            if (p.exitValue() != 0) {
                throw new CommandFailure(failure + " (exit " + p.exitValue() + "); see " + log);
            }
        } finally {
            if (p.isAlive()) {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** bench/synthea/pom.xml in the source tree: above the working directory, or above the application jar. */
    private static Path locateSyntheaPom() {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            starts.add(Path.of(SyntheaPopulation.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath());
        } catch (Exception ignored) {
            // no code source: the working directory is enough
        }
        for (Path start : starts) {
            for (Path d = start; d != null; d = d.getParent()) {
                Path pom = d.resolve(SYNTHEA_POM);
                if (Files.isRegularFile(pom)) {
                    return pom;
                }
            }
        }
        throw new CommandFailure("generating a population needs " + SYNTHEA_POM + " from Custodian's source tree and Maven:"
                + " run from the source tree, or give --population a directory of Synthea FHIR bundles");
    }

    // ---------------------------------------------------------------- NHS numbers

    /**
     * The {@code k}-th NHS number of the benchmark's series: 999 000 000 k plus its modulus-11 check
     * digit, skipping the nine-digit stems no check digit fits. (999 is the range the NHS uses for tests.)
     */
    static List<NhsNumber> nhsNumbers(int count) {
        List<NhsNumber> out = new ArrayList<>(count);
        for (long stem = 999_000_000L; out.size() < count; stem++) {
            String digits = Long.toString(stem);
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                sum += (digits.charAt(i) - '0') * (10 - i);
            }
            int check = (11 - sum % 11) % 11;
            if (check != 10) {
                out.add(new NhsNumber(digits + check));
            }
        }
        return out;
    }

    private static final Pattern PATIENT = Pattern.compile("\"resourceType\"\\s*:\\s*\"Patient\"");
    private static final Pattern IDENTIFIER = Pattern.compile("\"identifier\"\\s*:\\s*\\[");
    private static final Pattern RESOURCE_TYPE = Pattern.compile("\"resourceType\"\\s*:");
    /** Synthea writes the Patient first; its identifiers are within the first few kilobytes. */
    private static final int HEAD = 64 * 1024;

    /**
     * The bundle with {@code nhs} added as the first identifier of its Patient. The Patient's identifier
     * array is found in the text and the identifier spliced in (microseconds, and the rest of the bundle
     * byte for byte as Synthea wrote it); a bundle laid out otherwise is parsed and encoded with HAPI.
     */
    static byte[] withNhsNumber(byte[] bundle, NhsNumber nhs) {
        requireNonNull(nhs, "nhs is null");
        String head = new String(bundle, 0, Math.min(HEAD, bundle.length), StandardCharsets.ISO_8859_1);
        Matcher patient = PATIENT.matcher(head);
        if (patient.find()) {
            Matcher identifier = IDENTIFIER.matcher(head);
            Matcher next = RESOURCE_TYPE.matcher(head);
            boolean hasNext = next.find(patient.end());
            if (identifier.find(patient.end()) && (!hasNext || identifier.start() < next.start())
                    && head.charAt(identifier.start() - 1) != '\\') {
                byte[] inserted = ("{\"system\":\"" + NhsNumber.SYSTEM + "\",\"value\":\"" + nhs.value() + "\"},")
                        .getBytes(StandardCharsets.US_ASCII);
                int at = identifier.end();
                byte[] out = new byte[bundle.length + inserted.length];
                System.arraycopy(bundle, 0, out, 0, at);
                System.arraycopy(inserted, 0, out, at, inserted.length);
                System.arraycopy(bundle, at, out, at + inserted.length, bundle.length - at);
                return out;
            }
        }
        Resource r = FhirJson.parse(new String(bundle, StandardCharsets.UTF_8));
        if (r instanceof Bundle b) {
            for (Bundle.BundleEntryComponent e : b.getEntry()) {
                if (e.getResource() instanceof Patient p) {
                    p.getIdentifier().add(0, new org.hl7.fhir.r4.model.Identifier().setSystem(NhsNumber.SYSTEM).setValue(nhs.value()));
                    return FhirJson.encode(b).getBytes(StandardCharsets.UTF_8);
                }
            }
        }
        throw new CommandFailure("a patient bundle without a Patient: cannot give it an NHS number");
    }
}
