package org.custodian.app.cli;

/** A command could not do what was asked; the message is for the user, the code is the exit status. */
public final class CommandFailure extends RuntimeException {
    /** Bad input or a check that failed (e.g. a proof that does not verify). */
    public static final int FAILED = 1;
    /** The command line itself was wrong. */
    public static final int USAGE = 2;

    private final int exitCode;

    public CommandFailure(String message) {
        this(FAILED, message);
    }

    public CommandFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
