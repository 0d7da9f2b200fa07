package org.custodian.records.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.custodian.records.fhir.FhirJson;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

/** References are rewritten where they are references, and nowhere else. */
class TestReferences {
    private static final Map<String, String> NEW = Map.of("urn:uuid:p1", "Patient/abc", "urn:uuid:e1", "Encounter/def");

    @Test
    void everyReferenceIsRewrittenIncludingNestedAndContainedOnes() {
        Observation o = (Observation) FhirJson.parse("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                + "\"subject\":{\"reference\":\"urn:uuid:p1\"},\"encounter\":{\"reference\":\"urn:uuid:e1\"},"
                + "\"performer\":[{\"reference\":\"Practitioner/keep\"}],"
                + "\"extension\":[{\"url\":\"http://example.org/x\",\"valueReference\":{\"reference\":\"urn:uuid:p1\"}}]}");
        String json = References.rewrite(FhirJson.encode(o), r -> NEW.getOrDefault(r, r));
        Observation back = (Observation) FhirJson.parse(json);
        assertEquals("Patient/abc", back.getSubject().getReference());
        assertEquals("Encounter/def", back.getEncounter().getReference());
        assertEquals("Practitioner/keep", back.getPerformerFirstRep().getReference());
        assertEquals("Patient/abc", ((org.hl7.fhir.r4.model.Reference) back.getExtension().get(0).getValue()).getReference());
    }

    @Test
    void textThatLooksLikeAReferenceIsLeftAlone() {
        Observation o = (Observation) FhirJson.parse("{\"resourceType\":\"Observation\",\"status\":\"final\","
                + "\"code\":{\"text\":\"\\\"reference\\\":\\\"urn:uuid:p1\\\"\"},\"note\":[{\"text\":\"reference: urn:uuid:p1\"}],"
                + "\"subject\":{\"reference\":\"urn:uuid:p1\"}}");
        String json = References.rewrite(FhirJson.encode(o), r -> NEW.getOrDefault(r, r));
        Observation back = (Observation) FhirJson.parse(json);
        assertEquals("\"reference\":\"urn:uuid:p1\"", back.getCode().getText());
        assertEquals("reference: urn:uuid:p1", back.getNoteFirstRep().getText());
        assertEquals("Patient/abc", back.getSubject().getReference());
    }
}
