package org.custodian.records.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.custodian.ledger.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's directory of profiles: definitions found wherever they are in it, alone or in Bundles;
 * everything else passed over and counted; what cannot be used stops the start with the file named.
 */
class TestConformanceResources {
    @TempDir
    Path dir;

    static final String EXAMPLE = "docs/examples/profiles/StructureDefinition-example-patient.json";

    static String valueSet(String url, String version) {
        return "{\"resourceType\":\"ValueSet\",\"url\":\"" + url + "\",\"version\":\"" + version + "\",\"status\":\"draft\","
                + "\"compose\":{\"include\":[{\"system\":\"urn:x\",\"concept\":[{\"code\":\"a\"}]}]}}";
    }

    @Test
    void definitionsAreFoundInFilesAndBundlesAndTheRestIsPassedOver() throws Exception {
        Files.createDirectories(dir.resolve("package/examples"));
        Files.copy(SharedData.locate(EXAMPLE), dir.resolve("package/StructureDefinition-example-patient.json"));
        Files.writeString(dir.resolve("package/package.json"), "{\"name\":\"example.package\",\"version\":\"0.1.0\"}");
        Files.writeString(dir.resolve("package/.index.json"), "{\"index-version\":1,\"files\":[]}");
        Files.writeString(dir.resolve("package/examples/Patient-example.json"), "{\"resourceType\":\"Patient\",\"id\":\"example\"}");
        Files.writeString(dir.resolve("package/terminology.json"), "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":["
                + "{\"resource\":" + valueSet("urn:example:vs", "1") + "},{\"resource\":{\"resourceType\":\"CodeSystem\",\"url\":\"urn:x\","
                + "\"status\":\"draft\",\"content\":\"complete\",\"concept\":[{\"code\":\"a\"}]}}]}");
        Files.writeString(dir.resolve("package/notes.txt"), "not json at all");
        ConformanceResources found = ConformanceResources.load(dir);
        assertEquals(1, found.count("StructureDefinition"));
        assertEquals(1, found.count("ValueSet"));
        assertEquals(1, found.count("CodeSystem"));
        assertEquals(Map.of("Patient", 1, "not FHIR", 1), found.passedOver(), ".index.json is hidden; notes.txt is not *.json");
        assertTrue(found.summary().startsWith("1 StructureDefinition(s), 1 ValueSet(s), 1 CodeSystem(s) from "), found.summary());
    }

    @Test
    void theSameDefinitionTwiceIsFineButTwoDifferentOnesUnderOneUrlAndVersionAreNot() throws Exception {
        Files.writeString(dir.resolve("a.json"), valueSet("urn:example:vs", "1"));
        Files.writeString(dir.resolve("b.json"), valueSet("urn:example:vs", "1"));
        Files.writeString(dir.resolve("c.json"), valueSet("urn:example:vs", "2"));
        assertEquals(2, ConformanceResources.load(dir).resources().size());
        Files.writeString(dir.resolve("d.json"), valueSet("urn:example:vs", "2").replace("\"draft\"", "\"active\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConformanceResources.load(dir));
        assertTrue(e.getMessage().contains("d.json") && e.getMessage().contains("c.json") && e.getMessage().contains("urn:example:vs|2"),
                e.getMessage());
    }

    @Test
    void aFileThatIsNotFhirR4OrADefinitionWithoutAUrlStopsTheLoadNamingTheFile() throws Exception {
        Files.writeString(dir.resolve("broken.json"), "{\"resourceType\":\"StructureDefinition\",\"url\":");
        IllegalArgumentException broken = assertThrows(IllegalArgumentException.class, () -> ConformanceResources.load(dir));
        assertTrue(broken.getMessage().startsWith(dir.resolve("broken.json") + ": not a FHIR R4 resource"), broken.getMessage());
        Files.writeString(dir.resolve("broken.json"), valueSet("urn:example:vs", "1").replace("\"status\"", "\"statut\":\"x\",\"status\""));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ConformanceResources.load(dir));
        assertTrue(unknown.getMessage().contains("statut"), "an element R4 does not know is not dropped: " + unknown.getMessage());
        Files.writeString(dir.resolve("broken.json"), "{\"resourceType\":\"ValueSet\",\"status\":\"draft\"}");
        IllegalArgumentException noUrl = assertThrows(IllegalArgumentException.class, () -> ConformanceResources.load(dir));
        assertTrue(noUrl.getMessage().contains("without a url"), noUrl.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConformanceResources.load(dir.resolve("missing")));
    }

    @Test
    void aProfileWhoseSnapshotCannotBeMadeStopsTheStart() throws Exception {
        Files.writeString(dir.resolve("orphan.json"), Files.readString(SharedData.locate(EXAMPLE))
                .replace("http://hl7.org/fhir/StructureDefinition/Patient", "https://nowhere.example/StructureDefinition/NoSuchBase"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HapiProfileValidator.load(dir));
        assertTrue(e.getMessage().startsWith("the profile https://custodian.example/fhir/StructureDefinition/example-patient (in " + dir
                + ") cannot be used"), e.getMessage());
    }
}
