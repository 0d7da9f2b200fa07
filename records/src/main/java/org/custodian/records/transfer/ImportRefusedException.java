package org.custodian.records.transfer;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * A file, or one line of it, cannot be imported as it is: nothing of the unit it is in (the bundle, or
 * the chunk of lines) was stored. Units committed before it stay, and running the import again resumes
 * where this one stopped.
 */
public final class ImportRefusedException extends RuntimeException {
    private final Path file;
    private final long line;
    private final String reason;

    /** @param line the line of an NDJSON file (from 1), or 0 when the problem is the file's as a whole */
    public ImportRefusedException(Path file, long line, String reason) {
        this(file, line, reason, null);
    }

    public ImportRefusedException(Path file, long line, String reason, Throwable cause) {
        super(file + (line > 0 ? ": line " + line : "") + ": " + requireNonNull(reason, "reason is null"), cause);
        this.file = requireNonNull(file, "file is null");
        if (line < 0) {
            throw new IllegalArgumentException("line is negative");
        }
        this.line = line;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    /** The line (from 1), or 0 when the problem is not one line's. */
    public long line() {
        return line;
    }

    /** What is wrong, without the file and line. */
    public String reason() {
        return reason;
    }
}
