package org.custodian.ledger.log;

/** The log is configured inconsistently with what its storage already holds (wrong key or origin). */
public final class LedgerConfigurationException extends RuntimeException {
    public LedgerConfigurationException(String message) {
        super(message);
    }
}
