package org.custodian.app.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.cli.LogKeys;
import org.custodian.app.cli.TokenKeyFiles;
import org.custodian.app.database.Database;
import org.custodian.app.serve.CustodianNode;
import org.custodian.app.serve.Databases;
import org.custodian.core.identity.CustodianTokenVerifier;
import org.custodian.core.identity.TokenIssuer;
import org.custodian.core.identity.TokenKeys;
import org.custodian.core.registers.CareRelationship;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.RegisterDocument;
import org.custodian.core.registers.RegisterStore;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.records.fhir.FhirJson;
import org.custodian.records.store.Maintenance;
import org.custodian.records.validate.ProfileValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code custodian bench fhir}: the FHIR API end to end over loopback. Loads a Synthea population as
 * transaction bundles (each parsed, checked by the gate, indexed, stored and recorded in the ledger),
 * then reads Patients and searches Observations by patient through the gate and the ledger, each with a
 * baseline in the same run: HAPI parsing the same bundles without storing them, and endpoints that pass
 * neither the gate nor the ledger.
 */
@Command(name = "fhir", mixinStandardHelpOptions = true,
        description = {"Times the FHIR API over loopback: loading Synthea transaction bundles, GET /fhir/Patient/{id},"
            + " GET /fhir/Observation?patient=ID (at --clients and at 16) and GET /fhir/Patient/{id}/$everything (at 4),"
            + " each through the gate and the ledger; then custodian serve as a process of its own on the loaded database:"
            + " its start-up time, reads from it, and its resident memory (the points issue 4 compares with HAPI FHIR JPA).",
            "Baselines in the same run: HAPI parsing (the first 100 of) the same bundles in-process without storing them;"
                + " GET /fhir/metadata and GET /log/checkpoint (no gate, no ledger) with the same clients.",
            "Synthea's patients are American and have no NHS number: the benchmark gives each Patient a valid,"
                + " distinct one in memory before sending it, and registers an NHS organisation caring for them all.",
            "Runs its own server on an embedded PostgreSQL in a temporary directory, or in --data DIR (kept, and reused by the"
                + " next run); the clients share the machine's cores with it."})
public final class FhirBench implements Callable<Integer> {
    private static final String ORIGIN = "bench.custodian.local/fhir";
    private static final Organisation TRUST = new Organisation("RBENCH", "Benchmark NHS Foundation Trust", Sector.NHS_CARE);
    private static final Person CLINICIAN = new Person("dr-bench", "Dr Bench", Role.CLINICIAN, TRUST.id(), null);
    private static final Pattern PATIENT_LOCATION = Pattern.compile("\"location\"\\s*:\\s*\"Patient/([^/\"]+)");
    private static final Pattern RESPONSE = Pattern.compile("\"response\"\\s*:");
    private static final String RECEIPT = "X-Custodian-Receipt";
    /** HAPI FHIR JPA's figures in issue 4 were measured with these many clients; the benchmark measures ours the same way too. */
    private static final int HAPI_SEARCH_CLIENTS = 16;
    private static final int HAPI_EVERYTHING_CLIENTS = 4;
    /** The parse baseline's sample of the population: enough for steady per-resource figures, without minutes of parsing. */
    private static final int BASELINE_BUNDLES = 100;

    /** One Synthea patient in a thousand is a bundle over 64 MB; the benchmark loads them all over HTTP. */
    private static final long MAX_REQUEST_BYTES = 128_000_000L;

    @Option(names = "--patients", defaultValue = "1000", description = "patients to load (default: ${DEFAULT-VALUE})")
    int patients;

    @Option(names = "--population", paramLabel = "DIR", description = {"Synthea FHIR bundles to load (DIR or DIR/fhir); if DIR holds none,"
            + " Synthea generates the population there first (needs Maven and the source tree's bench/synthea/pom.xml)",
            "(default: custodian-data/bench/synthea-PATIENTS-seedSEED)"})
    Path population;

    @Option(names = "--seed", defaultValue = "1", description = "Synthea's seed when generating (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--clients", defaultValue = "64", description = "concurrent clients for reads and searches (default: ${DEFAULT-VALUE})")
    int clients;

    /** See {@link MultiplexedClients}: on 2 cores, a thread per client costs the server the machine's time in thread switches. */
    @Option(names = "--client-threads", defaultValue = "2", description = {"threads the clients are multiplexed on, each client with its own"
            + " connection and one request in flight, as wrk and h2load do; 0: a thread per client, blocking (default: ${DEFAULT-VALUE})"})
    int clientThreads;

