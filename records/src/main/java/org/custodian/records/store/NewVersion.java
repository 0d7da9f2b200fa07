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
 * @param patientId the patient compartment, or null for directory data
 * @param nhsNumber for a Patient: its NHS number, or null when it has none
 */
public record NewVersion(Mode mode, String type, String id, int expectedVersion, String json, byte[] contentHash, IndexValues index,
        Set<SensitiveCategory> categories, String patientId, NhsNumber nhsNumber) {

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
}
