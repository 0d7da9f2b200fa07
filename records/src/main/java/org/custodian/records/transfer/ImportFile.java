package org.custodian.records.transfer;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * One file to import, known by the SHA-256 of its content: what {@code record_imports} remembers, so
 * that the same content is never loaded twice, whatever the file is called.
 *
 * @param kind a bundle is one unit (one transaction); NDJSON is one unit per line, committed in chunks
 * @param sha256 lower-case hex
 */
public record ImportFile(Path path, Kind kind, String sha256, long size) {
    public enum Kind {
        /** A FHIR batch or transaction Bundle, as JSON ({@code *.json}). */
        BUNDLE,
        /** One resource per line ({@code *.ndjson}), as {@code custodian export} and FHIR Bulk Data write. */
        NDJSON
    }

    public ImportFile {
        requireNonNull(path, "path is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(sha256, "sha256 is null");
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 in hex: " + sha256);
        }
        if (size < 0) {
            throw new IllegalArgumentException("size is negative");
        }
    }
}