    @Option(names = "--seconds", defaultValue = "10", description = "measured seconds per read or search run (default: ${DEFAULT-VALUE})")
    int seconds;

    /**
     * On 2 busy cores the JIT takes about a minute to compile the read path: 50-60 s after the start, C2 still took
     * 16-18% of the machine (see docs/benchmarks.md). Each run prints how long the JIT compiled during it.
     */
    @Option(names = "--warmup", defaultValue = "60", description = "seconds of warm-up before each read or search run (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--ingest-clients", defaultValue = "4", description = "concurrent clients posting patient bundles (default: ${DEFAULT-VALUE})")
    int ingestClients;

    private static final List<String> PHASES = List.of("reads", "search", "everything", "serve");

    /** Loading (phase 1) runs whenever the database holds no population, whatever this says. */
    @Option(names = "--phases", split = ",", defaultValue = "reads,search,everything,serve",
            description = "which measurements to run after loading, comma-separated: reads, search, everything, serve (default: all)")
    List<String> phases;

    @Option(names = "--data", paramLabel = "DIR", description = {"where to put the benchmark's database and keys (default: a temporary directory,"
            + " deleted after); kept, and if it already holds a population this command loaded, loading is skipped and the reads"
            + " run on it (delete DIR to load again)"})
    Path data;

