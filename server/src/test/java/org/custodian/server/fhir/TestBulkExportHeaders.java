package org.custodian.server.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The kick-off's reading of Accept. */
class TestBulkExportHeaders {
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
