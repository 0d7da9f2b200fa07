package org.custodian.server.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.custodian.records.search.Search;
import org.custodian.server.http.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reading of Prefer (RFC 7240): Bulk Data's respond-async, return=minimal and search handling. */
class TestPreferences {
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
        assertEquals(async, Preferences.of(prefer).contains("respond-async"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "null                                   | STRICT",
        "''                                     | STRICT",
        "handling=strict                        | STRICT",
        "handling=lenient                       | LENIENT",
        "Handling=Lenient                       | LENIENT",
        "handling=\"lenient\"                   | LENIENT",
        "return=minimal, handling=lenient       | LENIENT",
        "handling=lenientish                    | STRICT",
    })
    void searchesAreStrictUnlessLenientIsAskedFor(String prefer, Search.Handling handling) {
        assertEquals(handling, Preferences.handling(prefer));
    }

    @Test
    void askingForBothHandlingsIsABadRequest() {
        Problem p = assertThrows(Problem.class, () -> Preferences.handling("handling=strict, handling=lenient"));
        assertEquals(Problem.Category.BAD_REQUEST, p.category());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "return=minimal                         | true",
        "return=representation                  | false",
        "return=minimalist                      | false",
        "null                                   | false",
    })
    void returnMinimalIsAnExactPreference(String prefer, boolean minimal) {
        assertEquals(minimal, Preferences.returnMinimal(prefer));
    }
}
