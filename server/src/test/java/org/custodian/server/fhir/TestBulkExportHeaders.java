package org.custodian.server.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The kick-off's reading of Prefer (RFC 7240) and Accept. */
class TestBulkExportHeaders {
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "respond-async                          | true",
        "Respond-Async                          | true",
        "handling=lenient, respond-async        | true",
        "respond-async; wait=10                 | true",
        "return=minimal                         | false",
        "respond-async-later                    | false",
        "''                                     | false",
        "null                                   | false",
    })
    void respondAsyncIsFoundAmongThePreferences(String prefer, boolean async) {
        assertEquals(async, BulkExportRoutes.preferences(prefer).contains("respond-async"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "application/fhir+json                        | true",
        "application/fhir+json; fhirVersion=4.0       | true",
        "text/html, application/xhtml+xml, */*;q=0.8  | true",
        "application/json                             | true",
        "application/*                                | true",
        "text/csv                                     | false",
        "application/fhir+xml                         | false",
    })
    void theKickOffAnswersWhenFhirJsonIsAcceptable(String accept, boolean acceptable) {
        assertEquals(acceptable, BulkExportRoutes.acceptsFhirJson(accept));
    }
}
