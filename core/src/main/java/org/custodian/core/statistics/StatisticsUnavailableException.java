package org.custodian.core.statistics;

/** The statistics' tables cannot be read or updated (the database is down or refused). */
public final class StatisticsUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StatisticsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
