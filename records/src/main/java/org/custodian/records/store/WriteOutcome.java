package org.custodian.records.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * What storing one {@link NewVersion} did.
 *
 * @param content the version now current, as served
 * @param ledgerIndex the ledger entry recording the new version, or -1 when nothing was written
 */
public record WriteOutcome(String type, String id, int version, Instant lastUpdated, Status status, String content, String patientId,
        long ledgerIndex) {

    public enum Status {
        CREATED,
        UPDATED,
        /** The content was the same as the current version's: no new version. */
        UNCHANGED
    }

    public WriteOutcome {
        requireNonNull(type, "type is null");
        requireNonNull(id, "id is null");
        requireNonNull(status, "status is null");
        requireNonNull(content, "content is null");
    }

    public WriteOutcome recordedAt(long index) {
        return new WriteOutcome(type, id, version, lastUpdated, status, content, patientId, index);
    }

    public String versionedReference() {
        return type + "/" + id + "/_history/" + version;
    }
}
