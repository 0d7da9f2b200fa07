package org.custodian.records.transfer;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How far an import has gone, or, at its end, what it did.
 *
 * @param filesTotal the files the import was given (after expanding directories)
 * @param filesLoaded files loaded to the end by this run (resumed ones included)
 * @param filesSkipped files an earlier run (or an earlier file of this run, with the same content) loaded
 * @param created resources new here
 * @param updated resources given a new version
 * @param unchanged resources already as in the file: no new version
 */
public record ImportTotals(int filesTotal, int filesLoaded, int filesSkipped, long created, long updated, long unchanged, Duration elapsed) {
    public ImportTotals {
        requireNonNull(elapsed, "elapsed is null");
    }

    /** Resources read and stored (or found unchanged) so far. */
    public long resources() {
        return created + updated + unchanged;
    }

    /** Resources per second so far (0 before any time has passed). */
    public double rate() {
        long millis = elapsed.toMillis();
        return millis == 0 ? 0 : resources() * 1000.0 / millis;
    }
}
