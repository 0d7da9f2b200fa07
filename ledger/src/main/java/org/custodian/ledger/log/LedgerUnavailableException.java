package org.custodian.ledger.log;

/**
 * The ledger's storage could not be reached or refused the operation. For an append it means the
 * entry was NOT acknowledged: callers that need a record before acting (the gate) MUST treat it as
 * a refusal. The entry may or may not have become durable if the failure hit during commit.
 */
public class LedgerUnavailableException extends RuntimeException {
    public LedgerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public LedgerUnavailableException(String message) {
        super(message);
    }
}
