package org.custodian.core.decisions;

import static org.custodian.core.decisions.GateFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custodian.core.registers.Agreement;
import org.custodian.core.registers.RegisterDocument;
import org.custodian.core.registers.RegisterRefusedException;
import org.custodian.core.registers.RegisterSnapshot;
import org.custodian.core.registers.RegisterStore;
import org.custodian.core.rules.Reason;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.postgres.PostgresPerClass;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Data-sharing agreements at the gate, with the registers in PostgreSQL as a deployment keeps them: a request by
 * the partner within its agreement is permitted and recorded under it; beyond its data or form it is refused; once
 * the agreement is suspended (a register change, itself recorded) the very next request is refused, and once
 * resumed permitted again; an agreement naming a private company as partner is refused by the register.
 */
class TestAgreementsAtTheGate {
    private static final Agreement DIABETES_DSA = new Agreement("dsa-uni1-diabetes", "Diabetes outcomes data sharing agreement",
            UNIVERSITY.id(), List.of(), Set.of(Purpose.HRESCH), DataForm.PSEUDONYMISED, List.of("Observation", "Condition"),
            Set.of(), "UK GDPR Article 6(1)(e) and 9(2)(j)", true, TODAY.minusMonths(6), TODAY.plusYears(2), Agreement.Status.ACTIVE,
            List.of(new Agreement.Payment(Agreement.Payment.Direction.TO_PARTNER, "None", null)));

    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    private HikariDataSource ds;
    private RegisterStore registers;
    private RecordingGate gate;

    private GateWorld world;

    @BeforeEach
    void world() throws Exception {
        world = GateWorld.open(postgres.server(), CLOCK, "test.example/agreements", document(DIABETES_DSA));
        ds = world.ds();
        registers = world.registers();
        gate = world.gate();
    }

    @AfterEach
    void close() {
        world.close();
    }

    /** GateFixture's world with these agreements, as one register document. */
    private static RegisterDocument document(Agreement... agreements) {
        RegisterSnapshot s = GateFixture.registers();
        return RegisterDocument.of(List.copyOf(s.organisations()), List.copyOf(s.people()), s.careRelationships(), s.proxies(),
                List.copyOf(s.projects()), List.of(agreements));
    }

    private RecordedDecision research(String... resources) {
        return gate.decide(new AccessRequest(RESEARCHER, UNIVERSITY, Purpose.HRESCH, ALICE, DataForm.PSEUDONYMISED, Set.of(),
                List.of(resources), STUDY.id(), "test"));
    }

