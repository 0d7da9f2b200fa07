package org.custodian.app.serve;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.cli.DataOptions;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.LedgerUnavailableException;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.note.CosignatureSigner;
import org.custodian.ledger.note.KeyFiles;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.witness.FileWitnessState;
import org.custodian.ledger.witness.Witness;
import org.custodian.ledger.witness.WitnessEndpoint;
import org.custodian.server.CustodianServer;
import org.custodian.server.witness.WitnessRoutes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code custodian demo}: the server, a witness of its own, and a steady stream of demonstration
 * entries so that the log visibly grows and its checkpoints carry a cosignature. Later issues turn it
 * into the full demonstration with patients, organisations and accesses.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the server with demonstration data (the README's main job).",
            "Adds a witness of its own and a steady stream of demonstration ledger entries (no patient",
            "data). Same options as serve."})
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Mixin
    ServeCommand.ServerOptions server;

    @Override
    public Integer call() throws Exception {
        Lifecycle lifecycle = new Lifecycle();
        Startup.Started started;
        try {
            server.demoSignIn = true;
            if (server.outbox == null) {
                server.outbox = data.dataDir().resolve("outbox"); // patients' notifications, as files
            }
            started = Startup.start(data, server, lifecycle, logKey -> List.of(startWitness(lifecycle, logKey)));
            started.printBanner(System.out);
        } catch (RuntimeException e) {
            lifecycle.closeAll();
            throw e;
        }
        registerDemoPeople(started);
        loadDemoRecords(started);
        DemoPopulation.load(started);
        printSignIn(started);
        TransparencyLog log = started.node().log();
        ScheduledExecutorService stream = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-entries");
            t.setDaemon(true);
            return t;
        });
        lifecycle.add(stream::shutdownNow);
        SplittableRandom random = new SplittableRandom();
        long[] appended = {0};
        stream.scheduleAtFixedRate(() -> appendSome(log, random, appended), 0, 1, TimeUnit.SECONDS);
        stream.scheduleAtFixedRate(() -> report(log), 10, 10, TimeUnit.SECONDS);
        System.out.println("Demo: appending demonstration entries every second; a local witness cosigns each checkpoint.");
        lifecycle.awaitShutdown();
        return 0;
    }

    /**
     * Registers the documented example organisations, people, relationships and projects (idempotent:
     * a second demo run changes nothing), so that tokens can be issued and the gate has someone to decide about.
     */
    private void registerDemoPeople(Startup.Started started) {
        byte[] json;
        try (var in = DemoCommand.class.getResourceAsStream("/org/custodian/app/demo/registers.json")) {
            if (in == null) {
                throw new CommandFailure("the demo's registers are missing from the application jar");
            }
            json = in.readAllBytes();
        } catch (IOException e) {
            throw new CommandFailure("cannot read the demo's registers: " + e.getMessage());
        }
        try (org.custodian.core.registers.RegisterStore store =
                org.custodian.core.registers.RegisterStore.open(started.database().dataSource())) {
            var result = store.apply(org.custodian.core.registers.RegisterDocument.parse(json));
            System.out.println("Demo registers: " + (result.changedAnything()
                    ? result.ledgerIndexes().size() + " changes recorded in the ledger" : "already in place"));
        } catch (org.custodian.core.registers.RegisterRefusedException e) {
            throw new CommandFailure("the demo's registers were refused: " + e.getMessage());
        }
        String dir = data.dataDir().toString();
        System.out.println("Try the gate (tokens are signed with this deployment's key):");
        System.out.println("  TOKEN=$(./custodian token --data " + dir + " --user dr-okafor --purpose TREAT)");
        System.out.println("  curl -s -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\");
        System.out.println("       -d '{\"patient\":\"9434765919\",\"resources\":[\"Observation\"],\"form\":\"identifiable\"}' "
                + started.url() + "api/decisions");
        System.out.println("  ./custodian users --data " + dir + "     (everyone who can be given a token)");
    }

    private static void printSignIn(Startup.Started started) {
        System.out.println("Patients' pages: " + started.url() + "sign-in  (demonstration sign-in: choose a person, type the code shown;");
        System.out.println("  patients Ada, Ben (also Ada's proxy), Trinidad, Dexter (a break-glass access), Maximo (said no to research),");
        System.out.println("  Zandra (a child; her mother Maeve is her proxy); staff Carys Jones (reception) records choices at " + started.url() + "staff)");
        System.out.println("Public, no sign-in: " + started.url() + "registers (organisations, agreements, projects, hosting), " + started.url()
                + "transparency/statistics, " + started.url() + "transparency/foi (freedom of information answers), " + started.url()
                + "transparency/log");
    }

    /**
     * Loads Ada's and Ben's records (docs/examples/records.json, a FHIR transaction), keeping their ids,
     * so that a second demo run finds them unchanged and adds nothing.
     */
    private void loadDemoRecords(Startup.Started started) {
        String json;
        try (var in = DemoCommand.class.getResourceAsStream("/org/custodian/app/demo/records.json")) {
            if (in == null) {
                throw new CommandFailure("the demo's records are missing from the application jar");
            }
            json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandFailure("cannot read the demo's records: " + e.getMessage());
        }
        var bundle = (org.hl7.fhir.r4.model.Bundle) org.custodian.records.fhir.FhirJson.parse(json);
        var ctx = new org.custodian.records.write.RecordWriter.Context(org.custodian.records.write.Author.operator("custodian demo"), null, "demo");
        var result = started.node().records().importBundle(ctx, bundle);
        long created = result.response().getEntry().stream().filter(e -> e.getResponse().getStatus().startsWith("201")).count();
        System.out.println("Demo records: " + (created > 0 ? created + " FHIR resources for Ada and Ben stored and recorded"
                : "already in place") + " (docs/examples/records.json)");
        String dir = data.dataDir().toString();
        System.out.println("Try the FHIR API (every read passes the gate; the receipt is in X-Custodian-Receipt):");
        System.out.println("  TOKEN=$(./custodian token --data " + dir + " --user dr-okafor --purpose TREAT)");
        System.out.println("  curl -s -i -H \"Authorization: Bearer $TOKEN\" '" + started.url()
                + "fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919'");
        System.out.println("  curl -s -H \"Authorization: Bearer $TOKEN\" '" + started.url()
                + "fhir/Patient/d0000000-0000-4000-8000-00000000a000/$everything'");
        System.out.println("  (as dr-patel, whose referral has ended, the same requests are refused, and recorded)");
    }

    private static final List<String> KINDS = List.of("demo.tick");

    private static void appendSome(TransparencyLog log, SplittableRandom random, long[] appended) {
        int n = 1 + random.nextInt(5);
        for (int i = 0; i < n; i++) {
            long number = ++appended[0];
            LedgerEntry entry = LedgerEntry.create(KINDS.get(0), 1, Instant.now(), Map.of(
                    "sequence", number,
                    "note", "demonstration entry " + number + " (contains no patient data)"));
            try {
                log.append(entry);
            } catch (LedgerUnavailableException e) {
                System.err.println("custodian demo: " + e.getMessage());
            }
        }
    }

    private static void report(TransparencyLog log) {
        try {
            log.latestCheckpoint().ifPresent((PublishedCheckpoint cp) -> System.out.println(
                    "Demo: the log holds " + cp.size() + " entries; latest checkpoint cosigned by "
                            + cp.cosignatures().size() + " witness(es)."));
        } catch (LedgerUnavailableException e) {
            System.err.println("custodian demo: " + e.getMessage());
        }
    }

    /** A witness in this process with its own key and state under DATA/demo-witness, on a free loopback port. */
    private WitnessEndpoint startWitness(Lifecycle lifecycle, NoteSigner logKey) {
        Path dir = data.dataDir().resolve("demo-witness");
        try {
            CosignatureSigner key = KeyFiles.loadOrCreateWitnessKey(dir.resolve("keys").resolve("witness.key"), "demo-witness.custodian");
            FileWitnessState state = lifecycle.add(FileWitnessState.open(dir.resolve("state")));
            Witness witness = new Witness(key, List.of(logKey.verifier()), state, Clock.systemUTC());
            CustodianServer http = lifecycle.add(CustodianServer.start("127.0.0.1", 0, List.of(new WitnessRoutes(witness)::register)));
            String url = "http://127.0.0.1:" + http.port();
            System.out.println("Demo witness " + key.name() + " at " + url + " (key " + key.verifierKeyText() + ")");
            return WitnessEndpoint.parse(url + "=" + key.verifierKeyText());
        } catch (IOException e) {
            throw new CommandFailure("cannot start the demo witness in " + dir + ": " + e.getMessage());
        }
    }
}
