package org.custodian.records.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Set;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.vocabulary.SensitiveCategory;

/**
 * One stored version of a resource, as read back.
 *
 * @param vid its place in the order of all versions written
 * @param patientId the Patient whose record it is in, or null for directory data
 * @param nhsNumber that patient's NHS number, or null when the patient is unlinked (or there is none)
 * @param content the resource's JSON as served, meta.versionId and meta.lastUpdated included
 */
public record StoredVersion(long vid, String type, String id, int version, Instant lastUpdated, String patientId, NhsNumber nhsNumber,
        Set<SensitiveCategory> categories, String content) {

    public StoredVersion {
        requireNonNull(type, "type is null");
        requireNonNull(id, "id is null");
        requireNonNull(lastUpdated, "lastUpdated is null");
        requireNonNull(categories, "categories is null");
        requireNonNull(content, "content is null");
    }

    public String reference() {
        return type + "/" + id;
    }

    public boolean isPatientData() {
        return patientId != null;
    }
}
