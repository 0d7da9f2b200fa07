package org.custodian.app.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How failures reach the user: one line on stderr saying what went wrong, a non-zero exit, and no
 * stack trace unless CUSTODIAN_DEBUG is set.
 */
public final class Failures {
    private Failures() {}

    public static int handle(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof CommandFailure failure) {
            err.println("custodian: " + failure.getMessage());
            err.flush();
            return failure.exitCode();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        err.println("custodian: " + message);
        if (System.getenv("CUSTODIAN_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return CommandFailure.FAILED;
    }

    public static int handleUsage(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("custodian: " + e.getMessage());
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return CommandFailure.USAGE;
    }
}
