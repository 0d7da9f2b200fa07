package org.custodian.core.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.custodian.core.identity.TokenException.Kind;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Project;
import org.custodian.core.registers.RegisterSnapshot;
import org.custodian.core.registers.Registers;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.junit.jupiter.api.Test;

class TestAuthenticator {
    private final MovableClock clock = MovableClock.at("2025-03-01T09:00:00Z");
    private final TokenKeys keys = TokenKeys.generate("custodian.test/custodian/0001");
    private final TokenIssuer issuer = new TokenIssuer(keys, clock);
    /** Registers that tests change between issuing and using a token, as an administrator would. */
    private final AtomicReference<RegisterSnapshot> current = new AtomicReference<>(Registry.snapshot());
    private final AtomicInteger reads = new AtomicInteger();
    private final Authenticator authenticator = new Authenticator(new CustodianTokenVerifier(keys, clock), new LiveRegisters());

    private final class LiveRegisters implements Registers {
        @Override
        public java.util.Optional<Organisation> organisation(String id) {
            reads.incrementAndGet();
            return current.get().organisation(id);
        }

        @Override
        public java.util.Optional<Person> person(String id) {
            reads.incrementAndGet();
            return current.get().person(id);
        }

        @Override
        public java.util.Optional<Person> patient(NhsNumber nhsNumber) {
            return current.get().patient(nhsNumber);
        }

        @Override
        public java.util.List<org.custodian.core.registers.CareRelationship> careRelationships(NhsNumber patient) {
            return current.get().careRelationships(patient);
        }

        @Override
        public java.util.List<org.custodian.core.registers.Proxy> proxies(NhsNumber patient) {
            return current.get().proxies(patient);
        }

        @Override
        public java.util.Optional<Project> project(String id) {
            reads.incrementAndGet();
            return current.get().project(id);
        }

        @Override
        public java.util.List<org.custodian.core.registers.Agreement> agreementsOf(String partner) {
            return current.get().agreementsOf(partner);
        }
    }

    private String gpToken() {
        return issuer.issue(Registry.GP, Registry.PRACTICE, Purpose.TREAT, null, Duration.ofMinutes(15)).token();
    }

    private String researchToken() {
        return issuer.issue(Registry.RESEARCHER, Registry.UNIVERSITY, Purpose.HRESCH, Registry.ASTHMA_STUDY,
                Duration.ofMinutes(15)).token();
    }

    private TokenException refused(String token) {
        return assertThrows(TokenException.class, () -> authenticator.authenticate(token));
    }

    @Test
    void aValidTokenBecomesTheCallerTheRegistersKnow() throws Exception {
        Caller gp = authenticator.authenticate(gpToken());
        assertEquals(Registry.GP, gp.person());
        assertEquals(Registry.PRACTICE, gp.organisation());
        assertEquals(Purpose.TREAT, gp.purpose());
        assertNull(gp.project());

        Caller researcher = authenticator.authenticate(researchToken());
        assertEquals(Registry.RESEARCHER, researcher.person());
        assertEquals(Registry.UNIVERSITY, researcher.organisation());
        assertEquals(Registry.ASTHMA_STUDY, researcher.project());
        assertEquals("proj-asthma", researcher.claims().projectId());
    }

    @Test
    void anInvalidTokenIsRefusedBeforeTheRegistersAreRead() {
        String token = gpToken();
        reads.set(0);
        assertSame(Kind.MALFORMED, refused("not-a-token").kind());
        clock.advance(Duration.ofHours(1));
        assertSame(Kind.EXPIRED, refused(token).kind());
        assertEquals(0, reads.get());
    }

    @Test
    void aPersonNoLongerInTheRegistersIsRefused() {
        String token = gpToken();
        current.set(RegisterSnapshot.builder().organisation(Registry.PRACTICE).build());
        TokenException e = refused(token);
        assertEquals(Kind.UNKNOWN_PERSON, e.kind());
        assertEquals("the token's person 'dr-ahmed' is not in the registers", e.getMessage());
    }

    @Test
    void aPersonWhoMovedToAnotherOrganisationCannotUseTheirOldToken() {
        String token = gpToken();
        Person moved = new Person(Registry.GP.id(), Registry.GP.name(), Registry.GP.role(), Registry.UNIVERSITY.id(), null);
        current.set(Registry.builder().person(moved).build());
        TokenException e = refused(token);
        assertEquals(Kind.ORGANISATION_MISMATCH, e.kind());
        assertEquals("dr-ahmed belongs to organisation U00001, not Y00001 named in the token", e.getMessage());
    }

