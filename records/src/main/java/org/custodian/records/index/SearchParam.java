package org.custodian.records.index;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Resource;

/**
 * One search parameter Custodian supports for one resource type, as FHIR R4 defines it: its code, its
 * type, the FHIRPath it stands for (published in the CapabilityStatement), and how its values are read
 * from a resource (typed code, not a FHIRPath engine: the index must be fast and exactly what is said).
 *
 * @param values the parameter's values in a resource: {@link Token}s, strings, or {@link FhirDates.Range}s;
 *     unused for {@link Kind#REFERENCE} (the patient compartment is indexed once, as a column)
 */
public record SearchParam(String resourceType, String name, Kind kind, String expression, Function<Resource, List<?>> values) {

    public enum Kind {
        TOKEN("token"),
        STRING("string"),
        DATE("date"),
        REFERENCE("reference");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        /** The FHIR SearchParamType code. */
        public String code() {
            return code;
        }
    }

    /** A coded value: system (null when none is known) and code. */
    public record Token(String system, String code) {
        public Token {
            requireNonNull(code, "code is null");
        }
    }

    public SearchParam {
        requireNonNull(resourceType, "resourceType is null");
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(expression, "expression is null");
        requireNonNull(values, "values is null");
    }
}
