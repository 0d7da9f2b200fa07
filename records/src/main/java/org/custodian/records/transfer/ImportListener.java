package org.custodian.records.transfer;

/**
 * Told what an import is doing, to show progress. Called on the importing thread; a listener MUST
 * return quickly and MUST NOT throw.
 */
public interface ImportListener {
    ImportListener NONE = new ImportListener() {};

    /**
     * A file begins to load.
     *
     * @param resumeAfter the units (NDJSON lines) an earlier run committed, which this run passes over; 0 if none
     */
    default void started(ImportFile file, long resumeAfter, ImportTotals totals) {}

    /** A file is not loaded, and why ("already imported on ...", "same content as ..."). */
    default void skipped(ImportFile file, String why, ImportTotals totals) {}

    /** A unit (a bundle, or a chunk of NDJSON lines) was committed. */
    default void committed(ImportFile file, ImportTotals totals) {}

    /** A file has loaded to its end. */
    default void finished(ImportFile file, ImportTotals totals) {}
}
