package org.custodian.ledger.log;

/** Too many appends waiting; the caller should retry shortly (HTTP 503 with Retry-After). */
public final class LedgerOverloadedException extends LedgerUnavailableException {
    public LedgerOverloadedException(String message) {
        super(message);
    }
}
