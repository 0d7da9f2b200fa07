package org.custodian.app.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.database.Database;
import org.custodian.app.serve.CustodianNode;
import org.custodian.app.serve.Databases;
import org.custodian.core.decisions.AccessRequest;
import org.custodian.core.decisions.RecordingGate;
import org.custodian.core.identity.TokenIssuer;
import org.custodian.core.identity.TokenKeys;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.RegisterDocument;
import org.custodian.core.registers.RegisterStore;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.records.validate.ProfileValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code custodian bench decisions}: {@code POST /api/decisions} over loopback with concurrent
 * clients, each decision durably appended to the ledger before it is answered; with, as the baseline
 * in the same run, the same decisions made in-process (the recording gate without HTTP).
 */
@Command(name = "decisions", mixinStandardHelpOptions = true,
        description = {"Times POST /api/decisions over loopback (each decision durably recorded) with concurrent clients.",
            "Baseline in the same run: the same decisions through the recording gate in-process, without HTTP.",
            "Runs its own server on a fresh embedded PostgreSQL; the clients share the machine's cores with it."})
public final class DecisionBench implements Callable<Integer> {
    private static final String ORIGIN = "bench.custodian.local/decisions";

    @Option(names = "--seconds", defaultValue = "10", description = "measured seconds per run (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--clients", defaultValue = "64", description = "concurrent clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--warmup", defaultValue = "3", description = "seconds of warm-up before each run (default: ${DEFAULT-VALUE})")
    int warmup;

    /** See {@link MultiplexedClients}. */
    @Option(names = "--client-threads", defaultValue = "2", description = {"threads the HTTP clients are multiplexed on, each client with"
            + " its own connection and one request in flight; 0: a thread per client, blocking (default: ${DEFAULT-VALUE})"})
    int clientThreads;

    @Option(names = "--data", paramLabel = "DIR", description = "where to put the benchmark's database (default: a temporary directory, deleted after)")
    Path data;

