package org.custodian.records.transfer;

/**
 * Told how an export is going, to show progress. Called on the exporting thread; a listener MUST return
 * quickly and MUST NOT throw.
 */
public interface ExportListener {
    ExportListener NONE = new ExportListener() {};

    /** The export has counted what it will write: {@code total} resources of {@code types} types. */
    default void counted(long total, int types) {}

    /**
     * Resources were written.
     *
     * @param type the type being written now
     * @param written resources written so far, all types together
     * @param seconds since the export began
     */
    default void written(String type, long written, long total, double seconds) {}
}