    @Override
    public Integer call() throws Exception {
        if (patients < 1 || seconds < 1 || warmup < 0 || clients < 1 || clients > 1024 || ingestClients < 1 || ingestClients > 64
                || clientThreads < 0) {
            throw new CommandFailure(CommandFailure.USAGE, "need --patients >= 1, --seconds >= 1, --warmup >= 0, 1 <= --clients <= 1024,"
                    + " 1 <= --ingest-clients <= 64 and --client-threads >= 0");
        }
        for (String phase : phases) {
            if (!PHASES.contains(phase)) {
                throw new CommandFailure(CommandFailure.USAGE, "unknown phase '" + phase + "'; use " + String.join(", ", PHASES));
            }
        }
        SyntheaPopulation pop = population();
        List<Path> bundles = pop.patients().subList(0, Math.min(patients, pop.patients().size()));
        List<NhsNumber> nhsNumbers = SyntheaPopulation.nhsNumbers(bundles.size());
        System.out.printf("Custodian FHIR benchmark: %d cores, Java %s, load average %s; %,d patients from %s; %d ingest clients;"
                        + " %d clients, %d s per read run%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                load(), bundles.size(), pop.dir(), ingestClients, clients, seconds);
        if (bundles.size() < patients) {
            System.out.printf("   (the population has only %,d patient bundles)%n", bundles.size());
        }
        System.out.println("NHS numbers: Synthea's patients are American and have none, and Custodian stores records without one but never");
        System.out.println("   releases them (the gate cannot check anyone's consent). The benchmark therefore gives each Patient a valid,");
        System.out.printf("   distinct NHS number (%s, modulus-11, from 999 000 0000 up) in memory before sending it,%n", NhsNumber.SYSTEM);
        System.out.printf("   and registers them as patients of one NHS organisation (%s) with a clinician (%s) caring for all %,d.%n",
                TRUST.id(), CLINICIAN.id(), bundles.size());
        System.out.println();

        Path dir = data != null ? data.toAbsolutePath() : Files.createTempDirectory("custodian-bench-");
        try (Database database = Databases.openForBenchmark(dir)) {
            try (RegisterStore registers = RegisterStore.open(database.dataSource())) {
                registers.apply(registers(nhsNumbers));
            }
            // In DIR/keys, where `custodian serve --data DIR` finds them (phase 5 starts one).
            NoteSigner logKey = LogKeys.loadOrCreate(dir.resolve("keys"), ORIGIN);
            TokenKeys tokenKeys = TokenKeyFiles.loadOrCreate(dir.resolve("keys"), () -> java.util.Optional.of(ORIGIN));
            String token = new TokenIssuer(tokenKeys, Clock.systemUTC()).issue(CLINICIAN, TRUST, Purpose.TREAT, null, TokenIssuer.MAX_TTL).token();
            CpuMeter cpu = new CpuMeter(database.embedded() != null ? database.embedded().postmasterPid() : -1);
            List<String> patientIds;
            try (CustodianNode node = CustodianNode.start(database, logKey, tokenKeys,
                    new CustodianTokenVerifier(tokenKeys, Clock.systemUTC()), "127.0.0.1", 0, MAX_REQUEST_BYTES, List.of(),
                    ProfileValidator.off(), org.custodian.server.patients.PatientPages.SignIns.none(), java.util.Optional.empty())) {
                int port = node.port();

                patientIds = loadedPatients(database);
                if (!patientIds.isEmpty()) {
                    System.out.printf("1. Loading: skipped, %s already holds %s (loaded by an earlier run; delete it to load again).%n",
                            dir, databaseSize(database));
                } else {
                    System.out.println("1. Loading: POST /fhir with Synthea's bundles over loopback; every resource parsed, checked, indexed, stored and");
                    System.out.println("   recorded in the ledger, with the gate's decision for each patient, in one database transaction per bundle.");
                    loadProviders(port, token, pop.providers());
                    patientIds = loadPatients(port, token, bundles, nhsNumbers, cpu);
                    System.out.printf("   database after loading: %s; load average %s%n", databaseSize(database), load());
                    parseBaseline(bundles.subList(0, Math.min(BASELINE_BUNDLES, bundles.size())), nhsNumbers);
                }
                if (patientIds.isEmpty()) {
                    throw new CommandFailure("no patient bundle loaded, so there is nothing to read");
                }
                // Autovacuum would get there within minutes of the load; until it does, every search's total
                // visits the table as well as the index, and reads would measure that window, not the store.
                long v0 = System.nanoTime();
                Maintenance.vacuumAnalyze(database.dataSource());
                System.out.printf("   VACUUM (ANALYZE) of the records' tables, as autovacuum does after a bulk load (custodian import does it"
                        + " at once): %.1f s%n", (System.nanoTime() - v0) / 1e9);
                System.out.println();

                if (phases.contains("reads")) {
                    System.out.printf("2. Reads: GET /fhir/Patient/{id} over loopback, %s, a random loaded patient each time;%n",
                            LoopbackLoad.clientsRun(clients, clientThreads));
                    System.out.println("   each read decided by the gate and recorded in the ledger before the answer (checked: a receipt on every 200).");
                    run("GET /fhir/Patient/{id}", cpu, port, clients, read(port, token, patientIds));
                    run("GET /fhir/metadata (baseline: no gate, no ledger)", cpu, port, clients, plain(port, "/fhir/metadata"));
                    run("GET /log/checkpoint (baseline: the HTTP floor)", cpu, port, clients, plain(port, "/log/checkpoint"));
                    System.out.println();
                }
                if (phases.contains("search")) {
                    System.out.printf("3. Search: GET /fhir/Observation?patient=ID (first page, %d results at most, with its total) over loopback,%n",
                            org.custodian.records.search.Search.DEFAULT_COUNT);
                    System.out.printf("   a random patient of the %,d loaded each time; each search decided and recorded.%n", patientIds.size());
                    run("GET /fhir/Observation?patient=ID, " + clients + " clients", cpu, port, clients, search(port, token, patientIds));
                    if (clients != HAPI_SEARCH_CLIENTS) {
                        run("GET /fhir/Observation?patient=ID, " + HAPI_SEARCH_CLIENTS + " clients", cpu, port, HAPI_SEARCH_CLIENTS,
                                search(port, token, patientIds));
                    }
                    System.out.println();
                }
                if (phases.contains("everything")) {
                    System.out.printf("4. GET /fhir/Patient/{id}/$everything (first page, %d resources at most), %d clients, decided and recorded.%n",
                            org.custodian.records.search.Search.DEFAULT_COUNT, HAPI_EVERYTHING_CLIENTS);
                    run("GET /fhir/Patient/{id}/$everything", cpu, port, HAPI_EVERYTHING_CLIENTS, everything(port, token, patientIds));
                    System.out.println();
                }
            }
            if (phases.contains("serve")) {
                System.out.println("5. Start-up and memory: `custodian serve --data " + dir + "` in a process of its own, on the loaded database;");
                System.out.printf("   time until it serves, then %d s of GET /fhir/Patient/{id} from %d clients, then its resident memory.%n",
                        seconds, clients);
                startUpAndMemory(dir, token, patientIds);
            }
        } finally {
            if (data == null) {
                LedgerBench.deleteTree(dir);
            }
        }
        return 0;
    }

    private SyntheaPopulation population() throws IOException, InterruptedException {
        Path dir = (population != null ? population : Path.of("custodian-data", "bench", "synthea-" + patients + "-seed" + seed))
                .toAbsolutePath().normalize();
        SyntheaPopulation found = SyntheaPopulation.find(dir);
        if (found != null) {
            return found;
        }
        return SyntheaPopulation.generate(dir, patients, seed);
    }

    private static RegisterDocument registers(List<NhsNumber> nhsNumbers) {
        List<CareRelationship> care = new ArrayList<>(nhsNumbers.size());
        List<Person> people = new ArrayList<>(nhsNumbers.size() + 1);
        people.add(CLINICIAN);
        for (NhsNumber n : nhsNumbers) {
            people.add(new Person("patient-" + n.value(), "Patient " + n.formatted(), Role.PATIENT, TRUST.id(), n));
            care.add(new CareRelationship(n, TRUST.id(), CareRelationship.Kind.REGISTERED, LocalDate.of(2000, 1, 1), null));
        }
        RegisterDocument doc = RegisterDocument.of(List.of(TRUST), people, care, List.of(), List.of());
        if (!doc.problems().isEmpty()) {
            throw new CommandFailure("the benchmark's registers are wrong: " + doc.problems());
        }
        return doc;
    }

    // ---------------------------------------------------------------- loading

    private static byte[] post(int port, String token, byte[] body) {
        byte[] head = ("POST /fhir HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/fhir+json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    private static int count(Pattern p, String text) {
        Matcher m = p.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static void loadProviders(int port, String token, List<Path> providers) throws IOException {
        long t0 = System.nanoTime();
        int resources = 0;
        try (HttpConnection c = new HttpConnection("127.0.0.1", port, 600_000)) {
            for (Path p : providers) {
                HttpConnection.Response r = c.exchange(post(port, token, Files.readAllBytes(p)));
                if (r.status() != 200) {
                    throw new CommandFailure(p.getFileName() + " was refused (" + r.status() + "): " + abbreviated(r.body()));
                }
                resources += count(RESPONSE, r.body());
            }
        }
        System.out.printf("   providers: %d batch bundles, %,d organisations, locations and practitioners in %.1f s%n",
                providers.size(), resources, (System.nanoTime() - t0) / 1e9);
    }

    private List<String> loadPatients(int port, String token, List<Path> bundles, List<NhsNumber> nhsNumbers, CpuMeter cpu)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicLong resources = new AtomicLong();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        String[] patientIds = new String[bundles.size()];
        ExecutorService pool = Executors.newFixedThreadPool(ingestClients);
        List<Future<Latencies>> futures = new ArrayList<>();
        CpuMeter.Sample cpuBefore = cpu.sample();
        long started = System.nanoTime();
        for (int k = 0; k < ingestClients; k++) {
            futures.add(pool.submit(() -> {
                Latencies l = new Latencies();
                HttpConnection c = null;
                for (int i = next.getAndIncrement(); i < bundles.size(); i = next.getAndIncrement()) {
                    String name = bundles.get(i).getFileName().toString();
                    try {
                        byte[] request = post(port, token, SyntheaPopulation.withNhsNumber(Files.readAllBytes(bundles.get(i)), nhsNumbers.get(i)));
                        HttpConnection.Response r = null;
                        // A kept-alive connection may have been closed by the server since: one retry on a new one.
                        for (int attempt = 0; r == null; attempt++) {
                            boolean fresh = c == null;
                            if (fresh) {
                                c = new HttpConnection("127.0.0.1", port, 600_000);
                            }
                            long t0 = System.nanoTime();
                            try {
                                r = c.exchange(request);
                            } catch (IOException e) {
                                c.close();
                                c = null;
                                if (fresh || attempt > 0) {
                                    throw e;
                                }
                                continue;
                            }
                            l.add(System.nanoTime() - t0);
                        }
                        Matcher m = PATIENT_LOCATION.matcher(r.body());
                        if (r.status() != 200 || !m.find()) {
                            failures.add(String.format("%s (%,d bytes): %d %s", name, request.length, r.status(), abbreviated(r.body())));
                            c.close(); // the server may close it after a refusal
                            c = null;
                        } else {
                            patientIds[i] = m.group(1);
                            resources.addAndGet(count(RESPONSE, r.body()));
                        }
                    } catch (IOException | RuntimeException e) {
                        failures.add(name + ": " + e);
                        if (c != null) {
                            c.close();
                        }
                        c = null;
                    }
                    done.incrementAndGet();
                }
                if (c != null) {
                    c.close();
                }
                return l;
            }));
        }
        pool.shutdown();
        long lastResources = 0;
        long lastTime = started;
        while (!pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
            long now = System.nanoTime();
            long r = resources.get();
            System.out.printf("   ... %,d of %,d patient bundles, %,d resources, %,.0f resources/s (last 10 s: %,.0f/s; load average %s)%n",
                    done.get(), bundles.size(), r, r / ((now - started) / 1e9), (r - lastResources) / ((now - lastTime) / 1e9), load());
            lastResources = r;
            lastTime = now;
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        CpuMeter.Sample cpuAfter = cpu.sample();
        Latencies all = new Latencies();
        for (Future<Latencies> f : futures) {
            all.addAll(f.get());
        }
        long total = resources.get();
        int loaded = bundles.size() - failures.size();
        System.out.printf("   patients: %,d transaction bundles, %,d resources in %.1f s: %,.0f resources/s, %.1f bundles/s%n",
                loaded, total, elapsed, total / elapsed, loaded / elapsed);
        System.out.printf("             per bundle p50 %.0f ms, p99 %.0f ms, max %.0f ms; failures %d%n", all.percentileMillis(50),
                all.percentileMillis(99), all.percentileMillis(100), failures.size());
        for (String f : failures) {
            System.out.printf("             failed: %s%n", f);
        }
        System.out.printf("             %s (the JVM's includes the %d loading clients)%n",
                CpuMeter.perOperation(cpuBefore, cpuAfter, Math.max(1, total), "resource"), ingestClients);
        List<String> ids = new ArrayList<>();
        for (String id : patientIds) {
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    /**
     * The baseline: HAPI parsing the same bundles (with their NHS numbers) in-process with as many
     * threads as there were loading clients, and encoding each resource again as the store must, nothing
     * stored. CPU time per resource is measured per thread, so the figures hold on a busy machine too.
     */
    private void parseBaseline(List<Path> bundles, List<NhsNumber> nhsNumbers) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AtomicInteger next = new AtomicInteger();
        AtomicLong resources = new AtomicLong();
        AtomicLong parseCpu = new AtomicLong();
        AtomicLong encodeCpu = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(ingestClients);
        List<Future<?>> futures = new ArrayList<>();
        long started = System.nanoTime();
        for (int k = 0; k < ingestClients; k++) {
            futures.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < bundles.size(); i = next.getAndIncrement()) {
                    String json = new String(SyntheaPopulation.withNhsNumber(Files.readAllBytes(bundles.get(i)), nhsNumbers.get(i)),
                            StandardCharsets.UTF_8);
                    long t0 = threads.getCurrentThreadCpuTime();
                    Resource r = FhirJson.parse(json);
                    long t1 = threads.getCurrentThreadCpuTime();
                    int n = 0;
                    for (Bundle.BundleEntryComponent e : ((Bundle) r).getEntry()) {
                        FhirJson.encode(e.getResource());
                        n++;
                    }
                    long t2 = threads.getCurrentThreadCpuTime();
                    parseCpu.addAndGet(t1 - t0);
                    encodeCpu.addAndGet(t2 - t1);
                    resources.addAndGet(n);
                }
                return null;
            }));
        }
        pool.shutdown();
        for (Future<?> f : futures) {
            f.get();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        long n = Math.max(1, resources.get());
        double parseMicros = parseCpu.get() / 1e3 / n;
        double encodeMicros = encodeCpu.get() / 1e3 / n;
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("   baseline, the first %d of the same bundles in-process, nothing stored (%d threads): HAPI parse %.1f us CPU"
                + " per resource (at most %,.0f resources/s on %d cores);%n", bundles.size(), ingestClients, parseMicros, cores * 1e6 / parseMicros, cores);
        System.out.printf("             parse and encode each resource again %.1f us (at most %,.0f/s); the pass took %.1f s: %,.0f resources/s%n",
                parseMicros + encodeMicros, cores * 1e6 / (parseMicros + encodeMicros), elapsed, resources.get() / elapsed);
    }

    private static String databaseSize(Database database) {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_size_pretty(pg_database_size(current_database())),"
                        + " (SELECT count(*) FROM record_resources)")) {
            rs.next();
            return String.format("%s, %,d resources", rs.getString(1), rs.getLong(2));
        } catch (SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** The one-minute load average (Linux), so that figures from a shared machine can be read with it. */
    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String abbreviated(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    // ---------------------------------------------------------------- reads and searches

    private static byte[] get(int port, String path, String token) {
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** GET path-for-a-random-patient, answered 200 with its receipt and {@code expected} in the body. */
    private static LoopbackLoad.Http perPatient(int port, String token, List<String> ids, String path, String expected) {
        return new LoopbackLoad.Http((client, n, random) -> get(port, path.replace("{id}", ids.get(random.nextInt(ids.size()))), token),
                r -> r.status() == 200 && r.header(RECEIPT) != null && r.body().contains(expected));
    }

    private static LoopbackLoad.Http read(int port, String token, List<String> ids) {
        return perPatient(port, token, ids, "/fhir/Patient/{id}", "\"resourceType\":\"Patient\"");
    }

    private static LoopbackLoad.Http search(int port, String token, List<String> ids) {
        return perPatient(port, token, ids, "/fhir/Observation?patient={id}", "\"searchset\"");
    }

    private static LoopbackLoad.Http everything(int port, String token, List<String> ids) {
        return perPatient(port, token, ids, "/fhir/Patient/{id}/$everything", "\"searchset\"");
    }

    private static LoopbackLoad.Http plain(int port, String path) {
        byte[] request = get(port, path, null);
        return new LoopbackLoad.Http((client, n, random) -> request, r -> r.status() == 200);
    }

    /** {@code clients} clients on {@code port}, run as {@code --client-threads} says. */
    private LoopbackLoad load(int port, int clients) {
        return new LoopbackLoad(port, clients, seconds).multiplexed(clientThreads);
    }

    private void run(String name, CpuMeter cpu, int port, int clients, LoopbackLoad.Http http) throws Exception {
        load(port, clients).run(name, cpu, warmup, http);
    }

    // ---------------------------------------------------------------- start-up and memory

    /**
     * Starts {@code custodian serve} on the benchmark's data directory in a JVM of its own (this one's
     * classpath, default flags), times it to its "Open:" line, reads Patients from it, and reports its
     * resident memory (VmRSS; PostgreSQL's processes not included).
     */
    private void startUpAndMemory(Path dir, String token, List<String> patientIds) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "org.custodian.app.Main", "serve", "--data", dir.toString(), "--port", "0");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Pattern open = Pattern.compile("Open:\\s+http://127\\.0\\.0\\.1:(\\d+)/");
            int port = -1;
            List<String> printed = new ArrayList<>();
            for (String line; port < 0 && (line = out.readLine()) != null; ) {
                printed.add(line);
                Matcher m = open.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            double startSeconds = (System.nanoTime() - t0) / 1e9;
            if (port < 0) {
                throw new CommandFailure("custodian serve did not start:\n" + String.join("\n", printed));
            }
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // its log, not needed
                    }
                } catch (IOException ignored) {
                    // it stopped
                }
            });
            drain.setDaemon(true);
            drain.start();
            long rssAtStart = residentBytes(p.pid());
            LoopbackLoad.Result r = load(port, clients).measure(new CpuMeter(-1), warmup, read(port, token, patientIds));
            long rss = residentBytes(p.pid());
            System.out.printf("   start-up (process start to serving)  %.1f s%n", startSeconds);
            System.out.printf("   GET /fhir/Patient/{id} on it         %,.0f requests/s  p99 %.2f ms  failures %d%n",
                    r.latencies().count() / r.seconds(), r.latencies().percentileMillis(99), r.failures());
            System.out.printf("   resident memory (VmRSS, the JVM)     %,d MB when serving, %,d MB after the reads%n",
                    rssAtStart >> 20, rss >> 20);
        } finally {
            p.destroy(); // SIGTERM: it stops cleanly
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    /** Patients a previous run loaded into this database (linked ones: the benchmark gives each an NHS number). */
    private static List<String> loadedPatients(Database database) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT patient_id FROM record_patients WHERE nhs_number IS NOT NULL ORDER BY patient_id")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
