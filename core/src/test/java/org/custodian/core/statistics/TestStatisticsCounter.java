package org.custodian.core.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.custodian.core.consent.ConsentRecord;
import org.custodian.core.decisions.AccessRequest;
import org.custodian.core.decisions.BreakGlassReviews;
import org.custodian.core.decisions.Gate;
import org.custodian.core.decisions.RecordedDecision;
import org.custodian.core.decisions.RecordingGate;
import org.custodian.core.decisions.Refusals;
import org.custodian.core.registers.CareRelationship;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Project;
import org.custodian.core.registers.RegisterSnapshot;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.rules.GovernedRuleSet;
import org.custodian.core.statistics.PublishedStatistics.Row;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.LogConfig;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.postgres.PostgresPerClass;
import org.custodian.ledger.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The statistics from a real ledger written by the real gate: every figure equals a direct count over the entries
 * (parsed in Java, independently of the counter's SQL) put through the small-number rule; the rule's edges 0, 1, 7,
 * 8, 12 and 13 appear as monthly counts; erasing content changes nothing; and two counters never count twice.
 */
class TestStatisticsCounter {
    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    static final NhsNumber ALICE = new NhsNumber("9434765919");
    static final NhsNumber BOB = new NhsNumber("9434765870");
    static final Organisation GP = new Organisation("A81001", "Riverside GP Practice", Sector.NHS_CARE);
    static final Organisation HOSPITAL = new Organisation("RX1", "City Hospital", Sector.NHS_CARE);
    static final Organisation UNIVERSITY = new Organisation("UNI1", "University of Leeds", Sector.PUBLIC_RESEARCH);
    static final Organisation ADCO = new Organisation("ADCO", "AdCo Ltd", Sector.PRIVATE_COMPANY);
    static final Person GP_DOCTOR = new Person("dr-patel", "Dr Patel", Role.CLINICIAN, GP.id(), null);
    static final Person HOSPITAL_DOCTOR = new Person("dr-jones", "Dr Jones", Role.CLINICIAN, HOSPITAL.id(), null);
    static final Person RESEARCHER = new Person("res-khan", "Prof Khan", Role.RESEARCHER, UNIVERSITY.id(), null);
    static final Person SALES = new Person("sales-1", "Sam Sales", Role.CLINICIAN, ADCO.id(), null);
    static final Person ALICE_PERSON = new Person("alice", "Alice Example", Role.PATIENT, GP.id(), ALICE);
    static final LocalDate TODAY = LocalDate.now(Clock.systemUTC());
    static final Project STUDY = new Project("study-1", UNIVERSITY.id(), Purpose.HRESCH, DataForm.PSEUDONYMISED, Project.Status.APPROVED, null,
            TODAY.plusYears(1), "REC 26/LO/0001", null, null, List.of());

    /** Entry times, set per request. */
    static final class SetClock extends Clock {
        volatile Instant now = Instant.parse("2025-01-15T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static RegisterSnapshot registers() {
        RegisterSnapshot.Builder b = RegisterSnapshot.builder();
        for (Organisation o : List.of(GP, HOSPITAL, UNIVERSITY, ADCO)) {
            b.organisation(o);
        }
        for (Person p : List.of(GP_DOCTOR, HOSPITAL_DOCTOR, RESEARCHER, SALES, ALICE_PERSON)) {
            b.person(p);
        }
        b.careRelationship(new CareRelationship(ALICE, GP.id(), CareRelationship.Kind.REGISTERED, TODAY.minusYears(5), null));
        b.project(STUDY);
        return b.build();
    }

    record World(HikariDataSource ds, TransparencyLog log, RecordingGate gate, Refusals refusals, SetClock times, Statistics statistics)
            implements AutoCloseable {
        static World open() {
            HikariDataSource ds = postgres.newDatabase();
            SetClock times = new SetClock();
            RegisterSnapshot registers = registers();
            TransparencyLog log = TransparencyLog.open(new PostgresLogStore(ds), NoteSigner.generate("test.example/statistics"),
                    new LogConfig("test.example/statistics", Duration.ofMillis(50), 1024, 65_536, true));
            RecordingGate gate = new RecordingGate(new Gate(registers, ConsentRecord::none, GovernedRuleSet::defaults, Clock.systemUTC()), log,
                    new BreakGlassReviews(ds, Clock.systemUTC()), times);
            return new World(ds, log, gate, new Refusals(log, times), times, new Statistics(ds, registers, GovernedRuleSet::defaults, Clock.systemUTC()));
        }

        RecordedDecision decide(String at, Person who, Organisation org, Purpose purpose, DataForm form, String project) {
            times.now = Instant.parse(at);
            return gate.decide(new AccessRequest(who, org, purpose, ALICE, form, Set.of(), List.of("Observation"), project, "test"));
        }

        void repeat(int n, String at, Person who, Organisation org, Purpose purpose, DataForm form, String project) {
            for (int i = 0; i < n; i++) {
                decide(at, who, org, purpose, form, project);
            }
        }

        void awaitIntegrated() throws InterruptedException {
            long last;
            try (var c = ds.getConnection(); var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT max(idx) FROM ledger_entries")) {
                rs.next();
                last = rs.getLong(1);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            Eventually.await("the tree integrates every entry", Duration.ofSeconds(20), () -> log.treeHead().size() > last);
        }

        @Override
        public void close() {
            log.close();
            ds.close();
        }
    }

    /**
     * A ledger whose months hold 13, 12, 8, 7 and 1 accesses (BST begins on 30 March 2025, so 23:30 UTC on 31 March is
     * April in London), with refusals by statute, break-glass and a refusal before the gate.
     */
    static void populate(World w) {
        w.repeat(13, "2025-01-15T10:00:00Z", GP_DOCTOR, GP, Purpose.TREAT, DataForm.IDENTIFIABLE, null);
        w.repeat(8, "2025-02-10T09:00:00Z", GP_DOCTOR, GP, Purpose.TREAT, DataForm.IDENTIFIABLE, null);
        w.repeat(4, "2025-02-11T09:00:00Z", SALES, ADCO, Purpose.HMARKT, DataForm.PSEUDONYMISED, null);
        w.repeat(8, "2025-03-03T12:00:00Z", RESEARCHER, UNIVERSITY, Purpose.HRESCH, DataForm.PSEUDONYMISED, STUDY.id());
        w.repeat(6, "2025-04-02T02:00:00Z", HOSPITAL_DOCTOR, HOSPITAL, Purpose.ETREAT, DataForm.IDENTIFIABLE, null);
        w.repeat(1, "2025-03-31T23:30:00Z", HOSPITAL_DOCTOR, HOSPITAL, Purpose.ETREAT, DataForm.IDENTIFIABLE, null);
        w.repeat(1, "2025-05-20T08:00:00Z", GP_DOCTOR, GP, Purpose.TREAT, DataForm.IDENTIFIABLE, null);
        w.times.now = Instant.parse("2025-05-21T08:00:00Z");
        w.refusals.record(ALICE, "token.invalid", "the token's signature does not verify", "someone", "9434765919", "api");
    }

    /** Direct counts over the ledger's entries, parsed in Java: measure -> key -> count. */
    static Map<String, Map<String, Long>> directCounts(HikariDataSource ds) throws Exception {
        Map<String, Map<String, Long>> out = new HashMap<>();
        try (var c = ds.getConnection(); var s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT content FROM ledger_entries WHERE idx < (SELECT next_idx FROM statistics_cursor) ORDER BY idx")) {
            while (rs.next()) {
                byte[] content = rs.getBytes(1);
                if (content == null) {
                    continue;
                }
                LedgerEntry e = LedgerEntry.parse(content);
                Map<String, Object> f = e.fields();
                String month = e.time().atZone(ZoneId.of("Europe/London")).toLocalDate().toString().substring(0, 7);
                if (e.type().equals("access.decision")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> requester = (Map<String, Object>) f.get("requester");
                    add(out, "access", "");
                    add(out, "access.month", month);
                    add(out, "access.purpose", (String) f.get("purpose"));
                    add(out, "access.sector", (String) requester.get("sector"));
                    add(out, "access.organisation", (String) requester.get("organisation"));
                    add(out, "month.access", month + " " + f.get("decision") + "|" + f.get("purpose") + "|" + requester.get("sector") + "|"
                            + requester.get("organisation"));
                    if (f.get("decision").equals("deny")) {
                        add(out, "deny", "");
                        for (Object r : (List<?>) f.get("reasons")) {
                            add(out, "deny.reason", (String) r);
                            add(out, "month.deny.reason", month + " " + requester.get("sector") + "|" + r);
                        }
                    }
                    if (Boolean.TRUE.equals(f.get("breakGlass"))) {
                        add(out, "breakglass", "");
                        add(out, "breakglass.month", month);
                    }
                } else if (e.type().equals("access.refused")) {
                    add(out, "refused", "");
                    add(out, "refused.reason", (String) f.get("reason"));
                }
            }
        }
        return out;
    }

    private static void add(Map<String, Map<String, Long>> out, String measure, String key) {
        out.computeIfAbsent(measure, m -> new TreeMap<>()).merge(key, 1L, Long::sum);
    }

    static Map<String, Map<String, Long>> counted(HikariDataSource ds) throws Exception {
        Map<String, Map<String, Long>> out = new HashMap<>();
        try (var c = ds.getConnection(); var s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT measure, grp, key, count FROM statistics_counts WHERE measure NOT LIKE 'consent.%'")) {
            while (rs.next()) {
                // The counts by month (V14) are keyed by month and key; the others by key alone (their group is the key's sector).
                String key = rs.getString(1).startsWith("month.") ? rs.getString(2) + " " + rs.getString(3) : rs.getString(3);
                out.computeIfAbsent(rs.getString(1), m -> new TreeMap<>()).merge(key, rs.getLong(4), Long::sum);
            }
        }
        return out;
    }

    static Map<String, OptionalLong> published(PublishedStatistics p, String table) {
        Map<String, OptionalLong> out = new TreeMap<>();
        for (Row r : p.table(table).rows()) {
            out.put(r.key(), r.count());
        }
        return out;
    }

    @Test
    void v14CountsByMonthWhatWasCountedBeforeIt() throws Exception {
        try (World w = World.open()) {
            populate(w);
            w.awaitIntegrated();
            w.statistics.catchUp();
            // As a deployment counted before V14: the cursor moved, and no counts by month.
            try (var c = w.ds.getConnection(); var s = c.createStatement()) {
                s.executeUpdate("DELETE FROM statistics_counts WHERE measure LIKE 'month.%'");
                String v14;
                try (var in = TestStatisticsCounter.class.getResourceAsStream("/db/migration/V14__statistics_by_month.sql")) {
                    v14 = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
                s.execute(v14);
            }
            assertEquals(directCounts(w.ds), counted(w.ds), "V14 counted by month exactly the entries below the cursor");
            w.statistics.catchUp();
            assertEquals(directCounts(w.ds), counted(w.ds), "and the follower goes on from there");
        }
    }

    @Test
    void everyFigureIsADirectCountOfTheLedgerPutThroughTheRule() throws Exception {
        try (World w = World.open()) {
            populate(w);
            w.awaitIntegrated();
            w.statistics.catchUp();
            Map<String, Map<String, Long>> direct = directCounts(w.ds);
            assertEquals(direct, counted(w.ds), "the raw counts are the ledger's");
            assertEquals(Map.of("2025-01", 13L, "2025-02", 12L, "2025-03", 8L, "2025-04", 7L, "2025-05", 1L), direct.get("access.month"));

            PublishedStatistics p = w.statistics.current();
            assertEquals(w.log.treeHead().size(), p.entriesCounted());
            assertTrue(p.checkpointAt().isPresent(), "the figures are as of a signed checkpoint");
            // The edges, as months: 13 -> 15, 12 -> 10, 8 -> 10, 7 and 1 redacted (two redacted: no second needed).
            assertEquals(Map.of("2025-01", OptionalLong.of(15), "2025-02", OptionalLong.of(10), "2025-03", OptionalLong.of(10),
                    "2025-04", OptionalLong.empty(), "2025-05", OptionalLong.empty()), published(p, "accesses-by-month"));
            assertEquals(OptionalLong.of(40), published(p, "totals").get("accesses"));
            assertEquals(OptionalLong.empty(), published(p, "totals").get("refusals"), "4 refusals");
            assertEquals(OptionalLong.empty(), published(p, "totals").get("break-glass"), "7 break-glass");
            assertEquals(OptionalLong.of(0), published(p, "totals").get("erased-before-counted"));
            // Sectors: 0 is published as 0; the private company's 4 is redacted, and with it the smallest other (8).
            Map<String, OptionalLong> sectors = published(p, "accesses-by-sector");
            assertEquals(OptionalLong.of(0), sectors.get("other-government"));
            assertEquals(OptionalLong.empty(), sectors.get("private-company"));
            assertEquals(OptionalLong.empty(), sectors.get("public-research"), "secondary suppression");
            assertEquals(OptionalLong.of(30), sectors.get("nhs-care"));
            // Every published (not redacted) figure is the direct count through the rule.
            for (var table : Map.of("accesses-by-month", "access.month", "accesses-by-purpose", "access.purpose", "accesses-by-sector",
                    "access.sector", "accesses-by-organisation", "access.organisation", "refusals-by-reason", "deny.reason",
                    "break-glass-by-month", "breakglass.month", "refused-before-decision-by-reason", "refused.reason").entrySet()) {
                for (Row r : p.table(table.getKey()).rows()) {
                    long raw = direct.getOrDefault(table.getValue(), Map.of()).getOrDefault(r.key(), 0L);
                    if (raw >= 1 && raw <= 7) {
                        assertTrue(r.redacted(), table + " " + r);
                    } else if (!r.redacted()) {
                        assertEquals(SmallNumbers.publish(raw), r.count(), table + " " + r);
                    }
                }
                assertEquals(direct.getOrDefault(table.getValue(), Map.of()).keySet().stream().sorted().toList(),
                        p.table(table.getKey()).rows().stream().filter(r -> !(table.getKey().equals("accesses-by-sector") && r.count().equals(OptionalLong.of(0))))
                                .map(Row::key).sorted().toList(), "a row for every key counted: " + table);
            }
            // The refusal before the gate named a claimed organisation that looks like an NHS number: it is not published.
            String everything = p.toString();
            assertFalse(everything.contains(ALICE.value()), everything);
            assertFalse(everything.contains("dr-patel") || everything.contains("alice"), everything);
        }
    }

    @Test
    void erasingContentAfterItWasCountedChangesNoFigure() throws Exception {
        try (World w = World.open()) {
            populate(w);
            w.awaitIntegrated();
            w.statistics.catchUp();
            Map<String, Map<String, Long>> before = counted(w.ds);
            PostgresForTests.sql(w.ds, "UPDATE ledger_entries SET content = NULL, erased_at = now()");
            w.statistics.catchUp();
            assertEquals(before, counted(w.ds));
            // An entry erased before it was reached is counted as such, and published.
            w.decide("2025-06-01T10:00:00Z", GP_DOCTOR, GP, Purpose.TREAT, DataForm.IDENTIFIABLE, null);
            w.awaitIntegrated();
            PostgresForTests.sql(w.ds, "UPDATE ledger_entries SET content = NULL, erased_at = now() WHERE content IS NOT NULL");
            w.statistics.catchUp();
            assertEquals(1L, counted(w.ds).get("erased-uncounted").get(""));
            assertEquals(before.get("access"), counted(w.ds).get("access"));
        }
    }

    /**
     * The counter groups decisions by UTC hour before it names their London month. Truncating to the hour in a
     * database session's own time zone would move an instant by up to half an hour where that zone is not a whole
     * number of hours from UTC (Asia/Kolkata), across a London month's first minutes: 23:10 UTC on 31 March 2025 is
     * 00:10 BST on 1 April, 23:10 UTC on 30 April is 00:10 BST on 1 May.
     */
    @Test
    void theLondonMonthDoesNotDependOnTheDatabaseSessionsTimeZone() throws Exception {
        try (World w = World.open()) {
            populate(w);
            w.repeat(2, "2025-03-31T23:10:00Z", HOSPITAL_DOCTOR, HOSPITAL, Purpose.ETREAT, DataForm.IDENTIFIABLE, null);
            w.repeat(3, "2025-04-30T23:10:00Z", GP_DOCTOR, GP, Purpose.TREAT, DataForm.IDENTIFIABLE, null);
            w.repeat(1, "2025-10-31T23:50:00Z", GP_DOCTOR, GP, Purpose.TREAT, DataForm.IDENTIFIABLE, null);
            w.awaitIntegrated();
            com.zaxxer.hikari.HikariConfig kolkata = new com.zaxxer.hikari.HikariConfig();
            kolkata.setJdbcUrl(w.ds.getJdbcUrl());
            kolkata.setUsername(w.ds.getUsername());
            kolkata.setPassword(w.ds.getPassword());
            kolkata.setConnectionInitSql("SET TimeZone = 'Asia/Kolkata'");
            try (HikariDataSource ds = new HikariDataSource(kolkata)) {
                new StatisticsCounter(ds, 4).catchUp();
            }
            Map<String, Map<String, Long>> direct = directCounts(w.ds);
            assertEquals(Map.of("2025-01", 13L, "2025-02", 12L, "2025-03", 8L, "2025-04", 9L, "2025-05", 4L, "2025-10", 1L),
                    direct.get("access.month"));
            assertEquals(direct, counted(w.ds));
        }
    }

    @Test
    void twoCountersAtOnceCountEveryEntryOnceInSmallBatches() throws Exception {
        try (World w = World.open()) {
            populate(w);
            w.awaitIntegrated();
            StatisticsCounter a = new StatisticsCounter(w.ds, 3);
            StatisticsCounter b = new StatisticsCounter(w.ds, 5);
            Thread ta = new Thread(a::catchUp);
            Thread tb = new Thread(b::catchUp);
            ta.start();
            tb.start();
            ta.join();
            tb.join();
            a.catchUp();
            b.catchUp();
            assertEquals(directCounts(w.ds), counted(w.ds));
            assertEquals(w.log.treeHead().size(), w.statistics.current().entriesCounted());
        }
    }

    @Test
    void optOutsFollowTheConsentTablesAndRatesUseOnlyPublishedNumbers() throws Exception {
        try (World w = World.open()) {
            PostgresForTests.sql(w.ds, "INSERT INTO register_organisations VALUES ('A81001', 'Riverside GP Practice', 'nhs-care', 0, now())");
            // 40 patients; 13 say no to research, 3 to planning, 9 to sharing beyond the practice, of whom one changes their mind.
            PostgresForTests.sql(w.ds, "INSERT INTO register_people SELECT 'p' || i, 'Patient ' || i, 'patient', 'A81001', lpad(i::text, 10, '0'), 0, now()"
                    + " FROM generate_series(1, 40) i");
            PostgresForTests.sql(w.ds, "INSERT INTO consent_choices SELECT lpad(i::text, 10, '0'), 1, '{\"refusedPurposes\":[' ||"
                    + " concat_ws(',', CASE WHEN i <= 13 THEN '\"research\"' END, CASE WHEN i <= 3 THEN '\"planning\"' END,"
                    + " CASE WHEN i > 30 THEN '\"direct-care\"' END) || '],\"refusedOrganisations\":[],\"withheldCategories\":{}}',"
                    + " 'p' || i, 'patient', now(), 0 FROM generate_series(1, 40) i");
            PostgresForTests.sql(w.ds, "UPDATE consent_choices SET version = 2, choices = '{\"refusedPurposes\":[],\"refusedOrganisations\":[],"
                    + "\"withheldCategories\":{}}' WHERE patient = lpad('40', 10, '0')");
            Map<String, Row> rows = new HashMap<>();
            w.statistics.current().table("opt-outs-by-purpose-group").rows().forEach(r -> rows.put(r.key(), r));
            assertEquals(OptionalLong.of(40), rows.get("patients-registered").count());
            assertEquals(OptionalLong.of(15), rows.get("research").count());
            assertEquals("37.5%", rows.get("research").rate().orElseThrow(), "15 of 40, both as published");
            assertTrue(rows.get("planning").redacted());
            assertTrue(rows.get("planning").rate().isEmpty(), "no rate from a redacted count");
            assertEquals(OptionalLong.of(10), rows.get("direct-care").count(), "9 patients");
            // Directly from the tables.
            try (var c = w.ds.getConnection(); var s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT count(*) FROM consent_choices WHERE choices::jsonb -> 'refusedPurposes' ? 'direct-care'")) {
                rs.next();
                assertEquals(9, rs.getLong(1));
            }
            // A patient leaving the registers is no longer counted.
            PostgresForTests.sql(w.ds, "UPDATE register_people SET nhs_number = NULL WHERE id IN ('p1', 'p2', 'p3')");
            w.statistics.current().table("opt-outs-by-purpose-group").rows().forEach(r -> rows.put(r.key(), r));
            assertEquals(OptionalLong.of(35), rows.get("patients-registered").count(), "37");
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
