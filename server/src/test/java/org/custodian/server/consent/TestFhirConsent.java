package org.custodian.server.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.custodian.core.consent.ConsentChoices;
import org.custodian.core.consent.ConsentRecord;
import org.custodian.core.consent.ConsentRecord.Channel;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.vocabulary.PurposeGroup;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.records.fhir.FhirR4;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The FHIR R4 Consent form of a patient's choices: round trip, what clients send, and what is refused. */
class TestFhirConsent {
    private static final FhirConsent FHIR = new FhirConsent(FhirR4.context());
    private static final NhsNumber ALICE = NhsNumber.parse("943 476 5919");
    private static final NhsNumber BOB = new NhsNumber("9000000009");
    private static final Instant AT = Instant.parse("2026-03-01T10:15:30.123Z");

    private static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    private static final String IRCP = """
            "role":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"IRCP"}]}""";

    // ---------------------------------------------------------------------------------------------
    // Round trip

    @Test
    void everySampledChoiceSurvivesTheRoundTripThroughFhirJson() {
        SplittableRandom random = new SplittableRandom(20260301L);
        List<String> organisations = List.of("A81001", "RTH", "8HN00", "X26", "RR8", "Y00123");
        List<String> people = List.of("dr-1", "dr-2", "nurse-7", "counsellor-3");
        List<PurposeGroup> choosable = List.copyOf(ConsentChoices.CHOOSABLE);
        Set<ConsentChoices> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Set<PurposeGroup> purposes = new HashSet<>();
            choosable.forEach(g -> { if (random.nextBoolean()) purposes.add(g); });
            Set<String> refused = new HashSet<>();
            organisations.forEach(o -> { if (random.nextInt(4) == 0) refused.add(o); });
            Map<SensitiveCategory, Set<String>> withheld = new EnumMap<>(SensitiveCategory.class);
            for (SensitiveCategory c : SensitiveCategory.values()) {
                if (random.nextInt(3) == 0) {
                    Set<String> allowed = new HashSet<>();
                    people.forEach(p -> { if (random.nextInt(3) == 0) allowed.add(p); });
                    withheld.put(c, allowed);
                }
            }
            ConsentChoices choices = new ConsentChoices(purposes, refused, withheld);
            seen.add(choices);
            Channel channel = Channel.values()[random.nextInt(Channel.values().length)];
            ConsentRecord record = new ConsentRecord(ALICE, choices, 1 + random.nextInt(50), AT.plusSeconds(i),
                    channel == Channel.ASSISTED ? "reception-1" : "alice", channel, 100 + i);

            String json = FHIR.toFhirJson(record);

            assertEquals(choices, FHIR.fromFhirJson(json, ALICE), json);
        }
        assertTrue(seen.size() > 150, "the sample covers many distinct choices: " + seen.size());
    }

    @Test
    void aPatientWhoNeverChoseIsAnActiveConsentWithNoDenyAndReadsBackAsNothingRefused() {
        String json = FHIR.toFhirJson(ConsentRecord.none(ALICE));
        Consent consent = strictlyParsed(json);

        assertEquals(ConsentState.ACTIVE, consent.getStatus());
        assertEquals("0", consent.getMeta().getVersionId());
        assertEquals(ConsentProvisionType.PERMIT, consent.getProvision().getType());
        assertFalse(consent.getProvision().hasProvision());
        assertFalse(consent.hasPerformer());
        assertFalse(consent.hasDateTime());
        assertEquals(ConsentChoices.NOTHING_REFUSED, FHIR.fromFhirJson(json, ALICE));
    }

    @Test
    void theJsonWrittenIsAValidConsentForThePatientsNhsNumber() {
        ConsentChoices choices = new ConsentChoices(Set.of(PurposeGroup.RESEARCH), Set.of("RTH"),
                Map.of(SensitiveCategory.PSY, Set.of("dr-1")));
        Consent consent = strictlyParsed(FHIR.toFhirJson(new ConsentRecord(ALICE, choices, 3, AT, "alice", Channel.PATIENT, 42)));

        assertEquals("https://fhir.nhs.uk/Id/nhs-number", consent.getPatient().getIdentifier().getSystem());
        assertEquals("9434765919", consent.getPatient().getIdentifier().getValue());
        assertEquals("patient-privacy", consent.getScope().getCodingFirstRep().getCode());
        assertEquals("59284-0", consent.getCategoryFirstRep().getCodingFirstRep().getCode());
        assertEquals("3", consent.getMeta().getVersionId());
        assertEquals(AT, consent.getDateTime().toInstant());
        assertEquals(FhirConsent.POLICY_URI, consent.getPolicyFirstRep().getUri());

        List<ProvisionComponent> denies = consent.getProvision().getProvision();
        assertEquals(3, denies.size());
        assertEquals(List.of("HRESCH", "CLINTRCH"), denies.get(0).getPurpose().stream().map(c -> c.getCode()).toList());
        assertEquals("RTH", denies.get(1).getActorFirstRep().getReference().getIdentifier().getValue());
        assertEquals(FhirConsent.ODS_SYSTEM, denies.get(1).getActorFirstRep().getReference().getIdentifier().getSystem());
        assertEquals("IRCP", denies.get(1).getActorFirstRep().getRole().getCodingFirstRep().getCode());
        assertEquals("PSY", denies.get(2).getSecurityLabelFirstRep().getCode());
        ProvisionComponent exception = denies.get(2).getProvisionFirstRep();
        assertEquals(ConsentProvisionType.PERMIT, exception.getType());
        assertEquals(FhirConsent.PERSON_SYSTEM, exception.getActorFirstRep().getReference().getIdentifier().getSystem());
        assertEquals("dr-1", exception.getActorFirstRep().getReference().getIdentifier().getValue());
    }

    @Test
    void directCareBeyondThePracticeIsADenyOfTreat() {
        ConsentChoices choices = new ConsentChoices(Set.of(PurposeGroup.DIRECT_CARE), Set.of(), Map.of());
        Consent consent = strictlyParsed(FHIR.toFhirJson(new ConsentRecord(ALICE, choices, 1, AT, "alice", Channel.PATIENT, 1)));

        assertEquals(List.of("TREAT"), consent.getProvision().getProvisionFirstRep().getPurpose().stream().map(c -> c.getCode()).toList());
    }

    @Test
    void eachChannelShowsWhoRecordedTheChoice() {
        ConsentChoices choices = new ConsentChoices(Set.of(PurposeGroup.PLANNING), Set.of(), Map.of());

        Consent byPatient = strictlyParsed(FHIR.toFhirJson(new ConsentRecord(ALICE, choices, 1, AT, "alice", Channel.PATIENT, 1)));
        assertReference(byPatient.getPerformerFirstRep(), "Patient", FhirConsent.PERSON_SYSTEM, "alice");
        assertFalse(byPatient.hasVerification());

        Consent byProxy = strictlyParsed(FHIR.toFhirJson(new ConsentRecord(ALICE, choices, 2, AT, "carer-9", Channel.PROXY, 2)));
        assertReference(byProxy.getPerformerFirstRep(), "RelatedPerson", FhirConsent.PERSON_SYSTEM, "carer-9");
        assertFalse(byProxy.hasVerification());

        Consent assisted = strictlyParsed(FHIR.toFhirJson(new ConsentRecord(ALICE, choices, 3, AT, "reception-1", Channel.ASSISTED, 3)));
        assertReference(assisted.getPerformerFirstRep(), "Patient", NhsNumber.SYSTEM, "9434765919");
        Consent.ConsentVerificationComponent verification = assisted.getVerificationFirstRep();
        assertTrue(verification.getVerified());
        assertReference(verification.getVerifiedWith(), "Patient", NhsNumber.SYSTEM, "9434765919");
        assertEquals(AT, verification.getVerificationDate().toInstant());
        assertReference((Reference) verification.getExtensionByUrl(FhirConsent.VERIFIED_BY_EXTENSION).getValue(),
                "Practitioner", FhirConsent.PERSON_SYSTEM, "reception-1");
    }

    // ---------------------------------------------------------------------------------------------
    // What clients send

    @Test
    void theIssuesConsentDenyingHreschIsAResearchOptOut() {
        String json = """
                {
                  "resourceType": "Consent",
                  "status": "active",
                  "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}]},
                  "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
                  "patient": {"identifier": {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}},
                  "provision": {
                    "type": "deny",
                    "purpose": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "HRESCH"}]
                  }
                }
                """;

        assertEquals(new ConsentChoices(Set.of(PurposeGroup.RESEARCH), Set.of(), Map.of()), FHIR.fromFhirJson(json, ALICE));
    }

    @Test
    void aClientsConsentWithNestedOrganisationsAndCategoriesReadsAsTheChoicesItStates() {
        String json = """
                {
                  "resourceType": "Consent",
                  "id": "alice-privacy",
                  "meta": {"versionId": "7", "lastUpdated": "2026-02-01T09:00:00Z"},
                  "text": {"status": "generated", "div": "<div xmlns=\\"http://www.w3.org/1999/xhtml\\">Alice's choices</div>"},
                  "status": "active",
                  "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy", "display": "Privacy Consent"}]},
                  "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0", "display": "Patient Consent"}]}],
                  "patient": {"type": "Patient", "identifier": {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}, "display": "Alice"},
                  "dateTime": "2026-02-01T09:00:00Z",
                  "performer": [{"identifier": {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}}],
                  "policy": [{"authority": "https://custodian.example", "uri": "https://custodian.example/policy/patient-choices"}],
                  "provision": {
                    "type": "permit",
                    "provision": [
                      {
                        "type": "deny",
                        "purpose": [
                          {"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "HOPERAT"},
                          {"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "POPHLTH"}
                        ]
                      },
                      {
                        "type": "deny",
                        "actor": [
                          {%1$s, "reference": {"identifier": {"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "RTH"}, "display": "Oxford University Hospitals"}},
                          {%1$s, "reference": {"type": "Organization", "identifier": {"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "8HN00"}}}
                        ]
                      },
                      {
                        "type": "deny",
                        "securityLabel": [
                          {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "PSY"},
                          {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "SEX"}
                        ],
                        "provision": [
                          {
                            "type": "permit",
                            "actor": [
                              {%1$s, "reference": {"type": "Practitioner", "identifier": {"system": "https://custodian.example/Id/person", "value": "dr-1"}, "display": "Dr One"}}
                            ]
                          }
                        ]
                      },
                      {
                        "type": "deny",
                        "securityLabel": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "HIV"}]
                      }
                    ]
                  }
                }
                """.formatted(IRCP);

        ConsentChoices expected = new ConsentChoices(Set.of(PurposeGroup.PLANNING), Set.of("RTH", "8HN00"), Map.of(
                SensitiveCategory.PSY, Set.of("dr-1"),
                SensitiveCategory.SEX, Set.of("dr-1"),
                SensitiveCategory.HIV, Set.of()));
        assertEquals(expected, FHIR.fromFhirJson(json, ALICE));
    }

    @Test
    void aDenyNamingSomeCodesOfAGroupRefusesTheWholeGroup() {
        String json = consent("""
                {"type":"deny","purpose":[{"system":"%1$s","code":"CLINTRCH"}]},
                {"type":"deny","purpose":[{"system":"%1$s","code":"PUBHLTH"}]}""".formatted(ACT_REASON));

        assertEquals(new ConsentChoices(Set.of(PurposeGroup.RESEARCH, PurposeGroup.PLANNING), Set.of(), Map.of()),
                FHIR.fromFhirJson(json, ALICE));
    }

    @Test
    void aConsentWithoutPatientOrProvisionIsForThePatientInThePathAndRefusesNothing() {
        String json = """
                {"resourceType":"Consent","status":"active"}""";

        assertEquals(ConsentChoices.NOTHING_REFUSED, FHIR.fromFhirJson(json, ALICE));
    }

    @Test
    void aRootWithoutTypeIsTakenAsTheBasePermit() {
        String json = """
                {"resourceType":"Consent","status":"active","provision":{"provision":[
                  {"type":"deny","purpose":[{"system":"%s","code":"TREAT"}]}]}}""".formatted(ACT_REASON);

        assertEquals(new ConsentChoices(Set.of(PurposeGroup.DIRECT_CARE), Set.of(), Map.of()), FHIR.fromFhirJson(json, ALICE));
    }

    // ---------------------------------------------------------------------------------------------
    // What is refused, naming the element

    static Stream<Arguments> unrepresentable() {
        List<Arguments> cases = new ArrayList<>();
        String research = "{\"type\":\"deny\",\"purpose\":[{\"system\":\"" + ACT_REASON + "\",\"code\":\"HRESCH\"}]}";
        cases.add(Arguments.of("marketing is not a choice", consent(research + ","
                        + "{\"type\":\"deny\",\"purpose\":[{\"system\":\"" + ACT_REASON + "\",\"code\":\"MARKT\"}]}"),
                "Consent.provision.provision[1].purpose[0]: \"MARKT\" is not a purpose a patient chooses about (marketing is always refused)"));
        cases.add(Arguments.of("break-glass is not a choice", consent(
                        "{\"type\":\"deny\",\"purpose\":[{\"system\":\"" + ACT_REASON + "\",\"code\":\"BTG\"}]}"),
                "Consent.provision.provision[0].purpose[0]: \"BTG\" is not a purpose a patient chooses about"));
        cases.add(Arguments.of("unknown purpose code", consent(
                        "{\"type\":\"deny\",\"purpose\":[{\"system\":\"" + ACT_REASON + "\",\"code\":\"HRESCH\"},"
                                + "{\"system\":\"" + ACT_REASON + "\",\"code\":\"NOSUCH\"}]}"),
                "Consent.provision.provision[0].purpose[1]: \"NOSUCH\" is not a purpose of use"));
        cases.add(Arguments.of("purpose from another system", consent(
                        "{\"type\":\"deny\",\"purpose\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"HRESCH\"}]}"),
                "Consent.provision.provision[0].purpose[0].system"));
        cases.add(Arguments.of("purpose without system", consent("{\"type\":\"deny\",\"purpose\":[{\"code\":\"HRESCH\"}]}"),
                "Consent.provision.provision[0].purpose[0].system"));
        cases.add(Arguments.of("unknown security label", consent(
                        "{\"type\":\"deny\",\"securityLabel\":[{\"system\":\"" + ACT_CODE + "\",\"code\":\"TBOO\"}]}"),
                "Consent.provision.provision[0].securityLabel[0]: \"TBOO\" is not a sensitive category"));
        cases.add(Arguments.of("security label from another system", consent(
                        "{\"type\":\"deny\",\"securityLabel\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-Confidentiality\",\"code\":\"R\"}]}"),
                "Consent.provision.provision[0].securityLabel[0].system"));
        cases.add(Arguments.of("a permit under the base permit", consent(research + ","
                        + "{\"type\":\"permit\",\"purpose\":[{\"system\":\"" + ACT_REASON + "\",\"code\":\"HRESCH\"}]}"),
                "Consent.provision.provision[1].type: a permit is only understood"));
        cases.add(Arguments.of("a nested provision without type", consent(
                        "{\"purpose\":[{\"system\":\"" + ACT_REASON + "\",\"code\":\"HRESCH\"}]}"),
                "Consent.provision.provision[0].type: is required"));
        cases.add(Arguments.of("a category exception restricted to a purpose", consent(
                        "{\"type\":\"deny\",\"securityLabel\":[{\"system\":\"" + ACT_CODE + "\",\"code\":\"PSY\"}],"
                                + "\"provision\":[{\"type\":\"permit\",\"purpose\":[{\"system\":\"" + ACT_REASON + "\",\"code\":\"TREAT\"}]}]}"),
                "Consent.provision.provision[0].provision[0].purpose"));
        cases.add(Arguments.of("a category exception naming nobody", consent(
                        "{\"type\":\"deny\",\"securityLabel\":[{\"system\":\"" + ACT_CODE + "\",\"code\":\"PSY\"}],"
                                + "\"provision\":[{\"type\":\"permit\"}]}"),
                "Consent.provision.provision[0].provision[0]: a permit inside a withheld category must name"));
        cases.add(Arguments.of("a deny nested in a category", consent(
                        "{\"type\":\"deny\",\"securityLabel\":[{\"system\":\"" + ACT_CODE + "\",\"code\":\"PSY\"}],"
                                + "\"provision\":[{\"type\":\"deny\",\"actor\":[" + ods("RTH") + "]}]}"),
                "Consent.provision.provision[0].provision[0].type"));
        cases.add(Arguments.of("a permit nested in a purpose deny", consent(
                        "{\"type\":\"deny\",\"purpose\":[{\"system\":\"" + ACT_REASON + "\",\"code\":\"HRESCH\"}],"
                                + "\"provision\":[{\"type\":\"permit\",\"actor\":[" + ods("RTH") + "]}]}"),
                "Consent.provision.provision[0].provision: nested provisions are only understood"));
        cases.add(Arguments.of("an actor by literal reference", consent(
                        "{\"type\":\"deny\",\"actor\":[{" + IRCP + ",\"reference\":{\"reference\":\"Organization/123\"}}]}"),
                "Consent.provision.provision[0].actor[0].reference.reference: a literal reference"));
        cases.add(Arguments.of("an actor without identifier", consent(
                        "{\"type\":\"deny\",\"actor\":[{" + IRCP + ",\"reference\":{\"display\":\"Some hospital\"}}]}"),
                "Consent.provision.provision[0].actor[0].reference.identifier: is required"));
        cases.add(Arguments.of("an actor identifier without value", consent(
                        "{\"type\":\"deny\",\"actor\":[{" + IRCP + ",\"reference\":{\"identifier\":{\"system\":\"" + FhirConsent.ODS_SYSTEM + "\"}}}]}"),
                "Consent.provision.provision[0].actor[0].reference.identifier.value"));
        cases.add(Arguments.of("an actor in another role", consent(
                        "{\"type\":\"deny\",\"actor\":[{\"role\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\",\"code\":\"AUT\"}]},"
                                + "\"reference\":{\"identifier\":{\"system\":\"" + FhirConsent.ODS_SYSTEM + "\",\"value\":\"RTH\"}}}]}"),
                "Consent.provision.provision[0].actor[0].role"));
        cases.add(Arguments.of("a person refused rather than an organisation", consent(
                        "{\"type\":\"deny\",\"actor\":[" + person("dr-1") + "]}"),
                "Consent.provision.provision[0].actor[0].reference.identifier.system"));
        cases.add(Arguments.of("an organisation as a category exception", consent(
                        "{\"type\":\"deny\",\"securityLabel\":[{\"system\":\"" + ACT_CODE + "\",\"code\":\"PSY\"}],"
                                + "\"provision\":[{\"type\":\"permit\",\"actor\":[" + ods("RTH") + "]}]}"),
                "Consent.provision.provision[0].provision[0].actor[0].reference.identifier.system"));
        cases.add(Arguments.of("a deny limited to a period", consent(
                        "{\"type\":\"deny\",\"period\":{\"end\":\"2027-01-01\"},\"purpose\":[{\"system\":\"" + ACT_REASON + "\",\"code\":\"HRESCH\"}]}"),
                "Consent.provision.provision[0].period"));
        cases.add(Arguments.of("a deny limited to data", consent(
                        "{\"type\":\"deny\",\"data\":[{\"meaning\":\"instance\",\"reference\":{\"reference\":\"Observation/1\"}}],"
                                + "\"purpose\":[{\"system\":\"" + ACT_REASON + "\",\"code\":\"HRESCH\"}]}"),
                "Consent.provision.provision[0].data"));
        cases.add(Arguments.of("a deny limited to a data period", consent(
                        "{\"type\":\"deny\",\"dataPeriod\":{\"start\":\"2020-01-01\"},\"purpose\":[{\"system\":\"" + ACT_REASON + "\",\"code\":\"HRESCH\"}]}"),
                "Consent.provision.provision[0].dataPeriod"));
        cases.add(Arguments.of("a deny limited to codes", consent(
                        "{\"type\":\"deny\",\"code\":[{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"35489007\"}]}],"
                                + "\"purpose\":[{\"system\":\"" + ACT_REASON + "\",\"code\":\"HRESCH\"}]}"),
                "Consent.provision.provision[0].code"));
        cases.add(Arguments.of("a deny limited to an action", consent(
                        "{\"type\":\"deny\",\"action\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/consentaction\",\"code\":\"collect\"}]}],"
                                + "\"purpose\":[{\"system\":\"" + ACT_REASON + "\",\"code\":\"HRESCH\"}]}"),
                "Consent.provision.provision[0].action"));
        cases.add(Arguments.of("a base permit limited to a period", """
                {"resourceType":"Consent","status":"active","provision":{"type":"permit","period":{"end":"2027-01-01"}}}""",
                "Consent.provision.period"));
        cases.add(Arguments.of("a base permit restricted to a purpose", """
                {"resourceType":"Consent","status":"active","provision":{"type":"permit","purpose":[{"system":"%s","code":"TREAT"}]}}"""
                        .formatted(ACT_REASON),
                "Consent.provision: the base permit must not be restricted"));
        cases.add(Arguments.of("a deny combining a purpose and an organisation", consent(
                        "{\"type\":\"deny\",\"purpose\":[{\"system\":\"" + ACT_REASON + "\",\"code\":\"HRESCH\"}],\"actor\":[" + ods("RTH") + "]}"),
                "Consent.provision.provision[0]: a deny provision combining"));
        cases.add(Arguments.of("a deny naming nothing", """
                {"resourceType":"Consent","status":"active","provision":{"type":"deny"}}""",
                "Consent.provision: a deny provision must name"));
        cases.add(Arguments.of("a category withheld twice", consent(
                        "{\"type\":\"deny\",\"securityLabel\":[{\"system\":\"" + ACT_CODE + "\",\"code\":\"PSY\"}]},"
                                + "{\"type\":\"deny\",\"securityLabel\":[{\"system\":\"" + ACT_CODE + "\",\"code\":\"PSY\"}]}"),
                "Consent.provision.provision[1].securityLabel[0]: PSY is already withheld by Consent.provision.provision[0].securityLabel[0]"));
        cases.add(Arguments.of("a modifier extension on a provision", consent(
                        "{\"type\":\"deny\",\"modifierExtension\":[{\"url\":\"https://example.org/only-on-tuesdays\",\"valueBoolean\":true}],"
                                + "\"purpose\":[{\"system\":\"" + ACT_REASON + "\",\"code\":\"HRESCH\"}]}"),
                "Consent.provision.provision[0].modifierExtension"));
        cases.add(Arguments.of("another patient", consent(research).replace("9434765919", BOB.value()),
                "Consent.patient.identifier.value: \"9000000009\" is not the patient in the path (9434765919)"));
        cases.add(Arguments.of("a patient by another identifier system", consent(research).replace("https://fhir.nhs.uk/Id/nhs-number", "urn:oid:1.2.3"),
                "Consent.patient.identifier.system"));
        cases.add(Arguments.of("a patient by literal reference", """
                {"resourceType":"Consent","status":"active","patient":{"reference":"Patient/9434765919"}}""",
                "Consent.patient.reference: a literal reference"));
        cases.add(Arguments.of("an inactive consent", consent(research).replace("\"active\"", "\"inactive\""),
                "Consent.status: must be \"active\", not \"inactive\""));
        cases.add(Arguments.of("a consent without status", """
                {"resourceType":"Consent"}""", "Consent.status"));
        cases.add(Arguments.of("another scope", consent(research).replace("patient-privacy", "research"), "Consent.scope"));
        cases.add(Arguments.of("an unknown element", consent(research).replace("\"status\"", "\"optOut\":true,\"status\""),
                "optOut"));
        cases.add(Arguments.of("an unknown element inside a provision", consent(
                        "{\"type\":\"deny\",\"onlyIf\":\"rain\",\"purpose\":[{\"system\":\"" + ACT_REASON + "\",\"code\":\"HRESCH\"}]}"),
                "onlyIf"));
        cases.add(Arguments.of("another resource type", """
                {"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765919"}]}""",
                "resourceType: expected Consent, not Patient"));
        cases.add(Arguments.of("not JSON", "consent: research opt-out", "not a valid FHIR R4 Consent"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unrepresentable")
    void whatCannotBeRepresentedFaithfullyIsRefusedNamingTheElement(String name, String json, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FHIR.fromFhirJson(json, ALICE));

        assertTrue(e.getMessage().contains(expected), "expected \"" + expected + "\" in: " + e.getMessage());
    }

    // ---------------------------------------------------------------------------------------------

    /** A Consent for Alice, as a client would send it, with these provisions under a base permit. */
    private static String consent(String provisions) {
        return """
                {"resourceType":"Consent","status":"active",
                 "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
                 "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
                 "patient":{"identifier":{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765919"}},
                 "provision":{"type":"permit","provision":[%s]}}
                """.formatted(provisions);
    }

    private static String ods(String code) {
        return "{" + IRCP + ",\"reference\":{\"identifier\":{\"system\":\"" + FhirConsent.ODS_SYSTEM + "\",\"value\":\"" + code + "\"}}}";
    }

    private static String person(String id) {
        return "{" + IRCP + ",\"reference\":{\"identifier\":{\"system\":\"" + FhirConsent.PERSON_SYSTEM + "\",\"value\":\"" + id + "\"}}}";
    }

    /** Parsed by HAPI with the strict error handler: any unknown element or invalid value fails. */
    private static Consent strictlyParsed(String json) {
        IParser parser = FhirR4.context().newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        return parser.parseResource(Consent.class, json);
    }

    private static void assertReference(Reference reference, String type, String system, String value) {
        assertEquals(type, reference.getType());
        assertEquals(system, reference.getIdentifier().getSystem());
        assertEquals(value, reference.getIdentifier().getValue());
    }
}
