package org.custodian.records.bulk;

/** A kick-off refused because this server process already has as many exports waiting as it allows: try again later. */
public final class ExportsBusyException extends RuntimeException {
    public ExportsBusyException(String message) {
        super(message);
    }
}
