package org.custodian.core.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Project;
import org.custodian.core.vocabulary.Purpose;
import org.junit.jupiter.api.Test;

class TestTokenIssuer {
    private static final String DEPLOYMENT = "custodian.test/custodian/0001";

    private final MovableClock clock = MovableClock.at("2025-03-01T09:00:00.750Z");
    private final TokenKeys keys = TokenKeys.generate(DEPLOYMENT);
    private final TokenIssuer issuer = new TokenIssuer(keys, clock);
    private final CustodianTokenVerifier verifier = new CustodianTokenVerifier(keys, clock);

    private static String message(Person person, Organisation organisation, Purpose purpose, Project project, Duration ttl,
            TokenIssuer issuer) {
        return assertThrows(IllegalArgumentException.class, () -> issuer.issue(person, organisation, purpose, project, ttl))
                .getMessage();
    }

    @Test
    void aTokenForDirectCareVerifiesToWhatWasIssued() throws Exception {
        TokenIssuer.Issued issued = issuer.issue(Registry.GP, Registry.PRACTICE, Purpose.TREAT, null, TokenIssuer.DEFAULT_TTL);
        Claims claims = verifier.verify(issued.token());
        assertEquals(issued.claims(), claims);
        assertEquals(DEPLOYMENT, claims.issuer());
        assertEquals("dr-ahmed", claims.personId());
        assertEquals("Y00001", claims.organisationId());
        assertEquals(Purpose.TREAT, claims.purpose());
        assertNull(claims.projectId());
        assertEquals(Instant.parse("2025-03-01T09:15:00Z"), claims.expiresAt());
    }

    @Test
    void aTokenForResearchCarriesItsProject() throws Exception {
        TokenIssuer.Issued issued = issuer.issue(Registry.RESEARCHER, Registry.UNIVERSITY, Purpose.HRESCH,
                Registry.ASTHMA_STUDY, Duration.ofHours(2));
        Claims claims = verifier.verify(issued.token());
        assertEquals("proj-asthma", claims.projectId());
        assertEquals(Purpose.HRESCH, claims.purpose());
        assertEquals(Instant.parse("2025-03-01T11:00:00Z"), claims.expiresAt());
    }

    @Test
    void theTokenHasExactlyTheDocumentedHeaderAndClaims() throws Exception {
        SignedJWT jwt = SignedJWT.parse(issuer.issue(Registry.RESEARCHER, Registry.UNIVERSITY, Purpose.HRESCH,
                Registry.ASTHMA_STUDY, Duration.ofMinutes(5)).token());
        assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
        assertEquals(JOSEObjectType.JWT, jwt.getHeader().getType());
        assertEquals(keys.keyId(), jwt.getHeader().getKeyID());
        assertEquals(Set.of("alg", "typ", "kid"), jwt.getHeader().getIncludedParams());

        Map<String, Object> claims = jwt.getJWTClaimsSet().toJSONObject();
        assertEquals(Set.of("iss", "sub", "aud", "org", "purpose", "project", "jti", "iat", "nbf", "exp"), claims.keySet());
        assertEquals(DEPLOYMENT, claims.get("iss"));
        assertEquals(DEPLOYMENT, claims.get("aud"), "a single audience, the deployment");
        assertEquals("r-lee", claims.get("sub"));
        assertEquals("U00001", claims.get("org"));
        assertEquals("HRESCH", claims.get("purpose"));
        assertEquals("proj-asthma", claims.get("project"));
        assertEquals(Date.from(Instant.parse("2025-03-01T09:00:00Z")), jwt.getJWTClaimsSet().getIssueTime());
        assertEquals(jwt.getJWTClaimsSet().getIssueTime(), jwt.getJWTClaimsSet().getNotBeforeTime());
        assertEquals(Date.from(Instant.parse("2025-03-01T09:05:00Z")), jwt.getJWTClaimsSet().getExpirationTime());
        assertEquals(22, jwt.getJWTClaimsSet().getJWTID().length(), "128 random bits, base64url");

        Set<String> direct = SignedJWT.parse(issuer.issue(Registry.GP, Registry.PRACTICE, Purpose.TREAT, null,
                Duration.ofMinutes(5)).token()).getJWTClaimsSet().getClaims().keySet();
        assertFalse(direct.contains("project"), "no project claim without a project");
    }

