package org.custodian.app.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.database.Database;
import org.custodian.app.serve.Databases;
import org.custodian.core.audit.AgreementAudit;
import org.custodian.core.audit.AuditReport;
import org.custodian.core.registers.RegisterDocument;
import org.custodian.core.registers.RegisterStore;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.PublishedCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code custodian bench audit}: issue 6's target, the audit of one agreement over a million ledger entries in at most
 * 5 s. Populates a ledger of a year of access decisions, a share of them a university's research requests under its
 * agreement (permits, and refusals beyond its data or for patients who opted out half-way through the year, with their
 * consent.change entries), the rest care reads; then times {@link AgreementAudit#run} over the whole year.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Times the audit of one data-sharing agreement (custodian audit agreement) over a ledger of --entries entries.",
            "The population: a year of access.decision entries, --share of them a university's research requests under its agreement",
            "(about 5%% refused beyond its data; 1%% of --patients opt out of research half-way through the year, with their consent.change",
            "entries, and are refused after), the rest care reads by a GP practice; canonical entries inserted into ledger_entries in",
            "chunks, indexed by the table's triggers as every append is. The timed audit covers the whole year. Runs on an embedded",
            "PostgreSQL in a temporary directory, or in --data DIR (kept and reused by the next run)."})
public final class AuditBench implements Callable<Integer> {
    private static final String AGREEMENT = "dsa-bench-research";
    private static final LocalDate START = LocalDate.of(2025, 1, 1);
    private static final int CHUNK = 10_000;

    @Option(names = "--entries", defaultValue = "1000000", description = "entries in the ledger (default: ${DEFAULT-VALUE})")
    long entries;

    @Option(names = "--share", defaultValue = "0.2", description = "the share of them under the agreement (default: ${DEFAULT-VALUE})")
    double share;

    @Option(names = "--patients", defaultValue = "50000", description = "patients (default: ${DEFAULT-VALUE})")
    int patients;

    @Option(names = "--runs", defaultValue = "5", description = "timed audits (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--data", paramLabel = "DIR", description = "keep the database here and reuse its population (default: a temporary directory)")
    Path data;

    @Override
    public Integer call() throws Exception {
        if (entries < 1 || share <= 0 || share > 1 || patients < 100 || runs < 1) {
            throw new CommandFailure(CommandFailure.USAGE, "need --entries >= 1, 0 < --share <= 1, --patients >= 100, --runs >= 1");
        }
        Path dir = data != null ? data.toAbsolutePath() : Files.createTempDirectory("custodian-bench-");
        System.out.printf("Custodian audit benchmark: %d cores, Java %s, load average %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), FhirBench.load());
        try (Database database = Databases.openForBenchmark(dir)) {
            DataSource ds = database.dataSource();
            long size = size(ds);
            if (size < entries) {
                long started = System.nanoTime();
                populate(ds, size);
                System.out.printf("1. Population: %,d entries in %.0f s%n", entries, (System.nanoTime() - started) / 1e9);
            } else {
                System.out.printf("1. Population: reused, %,d entries%n", size);
            }
            size = size(ds);
            PublishedCheckpoint checkpoint = new PublishedCheckpoint(size, new byte[32], "bench (an unsigned stand-in for a checkpoint)\n",
                    List.of(), Instant.now());
            AgreementAudit audit = new AgreementAudit(ds);
            double[] seconds = new double[runs];
            AuditReport report = null;
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                long[] last = {t};
                boolean first = i == 0;
                report = audit.run(AGREEMENT, START, START.plusDays(364), "bench", checkpoint, line -> {
                    long now = System.nanoTime();
                    if (first) {
                        System.out.printf("   %.2f s, then: %s%n", (now - last[0]) / 1e9, line);
                    }
                    last[0] = now;
                });
                if (first) {
                    System.out.printf("   %.2f s to the end%n", (System.nanoTime() - last[0]) / 1e9);
                }
                seconds[i] = (System.nanoTime() - t) / 1e9;
            }
            Arrays.sort(seconds);
            System.out.printf("2. Audit of %s over a year, at a tree of %,d entries: %,d decisions (%,d permits, %,d patients), %,d findings;"
                    + "%n   %d runs: fastest %.2f s, median %.2f s, slowest %.2f s (target: at most 5 s)%n", AGREEMENT, size,
                    report.total().decisions(), report.total().permits(), report.total().patients(), report.findings().size(), runs, seconds[0],
                    seconds[runs / 2], seconds[runs - 1]);
        } finally {
            if (data == null) {
                LedgerBench.deleteTree(dir);
            }
        }
        return 0;
    }

