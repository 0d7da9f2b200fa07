package org.custodian.records.bulk;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One export as its requester sees it when polling.
 *
 * @param transactionTime when it was kicked off; it holds the versions current then ({@code snapshot})
 * @param progress what it is doing, while queued or running (for {@code X-Progress}), else null
 * @param error why it failed, or null
 * @param ledgerIndex the {@value BulkExportEntry#TYPE} entry recording it once complete, else -1
 */
public record ExportJob(String id, String personId, String organisation, ExportRequest request, long snapshot, Instant transactionTime,
        Status status, String progress, String error, long ledgerIndex) {

    public enum Status {
        QUEUED, RUNNING, COMPLETE, FAILED, CANCELLED;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Status fromCode(String code) {
            return valueOf(code.toUpperCase(java.util.Locale.ROOT));
        }

        public boolean finished() {
            return this == COMPLETE || this == FAILED || this == CANCELLED;
        }
    }

    public ExportJob {
        requireNonNull(id, "id is null");
        requireNonNull(personId, "personId is null");
        requireNonNull(organisation, "organisation is null");
        requireNonNull(request, "request is null");
        requireNonNull(transactionTime, "transactionTime is null");
        requireNonNull(status, "status is null");
    }
}
