package org.custodian.core.activity;

/** The patients' index of the ledger could not be read (the database is down or refused). */
public final class ActivityUnavailableException extends RuntimeException {
    public ActivityUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