    private static long size(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(max(idx) + 1, 0) FROM ledger_entries")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void populate(DataSource ds, long from) throws Exception {
        try (RegisterStore registers = RegisterStore.open(ds)) {
            registers.apply(RegisterDocument.parse(("{\"organisations\":[{\"id\":\"univ-bench\",\"name\":\"University of Benchmarks\","
                    + "\"sector\":\"public-research\"},{\"id\":\"A99001\",\"name\":\"Riverside Medical Practice\",\"sector\":\"nhs-care\"}],"
                    + "\"agreements\":[{\"id\":\"" + AGREEMENT + "\",\"title\":\"Benchmark research\",\"partner\":\"univ-bench\",\"processors\":[],"
                    + "\"purposes\":[\"HRESCH\"],\"form\":\"pseudonymised\",\"data\":[\"Observation\",\"Condition\"],\"categories\":[],"
                    + "\"legalBasis\":\"UK GDPR Article 6(1)(e)\",\"optOutsApply\":true,\"from\":\"2024-01-01\",\"status\":\"active\","
                    + "\"payments\":[]}]}").getBytes(StandardCharsets.UTF_8)));
        }
        long spanMillis = Duration.ofDays(365).toMillis();
        Instant start = START.atStartOfDay(ZoneOffset.UTC).toInstant();
        long middle = entries / 2;
        long i = from;
        while (i < entries) {
            List<LedgerEntry.Encoded> chunk = new ArrayList<>(CHUNK);
            for (; chunk.size() < CHUNK && i < entries; i++) {
                Instant time = start.plusMillis(i * spanMillis / entries);
                if (i == middle) {
                    // 1% of patients opt out of research half-way through the year.
                    for (int p = 0; p < patients; p += 100) {
                        chunk.add(consent(p, time));
                    }
                }
                long h = mix(i);
                int patient = (int) Long.remainderUnsigned(h >>> 8, patients);
                if ((h & 0xff) < share * 256) {
                    boolean optedOut = patient % 100 == 0 && i > middle;
                    boolean beyond = Long.remainderUnsigned(h >>> 40, 20) == 0;
                    chunk.add(decision(patient, time, true, optedOut ? "consent.research-opt-out" : beyond ? "agreement.data-exceeded" : null,
                            beyond ? "MedicationRequest" : "Observation"));
                } else {
                    chunk.add(decision(patient, time, false, null, "Observation"));
                }
            }
            insert(ds, chunk);
            System.out.printf("   %,d / %,d%n", i, entries);
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("ANALYZE");
        }
    }

    private static String nhs(int patient) {
        // Ten digits; the audit does not check NHS numbers.
        return String.format("9%09d", patient);
    }

    private static LedgerEntry.Encoded consent(int patient, Instant time) {
        Map<String, Object> choices = new LinkedHashMap<>();
        choices.put("refusedPurposes", List.of("research"));
        choices.put("refusedOrganisations", List.of());
        choices.put("withheldCategories", Map.of());
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("patient", nhs(patient));
        f.put("consentVersion", 1L);
        f.put("choices", choices);
        f.put("recordedBy", "bench");
        f.put("channel", "patient");
        return LedgerEntry.create("consent.change", 1, time, f).encode();
    }

    private static LedgerEntry.Encoded decision(int patient, Instant time, boolean research, String refusal, String resource) {
        Map<String, Object> requester = new LinkedHashMap<>();
        requester.put("person", research ? "prof-bench" : "dr-bench");
        requester.put("role", research ? "researcher" : "clinician");
        requester.put("organisation", research ? "univ-bench" : "A99001");
        requester.put("sector", research ? "public-research" : "nhs-care");
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("requester", requester);
        f.put("patient", nhs(patient));
        f.put("purpose", research ? "HRESCH" : "TREAT");
        f.put("form", research ? "pseudonymised" : "identifiable");
        f.put("categories", List.of());
        f.put("resources", List.of(resource));
        if (research) {
            f.put("project", "bench-study");
            f.put("agreement", AGREEMENT);
        }
        f.put("relationship", research ? "none" : "care-registered");
        f.put("decision", refusal == null ? "permit" : "deny");
        f.put("reasons", refusal == null ? List.of("consent.respected") : List.of(refusal));
        f.put("obligations", List.of());
        f.put("breakGlass", false);
        f.put("rulesVersion", 1L);
        f.put("consentVersion", refusal != null && refusal.startsWith("consent.") ? 1L : 0L);
        f.put("via", "bench");
        return LedgerEntry.create("access.decision", 1, time, f).encode();
    }

    private static void insert(DataSource ds, List<LedgerEntry.Encoded> chunk) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            Long[] idx = new Long[chunk.size()];
            try (PreparedStatement ps = c.prepareStatement("SELECT nextval('ledger_index') FROM generate_series(1, ?)")) {
                ps.setInt(1, chunk.size());
                try (ResultSet rs = ps.executeQuery()) {
                    for (int k = 0; rs.next(); k++) {
                        idx[k] = rs.getLong(1);
                    }
                }
            }
            byte[][] leaves = new byte[chunk.size()][];
            byte[][] contents = new byte[chunk.size()][];
            for (int k = 0; k < chunk.size(); k++) {
                leaves[k] = chunk.get(k).leafData();
                contents[k] = chunk.get(k).content();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO ledger_entries (idx, leaf, content) SELECT * FROM unnest(?::bigint[], ?::bytea[], ?::bytea[])")) {
                Array a = c.createArrayOf("bigint", idx);
                ps.setArray(1, a);
                ps.setArray(2, c.createArrayOf("bytea", leaves));
                ps.setArray(3, c.createArrayOf("bytea", contents));
                ps.executeUpdate();
            }
            c.commit();
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
