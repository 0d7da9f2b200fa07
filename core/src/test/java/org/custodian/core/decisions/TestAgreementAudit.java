package org.custodian.core.decisions;

import static org.custodian.core.decisions.GateFixture.RESEARCHER;
import static org.custodian.core.decisions.GateFixture.STUDY;
import static org.custodian.core.decisions.GateFixture.UNIVERSITY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.custodian.core.audit.AgreementAudit;
import org.custodian.core.audit.AuditReport;
import org.custodian.core.consent.ConsentChoices;
import org.custodian.core.consent.ConsentRecord;
import org.custodian.core.consent.ConsentStore;
import org.custodian.core.identity.MovableClock;
import org.custodian.core.registers.Agreement;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.RegisterDocument;
import org.custodian.core.registers.RegisterSnapshot;
import org.custodian.core.registers.RegisterStore;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.PurposeGroup;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.postgres.PostgresPerClass;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The audit of one partnership, end to end through the real gate with the registers, consent and ledger in PostgreSQL:
 * three months of a university's research requests under its agreement, with a suspension and a resumption, a patient's
 * research opt-out, and two permits planted straight into the ledger (outside the agreement's data; for the opted-out
 * patient). The audit reports exactly the planted entries as findings, the suspension's and the opt-out's refusals as
 * refusals, and figures that equal direct counts over ledger_entries.
 */
class TestAgreementAudit {
    static final String ID = "dsa-uni1-diabetes";
    static final Agreement DSA = new Agreement(ID, "Diabetes outcomes data sharing agreement", UNIVERSITY.id(), List.of(),
            Set.of(Purpose.HRESCH), DataForm.PSEUDONYMISED, List.of("Observation", "Condition"), Set.of(), "UK GDPR Article 6(1)(e) and 9(2)(j)",
            true, LocalDate.of(2026, 1, 1), LocalDate.of(2028, 12, 31), Agreement.Status.ACTIVE,
            List.of(new Agreement.Payment(Agreement.Payment.Direction.FROM_PARTNER, "Cost recovery for extraction", "£4,000")));

    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    private HikariDataSource ds;
    private TransparencyLog log;
    private RegisterStore registers;
    private ConsentStore consents;
    private RecordingGate gate;
    private final MovableClock clock = MovableClock.at("2026-08-31T09:00:00Z");
    private final List<NhsNumber> patients = new ArrayList<>();

    private GateWorld world;

    @BeforeEach
    void world() throws Exception {
        world = GateWorld.open(postgres.server(), clock, "test.example/audit", document(DSA));
        ds = world.ds();
        log = world.log();
        registers = world.registers();
        consents = world.consents();
        gate = world.gate();
        patients.add(GateFixture.ALICE);
        patients.add(GateFixture.BOB);
        for (int i = 1; patients.size() < 8; i++) {
            NhsNumber n = nhs(943_476_600 + i);
            if (n != null) {
                patients.add(n);
            }
        }
    }

    @AfterEach
    void close() {
        world.close();
    }

    /** A valid NHS number from nine digits, or null when no check digit makes one valid. */
    static NhsNumber nhs(int nineDigits) {
        String digits = Integer.toString(nineDigits);
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (digits.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - sum % 11;
        if (check == 10) {
            return null;
        }
        return new NhsNumber(digits + (check == 11 ? 0 : check));
    }

    private static RegisterDocument document(Agreement... agreements) {
        RegisterSnapshot s = GateFixture.registers();
        return RegisterDocument.of(List.copyOf(s.organisations()), List.copyOf(s.people()), s.careRelationships(), s.proxies(),
                List.copyOf(s.projects()), List.of(agreements));
    }

    private static Agreement with(Agreement a, Agreement.Status status) {
        return new Agreement(a.id(), a.title(), a.partner(), a.processors(), a.purposes(), a.form(), a.data(), a.categories(), a.legalBasis(),
                a.optOutsApply(), a.from(), a.to(), status, a.payments());
    }

    private RecordedDecision research(NhsNumber patient, String... resources) {
        clock.advance(Duration.ofMinutes(7));
        return gate.decide(new AccessRequest(RESEARCHER, UNIVERSITY, Purpose.HRESCH, patient, DataForm.PSEUDONYMISED, Set.of(),
                List.of(resources), STUDY.id(), "test"));
    }

    private void at(String instant) {
        clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
    }

    /** A permit appended straight to the ledger, as a broken or malicious component might: the audit must catch it. */
    private long plant(NhsNumber patient, List<String> resources, Instant time) throws Exception {
        Map<String, Object> requester = new LinkedHashMap<>();
        requester.put("person", RESEARCHER.id());
        requester.put("role", RESEARCHER.role().code());
        requester.put("organisation", UNIVERSITY.id());
        requester.put("sector", UNIVERSITY.sector().code());
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("requester", requester);
        f.put("patient", patient.value());
        f.put("purpose", "HRESCH");
        f.put("form", "pseudonymised");
        f.put("categories", List.of());
        f.put("resources", resources);
        f.put("project", STUDY.id());
        f.put("agreement", ID);
        f.put("relationship", "none");
        f.put("decision", "permit");
        f.put("reasons", List.of("agreement.in-force", "consent.respected"));
        f.put("obligations", List.of());
        f.put("breakGlass", false);
        f.put("rulesVersion", 1L);
        f.put("consentVersion", (long) consents.current(patient).version());
        f.put("via", "planted");
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            long index = new PostgresLogStore(ds).appendWithin(c, LedgerEntry.create(DecisionEntry.TYPE, 1, time, f));
            c.commit();
            return index;
        }
    }

