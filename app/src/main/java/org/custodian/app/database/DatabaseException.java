package org.custodian.app.database;

/**
 * The database could not be opened, started, reached, verified or migrated.
 *
 * <p>The message is a plain, single-line explanation meant for the operator (the command line prints it
 * as is, without a stack trace); the cause, when there is one, keeps the technical detail.
 */
public final class DatabaseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatabaseException(String message) {
        super(oneLine(message));
    }

    public DatabaseException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** Collapses line breaks and runs of white space so that a message prints as one line. */
    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s+", " ");
    }
}