    /** One kind of request in the mix. */
    private record Kind(String token, String body, AccessRequest request) {}

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || clients < 1 || clients > 1024 || warmup < 0 || clientThreads < 0) {
            throw new CommandFailure(CommandFailure.USAGE, "need --seconds >= 1, 1 <= --clients <= 1024, --warmup >= 0 and --client-threads >= 0");
        }
        Path dir = data != null ? data.toAbsolutePath() : Files.createTempDirectory("custodian-bench-");
        System.out.printf("Custodian decision benchmark: %d cores, Java %s; %d clients, %d s per run%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), clients, seconds);
        try (Database database = Databases.openForBenchmark(dir)) {
            DataSource ds = database.dataSource();
            try (RegisterStore registers = RegisterStore.open(ds)) {
                registers.apply(RegisterDocument.parse(demoRegisters()));
            }
            NoteSigner logKey = NoteSigner.generate(ORIGIN);
            TokenKeys tokenKeys = TokenKeys.generate(ORIGIN);
            try (CustodianNode node = CustodianNode.start(database, logKey, tokenKeys,
                    new org.custodian.core.identity.CustodianTokenVerifier(tokenKeys, Clock.systemUTC()), "127.0.0.1", 0,
                    org.custodian.server.CustodianServer.DEFAULT_MAX_REQUEST_BYTES, List.of(), ProfileValidator.off(), org.custodian.server.patients.PatientPages.SignIns.none(), java.util.Optional.empty())) {
                List<Kind> mix = mix(new TokenIssuer(tokenKeys, Clock.systemUTC()));
                System.out.println("Mix: direct care with a relationship (permit), research under an approved project (permit),");
                System.out.println("     reception reading for care (statutory deny): every one appended to the ledger before the answer.");
                System.out.println();
                LoopbackLoad load = new LoopbackLoad(node.port(), clients, seconds).multiplexed(clientThreads);
                CpuMeter cpu = new CpuMeter(database.embedded() != null ? database.embedded().postmasterPid() : -1);
                System.out.printf("Over HTTP: %s.%n", load.clientsRun());
                load.run("in-process (baseline: recording gate, no HTTP)", cpu, warmup, inProcess(node.gate(), mix));
                load.run("POST /api/decisions over loopback", cpu, warmup, overHttp(node.port(), mix));
                load.run("GET /log/key over loopback (the HTTP floor: no token, gate or ledger)", cpu, warmup, load.get("/log/key", r -> true));
            }
        } finally {
            if (data == null) {
                LedgerBench.deleteTree(dir);
            }
        }
        return 0;
    }

    private static byte[] demoRegisters() throws java.io.IOException {
        try (var in = DecisionBench.class.getResourceAsStream("/org/custodian/app/demo/registers.json")) {
            if (in == null) {
                throw new CommandFailure("the demo registers are missing from the application jar");
            }
            return in.readAllBytes();
        }
    }

    private static List<Kind> mix(TokenIssuer issuer) {
        Organisation practice = new Organisation("A99001", "Riverside Medical Practice", org.custodian.core.registers.Sector.NHS_CARE);
        Organisation university = new Organisation("univ-northfield", "University of Northfield", org.custodian.core.registers.Sector.PUBLIC_RESEARCH);
        Person gp = new Person("dr-okafor", "Dr Ngozi Okafor", org.custodian.core.registers.Role.CLINICIAN, practice.id(), null);
        Person reception = new Person("reception-jones", "Carys Jones", org.custodian.core.registers.Role.RECEPTION, practice.id(), null);
        Person researcher = new Person("prof-nguyen", "Prof Linh Nguyen", org.custodian.core.registers.Role.RESEARCHER, university.id(), null);
        org.custodian.core.registers.Project study = new org.custodian.core.registers.Project("diabetes-outcomes", university.id(),
                Purpose.HRESCH, DataForm.PSEUDONYMISED, org.custodian.core.registers.Project.Status.APPROVED, null,
                java.time.LocalDate.of(2027, 12, 31), "REC 25/NW/0123", null, null, List.of());
        NhsNumber ada = new NhsNumber("9434765919");
        NhsNumber ben = new NhsNumber("9434765870");
        Duration ttl = Duration.ofHours(1);
        String gpToken = issuer.issue(gp, practice, Purpose.TREAT, null, ttl).token();
        String researchToken = issuer.issue(researcher, university, Purpose.HRESCH, study, ttl).token();
        String receptionToken = issuer.issue(reception, practice, Purpose.TREAT, null, ttl).token();
        return List.of(
                new Kind(gpToken, body(ada, "identifiable"), request(gp, practice, Purpose.TREAT, ada, DataForm.IDENTIFIABLE, null)),
                new Kind(gpToken, body(ben, "identifiable"), request(gp, practice, Purpose.TREAT, ben, DataForm.IDENTIFIABLE, null)),
                new Kind(researchToken, body(ada, "pseudonymised"),
                        request(researcher, university, Purpose.HRESCH, ada, DataForm.PSEUDONYMISED, study.id())),
                new Kind(receptionToken, body(ben, "identifiable"), request(reception, practice, Purpose.TREAT, ben, DataForm.IDENTIFIABLE, null)));
    }

    private static String body(NhsNumber patient, String form) {
        return "{\"patient\":\"" + patient.value() + "\",\"resources\":[\"Observation\",\"Condition\"],\"form\":\"" + form + "\"}";
    }

    private static AccessRequest request(Person who, Organisation org, Purpose purpose, NhsNumber patient, DataForm form, String project) {
        return new AccessRequest(who, org, purpose, patient, form, Set.of(), List.of("Observation", "Condition"), project, "bench");
    }

    /** The recording gate itself, each client on a thread of its own going round the mix from its own place. */
    private static LoopbackLoad.Loop inProcess(RecordingGate gate, List<Kind> mix) {
        return (client, measuring, stop, failures) -> {
            Latencies l = new Latencies();
            for (int i = client; !stop.get(); i++) {
                long t0 = System.nanoTime();
                try {
                    gate.decide(mix.get(i % mix.size()).request());
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                    continue;
                }
                if (measuring.get()) {
                    l.add(System.nanoTime() - t0);
                }
            }
            return l;
        };
    }

    /** The same mix over HTTP: answered 200 with a receipt (the decision was recorded) or it failed. */
    private static LoopbackLoad.Http overHttp(int port, List<Kind> mix) {
        List<byte[]> requests = new ArrayList<>();
        for (Kind k : mix) {
            byte[] body = k.body().getBytes(StandardCharsets.UTF_8);
            requests.add(("POST /api/decisions HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + k.token()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n" + k.body())
                    .getBytes(StandardCharsets.UTF_8));
        }
        return new LoopbackLoad.Http((client, n, random) -> requests.get((int) ((client + n) % requests.size())),
                r -> r.status() == 200 && r.body().contains("\"receipt\""));
    }
}
