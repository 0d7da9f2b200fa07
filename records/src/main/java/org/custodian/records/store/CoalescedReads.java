package org.custodian.records.store;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.custodian.core.registers.NhsNumber;

/**
 * The store's small, frequent reads with concurrent callers sharing statements ({@link Coalescer}): single resources'
 * current versions ({@code GET /fhir/Type/id}), the snapshot a search pages by, and patients' NHS-number links (which
 * the gate needs before it decides on a patient).
 *
 * <p>Why: with 64 clients reading, a statement's fixed cost in PostgreSQL (a backend woken, its executor started, the
 * answer sent, the backend asleep again) was most of a read's cost there. In pgbench on the benchmark's database,
 * the version look-up for eight resources in one statement did 2.6 times as many look-ups per second as one statement
 * each, and the FHIR reads rose from 4,203-4,425/s to 5,870-5,925/s (docs/benchmarks.md).
 *
 * <p>Each answer is what {@link RecordStore} would have returned when its batch was read: every look-up is queued
 * after its request arrived, so a client sees at least every write that was acknowledged before it asked. Deciding
 * who may see a version remains the caller's business.
 */
public final class CoalescedReads implements AutoCloseable {
    /** The most keys one statement looks up. */
    static final int MAX_BATCH = 128;
    /** Threads for each kind of look-up, each with at most one statement (one pooled connection) in flight. */
    public static final int DEFAULT_READERS = 2;
    private static final String NOW = "now";

    private final Coalescer<String, StoredVersion> versions;
    private final Coalescer<String, Long> snapshots;
    private final Coalescer<String, Optional<NhsNumber>> links;

    private CoalescedReads(RecordStore store, int readers) {
        requireNonNull(store, "store is null");
        versions = new Coalescer<>("record-reader", readers, MAX_BATCH, store::readCurrent);
        // Every caller waiting asks the same question; one answer, read after all of them arrived, serves them all.
        snapshots = new Coalescer<>("record-snapshot", readers, MAX_BATCH, keys -> Map.of(NOW, store.snapshot()));
        links = new Coalescer<>("record-patient-links", readers, MAX_BATCH, store::patientLinks);
    }

    /** Starts {@code readers} threads for each kind of look-up. */
    public static CoalescedReads start(RecordStore store, int readers) {
        CoalescedReads reads = new CoalescedReads(store, readers);
        reads.versions.start();
        reads.snapshots.start();
        reads.links.start();
        return reads;
    }

    /**
     * The current version of {@code type/id}, if the resource exists ({@link RecordStore#read}).
     *
     * @throws RecordsUnavailableException if the store cannot be read, or the reads are closed
     */
    public Optional<StoredVersion> read(String type, String id) {
        requireNonNull(type, "type is null");
        requireNonNull(id, "id is null");
        String reference = type + "/" + id;
        // Checked here, on the caller's thread: a malformed reference must fail its own read, not the batch it joins.
        RecordStore.checkReference(reference);
        return Optional.ofNullable(versions.get(reference));
    }

    /** The current versions of these resources ({@code Type/id}) that exist ({@link RecordStore#readCurrent}). */
    public Map<String, StoredVersion> readCurrent(Collection<String> references) {
        references.forEach(RecordStore::checkReference);
        return versions.getAll(references);
    }

    /** The newest vid, read after this call began ({@link RecordStore#snapshot}). */
    public long snapshot() {
        return snapshots.get(NOW);
    }

    /**
     * Each of these patients that exists, with their NHS number if linked ({@link RecordStore#patientLinks}).
     */
    public Map<String, Optional<NhsNumber>> patientLinks(Collection<String> patientIds) {
        return links.getAll(patientIds);
    }

    /** Statements run so far for single resources' versions (each answers one or more reads). */
    public long statements() {
        return versions.batches();
    }

    /** Answers what is being read, fails what is still queued, and stops the threads. */
    @Override
    public void close() {
        versions.close();
        snapshots.close();
        links.close();
    }
}