    @Test
    void anOrganisationNoLongerInTheRegistersIsRefused() {
        String token = gpToken();
        current.set(RegisterSnapshot.builder().organisation(Registry.UNIVERSITY).person(Registry.GP).build());
        TokenException e = refused(token);
        assertEquals(Kind.ORGANISATION_MISMATCH, e.kind());
        assertEquals("the token's organisation 'Y00001' is not in the registers", e.getMessage());
    }

    @Test
    void aProjectNoLongerInTheRegistersOrOfAnotherOrganisationIsRefused() {
        String token = researchToken();
        current.set(RegisterSnapshot.builder().organisation(Registry.UNIVERSITY).person(Registry.RESEARCHER).build());
        TokenException unknown = refused(token);
        assertEquals(Kind.UNKNOWN_PROJECT, unknown.kind());
        assertEquals("the token's project 'proj-asthma' is not in the registers", unknown.getMessage());

        Project handedOver = new Project(Registry.ASTHMA_STUDY.id(), Registry.PRACTICE.id(), Purpose.HRESCH,
                DataForm.PSEUDONYMISED, Project.Status.APPROVED, null, Registry.ASTHMA_STUDY.approvedUntil(), null, null, null, List.of());
        current.set(Registry.builder().project(handedOver).build());
        TokenException moved = refused(token);
        assertEquals(Kind.ORGANISATION_MISMATCH, moved.kind());
        assertEquals("project proj-asthma belongs to organisation Y00001, not U00001 named in the token", moved.getMessage());
    }

    @Test
    void aSuspendedProjectStillAuthenticatesForTheGateToRefuseAndRecord() throws Exception {
        String token = researchToken();
        Project suspended = new Project(Registry.ASTHMA_STUDY.id(), Registry.UNIVERSITY.id(), Purpose.HRESCH,
                DataForm.PSEUDONYMISED, Project.Status.SUSPENDED, null, Registry.ASTHMA_STUDY.approvedUntil(), null, null, null, List.of());
        current.set(Registry.builder().project(suspended).build());
        assertEquals(Project.Status.SUSPENDED, authenticator.authenticate(token).project().status());
    }

    @Test
    void aTokenCannotBeUsedForAnotherPurpose() throws Exception {
        Caller researcher = authenticator.authenticate(researchToken());
        Authenticator.requirePurpose(researcher, Purpose.HRESCH, Purpose.CLINTRCH);
        TokenException e = assertThrows(TokenException.class,
                () -> Authenticator.requirePurpose(researcher, Purpose.TREAT, Purpose.ETREAT, Purpose.BTG));
        assertEquals(Kind.WRONG_PURPOSE, e.kind());
        assertTrue(e.kind().isInsufficientScope());
        assertEquals("this token is for HRESCH (healthcare research); it cannot be used for TREAT, ETREAT, BTG", e.getMessage());

        Caller gp = authenticator.authenticate(gpToken());
        assertEquals(Kind.WRONG_PURPOSE,
                assertThrows(TokenException.class, () -> Authenticator.requirePurpose(gp, Purpose.HRESCH)).kind());
        assertThrows(IllegalArgumentException.class, () -> Authenticator.requirePurpose(gp));
    }

    @Test
    void aTokenCannotBeUsedOutsideItsProject() throws Exception {
        Caller researcher = authenticator.authenticate(researchToken());
        Authenticator.requireProject(researcher, "proj-asthma");
        TokenException other = assertThrows(TokenException.class, () -> Authenticator.requireProject(researcher, "proj-audit"));
        assertEquals(Kind.WRONG_PROJECT, other.kind());
        assertEquals("this token is for project proj-asthma, not for project proj-audit", other.getMessage());

        Caller gp = authenticator.authenticate(gpToken());
        TokenException none = assertThrows(TokenException.class, () -> Authenticator.requireProject(gp, "proj-asthma"));
        assertEquals(Kind.WRONG_PROJECT, none.kind());
        assertTrue(none.kind().isInsufficientScope());
    }

    @Test
    void aCallerMustAgreeWithItsToken() throws Exception {
        Caller gp = authenticator.authenticate(gpToken());
        assertThrows(IllegalArgumentException.class,
                () -> new Caller(Registry.RECEPTIONIST, Registry.PRACTICE, Purpose.TREAT, null, gp.claims()));
        assertThrows(IllegalArgumentException.class,
                () -> new Caller(Registry.GP, Registry.PRACTICE, Purpose.BTG, null, gp.claims()));
        assertThrows(IllegalArgumentException.class,
                () -> new Caller(Registry.GP, Registry.UNIVERSITY, Purpose.TREAT, null, gp.claims()));
        assertThrows(IllegalArgumentException.class,
                () -> new Caller(Registry.GP, Registry.PRACTICE, Purpose.TREAT, Registry.PRACTICE_PLANNING, gp.claims()));
    }
}
