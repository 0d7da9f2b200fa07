package org.custodian.ledger.log;

/** Another sequencer moved the tree head first; this one must reload its state. */
public final class ConcurrentIntegrationException extends RuntimeException {
    public ConcurrentIntegrationException(String message) {
        super(message);
    }
}