    private PublishedCheckpoint checkpointCoveringEverything() throws Exception {
        PostgresLogStore store = new PostgresLogStore(ds);
        long appended = store.appendedSize();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            var cp = store.latestCheckpoint();
            if (cp.isPresent() && cp.get().size() >= appended) {
                return cp.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no checkpoint covering " + appended + " entries");
    }

    @Test
    void theAuditReportsWhatWasDoneUnderTheAgreementAndExactlyThePlantedViolations() throws Exception {
        // September: within the agreement, and beyond its data (refused).
        at("2026-09-02T09:00:00Z");
        for (NhsNumber p : patients) {
            assertTrue(research(p, "Observation").ruling().decision().permitted());
        }
        assertTrue(research(patients.get(2), "Condition", "Observation").ruling().decision().permitted());
        assertFalse(research(patients.get(3), "MedicationRequest").ruling().decision().permitted(), "beyond its data");

        // October: Bob opts out of research; his next request is refused, the others go on.
        at("2026-10-05T12:00:00Z");
        ConsentRecord optOut = consents.replace(GateFixture.BOB, new ConsentChoices(Set.of(PurposeGroup.RESEARCH), Set.of(), Map.of()), "bob",
                ConsentRecord.Channel.PATIENT);
        RecordedDecision bobRefused = research(GateFixture.BOB, "Observation");
        assertTrue(bobRefused.ruling().decision().reasons().stream().anyMatch(r -> r.code().equals("consent.research-opt-out")));
        assertTrue(research(GateFixture.ALICE, "Condition").ruling().decision().permitted());

        // Suspended on 20 October: refused while suspended (not findings); resumed on 2 November.
        at("2026-10-20T08:00:00Z");
        long suspension = registers.apply(document(with(DSA, Agreement.Status.SUSPENDED))).ledgerIndexes().get(0);
        RecordedDecision whileSuspended = research(GateFixture.ALICE, "Observation");
        assertFalse(whileSuspended.ruling().decision().permitted());
        research(patients.get(4), "Observation");
        at("2026-11-02T08:00:00Z");
        long resumption = registers.apply(document(DSA)).ledgerIndexes().get(0);
        assertTrue(research(patients.get(5), "Observation").ruling().decision().permitted());

        // Two permits that the gate never made: beyond the agreement's data, and for the opted-out patient.
        long beyondData = plant(GateFixture.ALICE, List.of("MedicationRequest"), Instant.parse("2026-11-03T10:00:00Z"));
        long ignoredOptOut = plant(GateFixture.BOB, List.of("Observation"), Instant.parse("2026-11-04T10:00:00Z"));
        // Outside the period: not counted.
        at("2026-12-01T10:00:00Z");
        research(GateFixture.ALICE, "Observation");

        PublishedCheckpoint cp = checkpointCoveringEverything();
        AuditReport report = new AgreementAudit(ds).run(ID, LocalDate.of(2026, 9, 1), LocalDate.of(2026, 11, 30), "test.example/audit", cp, s -> {});

        assertEquals(cp.size(), report.checkpoint().size());
        assertEquals(cp.note(), report.checkpoint().note());
        assertEquals(DSA, report.current().agreement());
        assertEquals(DSA, report.atStart().agreement());
        assertEquals(List.of(suspension, resumption), report.changes().stream().map(AuditReport.Change::index).toList());
        assertEquals(List.of("status"), report.changes().get(0).changed());
        assertEquals("suspended", report.changes().get(0).now().get("status"));
        assertEquals("active", report.changes().get(0).previous().get("status"));

        // Findings: exactly the two planted permits, each with its evidence.
        assertEquals(2, report.findings().size(), report.findings().toString());
        AuditReport.Finding data = report.findings().get(0);
        assertEquals(AuditReport.Finding.OUTSIDE_AGREEMENT, data.kind());
        assertEquals(List.of(beyondData, resumption), data.indexes());
        assertTrue(data.text().contains("MedicationRequest"), data.text());
        AuditReport.Finding optOutFinding = report.findings().get(1);
        assertEquals(AuditReport.Finding.OPT_OUT_IGNORED, optOutFinding.kind());
        assertEquals(List.of(ignoredOptOut, optOut.ledgerIndex()), optOutFinding.indexes());
        assertEquals(1, report.checks().outsideTerms());
        assertEquals(1, report.checks().optOutsIgnored());
        assertEquals(1, report.checks().refusedForChoices(), "the opt-out honoured");
        assertEquals(List.of(new Agreement.Payment(Agreement.Payment.Direction.FROM_PARTNER, "Cost recovery for extraction", "£4,000")),
                report.payments());

        // Every figure against a direct count over the ledger.
        Direct direct = direct(cp.size(), "2026-09-01T00:00:00Z", "2026-12-01T00:00:00Z");
        assertEquals(direct.total.get("decisions"), report.total().decisions());
        assertEquals(direct.total.get("permits"), report.total().permits());
        assertEquals(direct.total.get("refusals"), report.total().refusals());
        assertEquals(direct.total.get("patients"), report.total().patients());
        assertEquals(direct.total.get("patientsPermitted"), report.total().patientsPermitted());
        assertEquals(direct.reasons, report.total().refusalReasons());
        assertEquals(direct.resources, report.total().resources());
        assertEquals(direct.total.get("permits"), report.checks().permits());
        assertEquals(List.of("2026-09", "2026-10", "2026-11"), report.months().stream().map(AuditReport.Tally::period).toList());
        for (AuditReport.Tally month : report.months()) {
            Map<String, Long> m = direct.months.get(month.period());
            assertNotNull(m, month.period());
            assertEquals(m.get("decisions"), month.decisions(), month.period());
            assertEquals(m.get("permits"), month.permits(), month.period());
            assertEquals(m.get("patients"), month.patients(), month.period());
        }
        assertEquals(Map.of("agreement.data-exceeded", 1L, "agreement.not-in-force", 2L, "consent.research-opt-out", 1L),
                report.total().refusalReasons());
        assertEquals(8, report.months().get(0).patients());

        // The audit is reproducible: the same checkpoint, the same report, whatever is appended since.
        research(GateFixture.ALICE, "Observation");
        assertEquals(report, new AgreementAudit(ds).run(ID, LocalDate.of(2026, 9, 1), LocalDate.of(2026, 11, 30), "test.example/audit", cp,
                s -> {}));
        // A decision's content erased after its retention period: the copies the audit reads go with it, and the audit says so.
        long first;
        try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT min(idx) FROM agreement_activity WHERE type = 'access.decision'")) {
            rs.next();
            first = rs.getLong(1);
        }
        assertTrue(new PostgresLogStore(ds).eraseContent(first));
        try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT patient, erased FROM agreement_activity WHERE idx = " + first)) {
            rs.next();
            assertEquals(null, rs.getString(1), "the patient's number is erased with the entry");
            assertTrue(rs.getBoolean(2));
        }
        AuditReport afterErasure = new AgreementAudit(ds).run(ID, LocalDate.of(2026, 9, 1), LocalDate.of(2026, 11, 30), "test.example/audit", cp,
                s -> {});
        assertEquals(1, afterErasure.checks().erased());
        assertEquals(report.total().decisions() - 1, afterErasure.total().decisions());
    }

    @Test
    void anUnknownAgreementOrAPeriodTheWrongWayRoundIsRefusedWithAClearMessage() throws Exception {
        at("2026-09-02T09:00:00Z");
        research(GateFixture.ALICE, "Observation");
        PublishedCheckpoint cp = checkpointCoveringEverything();
        AgreementAudit audit = new AgreementAudit(ds);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> audit.run("dsa-nobody", LocalDate.of(2026, 9, 1), LocalDate.of(2026, 9, 30), "o", cp, s -> {}));
        assertTrue(unknown.getMessage().contains("no agreement \"dsa-nobody\"") && unknown.getMessage().contains(ID), unknown.getMessage());
        IllegalArgumentException backwards = assertThrows(IllegalArgumentException.class,
                () -> audit.run(ID, LocalDate.of(2026, 9, 30), LocalDate.of(2026, 9, 1), "o", cp, s -> {}));
        assertTrue(backwards.getMessage().contains("ends (2026-09-01) before it starts (2026-09-30)"), backwards.getMessage());
        assertEquals(List.of(ID), audit.agreements(cp.size()));
    }

    /** Counts straight from ledger_entries' JSON, without the audit's index. */
    private record Direct(Map<String, Long> total, Map<String, Map<String, Long>> months, TreeMap<String, Long> reasons,
            TreeMap<String, Long> resources) {}

    private Direct direct(long size, String from, String to) throws Exception {
        String where = "FROM ledger_entries e CROSS JOIN LATERAL (SELECT convert_from(e.content, 'UTF8')::jsonb AS j) p "
                + "WHERE e.idx < ? AND j ->> 'type' = 'access.decision' AND j ->> 'agreement' = ? "
                + "AND (j ->> 'time')::timestamptz >= ?::timestamptz AND (j ->> 'time')::timestamptz < ?::timestamptz";
        Map<String, Long> total = new HashMap<>();
        Map<String, Map<String, Long>> months = new HashMap<>();
        TreeMap<String, Long> reasons = new TreeMap<>();
        TreeMap<String, Long> resources = new TreeMap<>();
        try (Connection c = ds.getConnection()) {
            String select = "SELECT count(*), count(*) FILTER (WHERE j ->> 'decision' = 'permit'), count(*) FILTER (WHERE j ->> 'decision' = 'deny'), "
                    + "count(DISTINCT j ->> 'patient'), count(DISTINCT j ->> 'patient') FILTER (WHERE j ->> 'decision' = 'permit')";
            try (PreparedStatement s = c.prepareStatement(select + " " + where)) {
                bind(s, size, from, to);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    total.put("decisions", rs.getLong(1));
                    total.put("permits", rs.getLong(2));
                    total.put("refusals", rs.getLong(3));
                    total.put("patients", rs.getLong(4));
                    total.put("patientsPermitted", rs.getLong(5));
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT to_char((j ->> 'time')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM') m, "
                    + "count(*), count(*) FILTER (WHERE j ->> 'decision' = 'permit'), count(DISTINCT j ->> 'patient') " + where + " GROUP BY m")) {
                bind(s, size, from, to);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        months.put(rs.getString(1), Map.of("decisions", rs.getLong(2), "permits", rs.getLong(3), "patients", rs.getLong(4)));
                    }
                }
            }
            String reasonsSql = "SELECT r, count(*) FROM ledger_entries e CROSS JOIN LATERAL (SELECT convert_from(e.content, 'UTF8')::jsonb AS j) p "
                    + "CROSS JOIN LATERAL jsonb_array_elements_text(j -> 'reasons') r "
                    + where.substring(where.indexOf("WHERE")) + " AND j ->> 'decision' = 'deny' GROUP BY r";
            try (PreparedStatement s = c.prepareStatement(reasonsSql)) {
                bind(s, size, from, to);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        reasons.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            String resourcesSql = reasonsSql.replace("j -> 'reasons'", "j -> 'resources'").replace("'deny'", "'permit'");
            try (PreparedStatement s = c.prepareStatement(resourcesSql)) {
                bind(s, size, from, to);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        resources.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
        }
        return new Direct(total, months, reasons, resources);
    }

    private static void bind(PreparedStatement s, long size, String from, String to) throws Exception {
        s.setLong(1, size);
        s.setString(2, ID);
        s.setString(3, from);
        s.setString(4, to);
    }

    @SuppressWarnings("unused")
    private Map<String, Object> entry(long index) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT content FROM ledger_entries WHERE idx = ?")) {
            ps.setLong(1, index);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) CanonicalJson.parse(new String(rs.getBytes(1), StandardCharsets.UTF_8));
                return m;
            }
        }
    }
}