    @Test
    void everyTokenHasItsOwnId() throws Exception {
        String a = issuer.issue(Registry.GP, Registry.PRACTICE, Purpose.TREAT, null, TokenIssuer.DEFAULT_TTL).claims().tokenId();
        String b = issuer.issue(Registry.GP, Registry.PRACTICE, Purpose.TREAT, null, TokenIssuer.DEFAULT_TTL).claims().tokenId();
        assertNotEquals(a, b);
    }

    @Test
    void refusesAPersonOfAnotherOrganisation() {
        assertEquals("dr-ahmed belongs to organisation Y00001, not U00001",
                message(Registry.GP, Registry.UNIVERSITY, Purpose.TREAT, null, TokenIssuer.DEFAULT_TTL, issuer));
    }

    @Test
    void refusesSecondaryUseWithoutAProject() {
        for (Purpose purpose : Purpose.values()) {
            if (purpose.group().isSecondary()) {
                String m = message(Registry.RESEARCHER, Registry.UNIVERSITY, purpose, null, TokenIssuer.DEFAULT_TTL, issuer);
                assertTrue(m.startsWith(purpose.code() + " (") && m.endsWith("which happens only under a project: name one"), m);
            }
        }
    }

    @Test
    void refusesAProjectForAPurposeThatIsNotSecondaryUse() {
        for (Purpose purpose : Purpose.values()) {
            if (!purpose.group().isSecondary()) {
                String m = message(Registry.GP, Registry.PRACTICE, purpose, Registry.PRACTICE_PLANNING, TokenIssuer.DEFAULT_TTL, issuer);
                assertTrue(m.contains("is not secondary use, so a token for it names no project (proj-planning given)"), m);
            }
        }
    }

    @Test
    void refusesAProjectOfAnotherOrganisationOrForAnotherPurpose() {
        assertEquals("project proj-planning belongs to organisation Y00001, not U00001",
                message(Registry.RESEARCHER, Registry.UNIVERSITY, Purpose.HOPERAT, Registry.PRACTICE_PLANNING,
                        TokenIssuer.DEFAULT_TTL, issuer));
        assertEquals("project proj-asthma is for HRESCH (healthcare research), not CLINTRCH",
                message(Registry.RESEARCHER, Registry.UNIVERSITY, Purpose.CLINTRCH, Registry.ASTHMA_STUDY,
                        TokenIssuer.DEFAULT_TTL, issuer));
    }

    @Test
    void refusesALifetimeShorterThanASecondOrLongerThanTwelveHours() throws Exception {
        for (Duration ttl : List.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofMillis(999), Duration.ofHours(12).plusSeconds(1),
                Duration.ofDays(30))) {
            String m = message(Registry.GP, Registry.PRACTICE, Purpose.TREAT, null, ttl, issuer);
            assertEquals("a token lives at least 1 second and at most 12 hours, not " + ttl, m);
        }
        issuer.issue(Registry.GP, Registry.PRACTICE, Purpose.TREAT, null, Duration.ofHours(12));
        issuer.issue(Registry.GP, Registry.PRACTICE, Purpose.TREAT, null, Duration.ofSeconds(1));
    }

    @Test
    void doesNotDecideWhatTheGateDecides() throws Exception {
        // Marketing is always refused, and a suspended project cannot be used, but refusing those is the
        // gate's job: it records each refusal, which a refused token would not be.
        Project suspended = new Project("proj-market", Registry.UNIVERSITY.id(), Purpose.HMARKT,
                org.custodian.core.vocabulary.DataForm.AGGREGATE, Project.Status.SUSPENDED, null, java.time.LocalDate.parse("2020-01-01"), null, null, null, List.of());
        Claims claims = verifier.verify(issuer.issue(Registry.RESEARCHER, Registry.UNIVERSITY, Purpose.HMARKT, suspended,
                TokenIssuer.DEFAULT_TTL).token());
        assertEquals(Purpose.HMARKT, claims.purpose());
    }
}
