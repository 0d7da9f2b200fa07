package org.custodian.records.index;

import java.time.Instant;
import java.util.List;

/**
 * What one resource version contributes to the search indexes.
 *
 * @param tokens token values, encoded by {@link TokenIndex}
 * @param strings string values, normalised by {@link TokenIndex#normalise}
 * @param dates date values as ranges
 * @param sortDate the low bound of the type's principal date, or null
 */
public record IndexValues(List<String> tokens, List<Named<String>> strings, List<Named<FhirDates.Range>> dates, Instant sortDate) {

    /** A value of a named parameter. */
    public record Named<T>(String param, T value) {}

    public IndexValues {
        tokens = List.copyOf(tokens);
        strings = List.copyOf(strings);
        dates = List.copyOf(dates);
    }
}
