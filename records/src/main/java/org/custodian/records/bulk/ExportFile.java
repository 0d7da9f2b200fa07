package org.custodian.records.bulk;

import static java.util.Objects.requireNonNull;

/**
 * One NDJSON file of a complete export, as the manifest lists it.
 *
 * @param name its name in the download URL, e.g. {@code Observation-2.ndjson}
 * @param error true for the notes file of OperationOutcomes (the manifest's {@code error} array)
 * @param type the resource type of every line
 * @param count how many resources (lines) it holds
 */
public record ExportFile(String name, boolean error, String type, int count) {
    public ExportFile {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}
