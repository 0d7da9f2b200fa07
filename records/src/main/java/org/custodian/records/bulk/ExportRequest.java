package org.custodian.records.bulk;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import org.custodian.records.fhir.FhirR4;
import org.custodian.records.index.Compartments;

/**
 * What a Bulk Data kick-off asks for (HL7 FHIR Bulk Data Access IG v2.0.0, section "Bulk Data Kick-off
 * Request"): every patient's records ({@link Level#PATIENT}), or those and directory data too
 * ({@link Level#SYSTEM}); of some types or all; changed at or after an instant or ever.
 *
 * @param types the {@code _type} list, in the order given without repeats; empty for every type
 * @param since the {@code _since} instant, or null
 * @param requestUrl the kick-off URL, repeated in the manifest's {@code request}
 */
public record ExportRequest(Level level, List<String> types, Instant since, String requestUrl) {

    /** Which kick-off endpoint was called. */
    public enum Level {
        /** {@code GET /fhir/$export}: patients' records and directory data. */
        SYSTEM("system"),
        /** {@code GET /fhir/Patient/$export}: patients' records only. */
        PATIENT("patient");

        private final String code;

        Level(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        static Level fromCode(String code) {
            for (Level l : values()) {
                if (l.code.equals(code)) {
                    return l;
                }
            }
            throw new IllegalArgumentException("no export level " + code);
        }
    }

    /**
     * @throws IllegalArgumentException if a type is not a FHIR R4 resource type stored here, or, for a
     *     patient-level export, is directory data (which is in no patient's record)
     */
    public ExportRequest {
        requireNonNull(level, "level is null");
        requireNonNull(requestUrl, "requestUrl is null");
        types = List.copyOf(new LinkedHashSet<>(requireNonNull(types, "types is null")));
        for (String type : types) {
            if (!isStoredType(type)) {
                throw new IllegalArgumentException("_type: \"" + type + "\" is not a FHIR R4 resource type stored here");
            }
            if (level == Level.PATIENT && !Compartments.mayBePatientData(type)) {
                throw new IllegalArgumentException("_type: " + type + " is directory data, in no patient's record;"
                        + " export it with GET /fhir/$export");
            }
        }
    }

    static boolean isStoredType(String type) {
        return !type.equals("Bundle") && FhirR4.context().getResourceTypes().contains(type);
    }

    /** Whether every type was asked for. */
    public boolean allTypes() {
        return types.isEmpty();
    }
}
