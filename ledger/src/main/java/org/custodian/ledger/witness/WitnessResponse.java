package org.custodian.ledger.witness;

import static java.util.Objects.requireNonNull;

/** A witness's answer to add-checkpoint (C2SP tlog-witness): HTTP status, content type and body. */
public record WitnessResponse(int status, String contentType, String body) {
    static final String TEXT = "text/plain; charset=utf-8";
    static final String SIZE = "text/x.tlog.size";

    public WitnessResponse {
        requireNonNull(contentType, "contentType is null");
        requireNonNull(body, "body is null");
    }

    static WitnessResponse error(int status, String reason) {
        return new WitnessResponse(status, TEXT, reason + "\n");
    }
}
