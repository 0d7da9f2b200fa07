package org.custodian.records.index;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.custodian.records.index.IndexValues.Named;
import org.hl7.fhir.r4.model.Resource;

/** Reads a resource's search index values, as {@link SearchParams} defines them. */
public final class Indexer {
    private Indexer() {}

    /**
     * @throws IllegalArgumentException if a value cannot be indexed (a malformed date)
     */
    public static IndexValues index(Resource r) {
        String type = r.fhirType();
        Set<String> tokens = new LinkedHashSet<>();
        List<Named<String>> strings = new ArrayList<>();
        List<Named<FhirDates.Range>> dates = new ArrayList<>();
        String principal = SearchParams.principalDate(type).orElse(null);
        Instant sortDate = null;
        for (SearchParam p : SearchParams.indexed(type)) {
            switch (p.kind()) {
                case TOKEN -> {
                    for (Object v : p.values().apply(r)) {
                        TokenIndex.add(p.name(), (SearchParam.Token) v, tokens);
                    }
                }
                case STRING -> {
                    for (Object v : p.values().apply(r)) {
                        strings.add(new Named<>(p.name(), TokenIndex.normalise((String) v)));
                    }
                }
                case DATE -> {
                    for (Object v : p.values().apply(r)) {
                        FhirDates.Range range = (FhirDates.Range) v;
                        dates.add(new Named<>(p.name(), range));
                        if (p.name().equals(principal) && (sortDate == null || range.low().isBefore(sortDate))) {
                            sortDate = range.low();
                        }
                    }
                }
                case REFERENCE -> {
                    // the patient compartment is a column of its own (Compartments)
                }
            }
        }
        return new IndexValues(List.copyOf(tokens), strings, dates, sortDate);
    }
}
