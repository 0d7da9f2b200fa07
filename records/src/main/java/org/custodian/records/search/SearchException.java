package org.custodian.records.search;

/** A search that cannot be run as asked (an unknown parameter, a malformed value): HTTP 400. */
public final class SearchException extends RuntimeException {
    public SearchException(String message) {
        super(message);
    }
}
