package org.custodian.records.store;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.records.index.IndexValues;

/**
 * A resource ready to be stored as a new version: encoded (without meta.versionId and meta.lastUpdated,
 * which the store adds), hashed, indexed and classified.
 *
 * @param mode {@link Mode#CREATE} for a new id, {@link Mode#PUT} to create or update at a given id
 * @param expectedVersion the version an update must replace (HTTP If-Match), or 0 for any
 * @param categories the sensitive categories of the resource itself (the store adds those of the Medication
 *     it refers to)
 * @param medication the Medication ({@code Medication/<id>}) its {@code medication[x]} refers to, or null
 *     ({@code MedicationLinks})
 * @param patientId the patient compartment, or null for directory data
 * @param nhsNumber for a Patient: its NHS number, or null when it has none
 * @param imported for a resource moved from another deployment, the version and time it had there (kept
 *     when it is new here, so that the resource arrives identical), or null
 */
public record NewVersion(Mode mode, String type, String id, int expectedVersion, String json, byte[] contentHash, IndexValues index,
        Set<SensitiveCategory> categories, String medication, String patientId, NhsNumber nhsNumber, ImportedMeta imported) {

    /** The meta.versionId and meta.lastUpdated a resource had in the deployment it was exported from. */
    public record ImportedMeta(int version, java.time.Instant lastUpdated) {
        public ImportedMeta {
            if (version < 1) {
                throw new IllegalArgumentException("a version is at least 1");
            }
            requireNonNull(lastUpdated, "lastUpdated is null");
        }
    }

    public enum Mode {
        CREATE,
        PUT
    }

    public NewVersion {
        requireNonNull(mode, "mode is null");
        requireNonNull(type, "type is null");
        requireNonNull(id, "id is null");
        requireNonNull(json, "json is null");
        requireNonNull(contentHash, "contentHash is null");
        requireNonNull(index, "index is null");
        requireNonNull(categories, "categories is null");
    }

    public String reference() {
        return type + "/" + id;
    }

    /** This version in another patient compartment (a Medication brought in with one patient's records). */
    public NewVersion withPatient(String patientId) {
        return new NewVersion(mode, type, id, expectedVersion, json, contentHash, index, categories, medication, patientId, nhsNumber, imported);
    }
}
