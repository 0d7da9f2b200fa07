package org.custodian.core.audit;

/** The ledger or its indexes could not be read for an audit (the database is down or refused, or an entry is unreadable). */
public final class AuditUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AuditUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
