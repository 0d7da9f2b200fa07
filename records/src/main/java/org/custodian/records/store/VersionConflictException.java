package org.custodian.records.store;

/** An update named a version that is no longer current (If-Match), or a concurrent write won: retry. */
public final class VersionConflictException extends RuntimeException {
    public VersionConflictException(String message) {
        super(message);
    }
}
