package org.custodian.records.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An issue about a bundle entry's resource points into the bundle as it was sent. */
class TestProfileIssue {
    @ParameterizedTest(name = "{0} in entry {1} is at {2}")
    @CsvSource(delimiter = '|', textBlock = """
            Observation                                   | 1  | Bundle.entry[1].resource
            Observation.code.coding[0]                    | 3  | Bundle.entry[3].resource.code.coding[0]
            Patient.extension[5].value.ofType(decimal)    | 0  | Bundle.entry[0].resource.extension[5].value.ofType(decimal)
            Observation.contained[0]/*Patient/p*/.name[0] | 12 | Bundle.entry[12].resource.contained[0]/*Patient/p*/.name[0]
            meta.profile[0]                               | 2  | Bundle.entry[2].resource.meta.profile[0]
            """)
    void locationsAreReRootedAtTheEntry(String location, int entry, String expected) {
        ProfileIssue issue = new ProfileIssue(ProfileIssue.Severity.ERROR, location, "m", null);
        assertEquals(expected, issue.inEntry(entry).location());
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', textBlock = """
            Observation               | Observation.status: minimum required = 1 | Observation.status: minimum required = 1
            Observation               | Constraint failed: obs-6                  | Observation: Constraint failed: obs-6
            Bundle.entry[1].resource  | Observation.status: minimum required = 1 | Bundle.entry[1].resource: Observation.status: minimum required = 1
            """)
    void aMessageIsNotPrefixedWithALocationItAlreadyBeginsWith(String location, String message, String shown) {
        assertEquals(shown, new ProfileIssue(ProfileIssue.Severity.ERROR, location, message, null).toString());
    }
}
