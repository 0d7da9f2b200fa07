package org.custodian.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
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
        String message = e instanceof IOException io ? describe(io)
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
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
        // picocli reports missing required options before unknown ones, which hides the cause when
        // an option was mistyped (--leaf-hsh): name the unknown options too.
        if (e instanceof MissingParameterException && cmd.getParseResult() != null) {
            List<String> unknown = cmd.getParseResult().unmatched().stream()
                    .filter(arg -> arg.startsWith("-") && arg.length() > 1 && !arg.matches("-\\d.*"))
                    .toList();
            if (!unknown.isEmpty()) {
                err.println("custodian: Unknown option" + (unknown.size() == 1 ? "" : "s") + ": '"
                        + String.join("', '", unknown) + "'");
            }
        }
        err.println("custodian: " + e.getMessage());
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return CommandFailure.USAGE;
    }

    /** {@link #reason}, preceded by the file concerned when the exception names one. */
    public static String describe(IOException e) {
        String reason = reason(e);
        return e instanceof FileSystemException f && f.getFile() != null ? f.getFile() + ": " + reason : reason;
    }

    /**
     * Why an I/O operation failed, in words for the user: the JDK's exceptions often carry only a
     * path, or no message at all (a refused HTTP connection), and their class names mean nothing to a user.
     */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "exists and is not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "timed out connecting";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out waiting for an answer";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
        }
        if (e instanceof ConnectException && (e.getMessage() == null || e.getMessage().isBlank())) {
            return "cannot connect (connection refused or host unreachable)";
        }
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            return "input/output error";
        }
        return e.getMessage();
    }
}
