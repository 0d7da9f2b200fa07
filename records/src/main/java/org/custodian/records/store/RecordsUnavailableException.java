package org.custodian.records.store;

/** The record store could not be read or written (the database is unavailable): nothing was changed. */
public final class RecordsUnavailableException extends RuntimeException {
    public RecordsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