    private Map<String, Object> entry(long index) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT content FROM ledger_entries WHERE idx = ?")) {
            ps.setLong(1, index);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "entry " + index + " is in the ledger");
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) CanonicalJson.parse(new String(rs.getBytes(1), StandardCharsets.UTF_8));
                return m;
            }
        }
    }

    private static List<String> codes(RecordedDecision d) {
        return d.ruling().decision().reasons().stream().map(Reason::code).toList();
    }

    @Test
    void aRequestWithinTheAgreementIsPermittedAndRecordedUnderIt() throws Exception {
        RecordedDecision d = research("Observation");
        assertTrue(d.ruling().decision().permitted(), d.toString());
        assertTrue(codes(d).contains("agreement.in-force"), codes(d).toString());
        assertEquals("dsa-uni1-diabetes", entry(d.index()).get("agreement"), "the decision's ledger entry names the agreement");
        // The agreement covers no sensitive category: a whole-record request gets none of them.
        Obligation.WithholdCategories withheld = d.ruling().decision().obligations().stream()
                .filter(o -> o instanceof Obligation.WithholdCategories).map(o -> (Obligation.WithholdCategories) o).findFirst().orElseThrow();
        assertEquals(Set.of(SensitiveCategory.values()), withheld.categories());
    }

    @Test
    void beyondItsDataOrItsCategoriesIsRefused() throws Exception {
        RecordedDecision medicines = research("MedicationRequest");
        assertFalse(medicines.ruling().decision().permitted());
        assertTrue(codes(medicines).contains("agreement.data-exceeded"), codes(medicines).toString());
        assertEquals("dsa-uni1-diabetes", entry(medicines.index()).get("agreement"), "the refusal is recorded against the agreement");
        RecordedDecision everything = research("*");
        assertTrue(codes(everything).contains("agreement.data-exceeded"), "the whole record is never within an agreement's data");
        RecordedDecision mentalHealth = gate.decide(new AccessRequest(RESEARCHER, UNIVERSITY, Purpose.HRESCH, ALICE, DataForm.PSEUDONYMISED,
                Set.of(SensitiveCategory.PSY), List.of("Condition"), STUDY.id(), "test"));
        assertTrue(codes(mentalHealth).contains("agreement.data-exceeded"), codes(mentalHealth).toString());
        // A request that names no data (the decision API's resources are optional) could be for any: not within it.
        RecordedDecision unstated = gate.decide(new AccessRequest(RESEARCHER, UNIVERSITY, Purpose.HRESCH, ALICE, DataForm.PSEUDONYMISED,
                Set.of(), List.of(), STUDY.id(), "test"));
        assertFalse(unstated.ruling().decision().permitted(), unstated.toString());
        assertTrue(codes(unstated).contains("agreement.data-exceeded"), codes(unstated).toString());
    }

    @Test
    void suspendingTheAgreementRefusesTheVeryNextRequestAndResumingAllowsItAgain() throws Exception {
        assertTrue(research("Observation").ruling().decision().permitted());
        List<Long> written = registers.apply(document(with(DIABETES_DSA, Agreement.Status.SUSPENDED))).ledgerIndexes();
        assertEquals(1, written.size(), "one change: the agreement's status");
        Map<String, Object> change = entry(written.get(0));
        assertEquals("register.change", change.get("type"));
        assertEquals("agreements", change.get("register"));
        assertEquals(List.of("status"), change.get("changed"), "the suspension is recorded as what changed");

        RecordedDecision next = research("Observation");
        assertFalse(next.ruling().decision().permitted(), "refused at the very next decision");
        assertTrue(codes(next).contains("agreement.not-in-force"), codes(next).toString());

        registers.apply(document(with(DIABETES_DSA, Agreement.Status.ENDED)));
        assertTrue(codes(research("Observation")).contains("agreement.not-in-force"), "an ended agreement is refused too");

        registers.apply(document(DIABETES_DSA));
        assertTrue(research("Observation").ruling().decision().permitted(), "in force again");
    }

    @Test
    void anAgreementOutOfItsDatesIsNotInForce() throws Exception {
        registers.apply(document(new Agreement(DIABETES_DSA.id(), DIABETES_DSA.title(), DIABETES_DSA.partner(), List.of(), DIABETES_DSA.purposes(),
                DIABETES_DSA.form(), DIABETES_DSA.data(), Set.of(), DIABETES_DSA.legalBasis(), true, TODAY.minusYears(2), TODAY.minusDays(1),
                Agreement.Status.ACTIVE, List.of())));
        assertTrue(codes(research("Observation")).contains("agreement.not-in-force"));
    }

    @Test
    void aPrivateCompanyCannotBeAPartnerOnlyAProcessorAndTheStoredAgreementReadsBackAsWritten() throws Exception {
        Agreement companyAsPartner = new Agreement("dsa-corp", "Platform", COMPANY.id(), List.of(), Set.of(Purpose.HOPERAT), DataForm.AGGREGATE,
                List.of("Encounter"), Set.of(), "none", true, TODAY, null, Agreement.Status.ACTIVE, List.of());
        RegisterRefusedException refused = assertThrows(RegisterRefusedException.class, () -> registers.apply(document(DIABETES_DSA,
                companyAsPartner)));
        assertTrue(refused.getMessage().contains("partner \"PRIV1\" is a private company"), refused.getMessage());
        assertFalse(registers.snapshot().agreement("dsa-corp").isPresent(), "nothing written");

        Agreement platform = new Agreement("dsa-icb-platform", "Planning platform", ICB.id(), List.of(COMPANY.id()), Set.of(Purpose.HOPERAT),
                DataForm.AGGREGATE, List.of("Encounter", "Condition"), Set.of(SensitiveCategory.PSY), "NHS Act 2006 s.14Z61", true, TODAY,
                null, Agreement.Status.ACTIVE,
                List.of(new Agreement.Payment(Agreement.Payment.Direction.TO_PARTNER, "Licence for the processor's platform", "£1,200,000 a year")));
        registers.apply(document(DIABETES_DSA, platform));
        try (RegisterStore fresh = RegisterStore.open(ds, CLOCK)) {
            assertEquals(platform, fresh.snapshot().agreement("dsa-icb-platform").orElseThrow(), "read back exactly as written");
            assertEquals(List.of(platform), fresh.agreementsOf(ICB.id()));
        }
    }

    private static Agreement with(Agreement a, Agreement.Status status) {
        return new Agreement(a.id(), a.title(), a.partner(), a.processors(), a.purposes(), a.form(), a.data(), a.categories(), a.legalBasis(),
                a.optOutsApply(), a.from(), a.to(), status, a.payments());
    }
}
