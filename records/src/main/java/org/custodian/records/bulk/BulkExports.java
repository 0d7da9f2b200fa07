package org.custodian.records.bulk;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.custodian.core.identity.Caller;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.records.access.RecordAccess;
import org.custodian.records.store.RecordStore;

/**
 * Bulk Data exports (HL7 FHIR Bulk Data Access IG v2.0.0, "$export"): asynchronous jobs run on a small
 * executor in this server process, their state and files in the database, so that any process sharing
 * it can answer a poll, a download or a cancellation.
 *
 * <p>Contracts:
 * <ul>
 *   <li>An export is taken as of one snapshot, the newest version at kick-off: writes after it are not in it.
 *   <li>Every patient whose records are exported MUST have been decided by the gate for this job, and the
 *       decision recorded, before their data is read; refused patients and withheld categories are left out.
 *       If a decision cannot be recorded, the job fails and none of it is ever served.
 *   <li>Files are served only once the job is complete, and only to the person (and organisation) who
 *       started it. A complete job is recorded by one {@value BulkExportEntry#TYPE} ledger entry, written
 *       in the transaction that completes it.
 *   <li>A job whose process stops (crash, restart) is not resumed: the requester's authority (their token)
 *       was held only by that process. Any process marks it failed once it has not been heard of for
 *       {@link Limits#staleAfter()} (checked at start-up and every {@link Limits#heartbeat()}); the client
 *       sees a failed export and starts a new one.
 * </ul>
 */
public final class BulkExports implements AutoCloseable {
    /** The path recorded with each decision an export makes. */
    public static final String VIA = "fhir-export";
    private static final Logger LOG = Logger.getLogger(BulkExports.class.getName());
    private static final String STALE = "the server process running this export stopped before it finished; start a new export";
    private static final String STOPPED = "the server stopped before this export finished; start a new export";

    /**
     * How much work exports may do, validated at start.
     *
     * @param concurrentJobs jobs run at once in this process
     * @param queuedJobs jobs that may wait in this process; beyond that a kick-off is refused as overload
     * @param patientsPerBatch patients decided at a time
     * @param pageSize versions read at a time
     * @param resourcesPerFile resources per NDJSON file at most
     * @param maxFileBytes a file is closed once it reaches this size, even with fewer resources
     * @param heartbeat how often this process says its jobs are alive, and looks for others' stale ones
     * @param staleAfter a queued or running job not heard of for this long is marked failed
     */
    public record Limits(int concurrentJobs, int queuedJobs, int patientsPerBatch, int pageSize, int resourcesPerFile, long maxFileBytes,
            Duration heartbeat, Duration staleAfter) {
        public Limits {
            requireNonNull(heartbeat, "heartbeat is null");
            requireNonNull(staleAfter, "staleAfter is null");
            if (concurrentJobs < 1 || queuedJobs < 1 || patientsPerBatch < 1 || pageSize < 1 || resourcesPerFile < 1 || maxFileBytes < 1) {
                throw new IllegalArgumentException("export limits must be positive");
            }
            if (heartbeat.isNegative() || heartbeat.isZero() || staleAfter.compareTo(heartbeat.multipliedBy(3)) < 0) {
                throw new IllegalArgumentException("staleAfter must be at least three heartbeats, so that a live job is never taken for stale");
            }
        }

        /** Two jobs at a time, 20 waiting, 500 patients per batch, 10,000 resources or 64 MiB per file. */
        public static Limits defaults() {
            return new Limits(2, 20, 500, 1000, 10_000, 64L << 20, Duration.ofSeconds(30), Duration.ofMinutes(2));
        }
    }

    private final ExportStore db;
    private final RecordStore store;
    private final RecordAccess access;
    private final PostgresLogStore ledger;
    private final Clock clock;
    private final Limits limits;
    private final ThreadPoolExecutor executor;
    private final ScheduledExecutorService upkeep;
    /** The jobs queued or running in this process, whose heartbeat it keeps. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final String runner = "process-" + UUID.randomUUID();

    private BulkExports(RecordStore store, RecordAccess access, PostgresLogStore ledger, Clock clock, Limits limits) {
        this.store = requireNonNull(store, "store is null");
        this.access = requireNonNull(access, "access is null");
        this.ledger = requireNonNull(ledger, "ledger is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.db = new ExportStore(store.dataSource());
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(limits.concurrentJobs(), limits.concurrentJobs(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(limits.queuedJobs()), r -> daemon(r, "bulk-export-" + n.incrementAndGet()));
        this.upkeep = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "bulk-export-upkeep"));
    }

    /**
     * Starts the exports of this process: first marks failed the jobs of processes that stopped, then
     * keeps its own jobs' heartbeat and keeps looking for stale ones.
     */
    public static BulkExports start(RecordStore store, RecordAccess access, PostgresLogStore ledger, Clock clock, Limits limits) {
        BulkExports exports = new BulkExports(store, access, ledger, clock, limits);
        exports.failStale();
        long every = limits.heartbeat().toMillis();
        exports.upkeep.scheduleWithFixedDelay(exports::upkeep, every, every, TimeUnit.MILLISECONDS);
        return exports;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Kicks off an export for this caller, as of now: the job is recorded and queued, and runs in the
     * background.
     *
     * @throws ExportsBusyException if this process already has as many exports waiting as it allows
     */
    public ExportJob start(Caller caller, ExportRequest request) {
        requireNonNull(caller, "caller is null");
        requireNonNull(request, "request is null");
        if (executor.getQueue().remainingCapacity() == 0) {
            throw new ExportsBusyException("this server already has " + limits.queuedJobs() + " exports waiting; try again later");
        }
        // The time first, then the snapshot: everything changed up to the transaction time is in it.
        Instant time = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        long snapshot = store.snapshot();
        ExportJob job = new ExportJob(UUID.randomUUID().toString(), caller.person().id(), caller.organisation().id(), request, snapshot, time,
                ExportJob.Status.QUEUED, "queued", null, -1);
        db.insert(job, runner);
        held.add(job.id());
        ExportRun run = new ExportRun(db, access, ledger, clock, limits, job, caller);
        try {
            executor.execute(() -> {
                try {
                    run.run();
                } finally {
                    held.remove(job.id());
                }
            });
        } catch (RejectedExecutionException e) {
            held.remove(job.id());
            db.fail(job.id(), "this server had too many exports waiting");
            throw new ExportsBusyException("this server already has " + limits.queuedJobs() + " exports waiting; try again later");
        }
        return job;
    }

    /** The job, if it exists, is not cancelled, and was started by this caller's person and organisation. */
    public Optional<ExportJob> find(String id, Caller caller) {
        requireNonNull(caller, "caller is null");
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        return db.find(id).filter(j -> j.status() != ExportJob.Status.CANCELLED && isRequester(j, caller));
    }

    private static boolean isRequester(ExportJob job, Caller caller) {
        return job.personId().equals(caller.person().id()) && job.organisation().equals(caller.organisation().id());
    }

    /** A complete job's files, outputs first (empty for any other job). */
    public List<ExportFile> files(ExportJob job) {
        return job.status() == ExportJob.Status.COMPLETE ? db.files(job.id()) : List.of();
    }

    /** A file of a complete job this caller started. */
    public Optional<byte[]> content(String id, String name, Caller caller) {
        return find(id, caller).filter(j -> j.status() == ExportJob.Status.COMPLETE).flatMap(j -> db.content(j.id(), name));
    }

    /**
     * Cancels a job this caller started (queued, running or complete) and deletes its files; false if
     * there is no such job (or it was already cancelled).
     */
    public boolean cancel(String id, Caller caller) {
        return find(id, caller).isPresent() && db.cancel(id);
    }

    private void upkeep() {
        try {
            db.heartbeat(Set.copyOf(held));
            failStale();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "export upkeep failed (retried at the next heartbeat): " + e.getMessage());
        }
    }

    private void failStale() {
        List<String> failed = db.failStale(limits.staleAfter(), STALE);
        if (!failed.isEmpty()) {
            LOG.log(Level.WARNING, "marked failed {0} export(s) whose server process stopped: {1}", new Object[] {failed.size(), failed});
        }
    }

    /** Stops the executor; jobs it still held are marked failed (they are not resumed by another process). */
    @Override
    public void close() {
        upkeep.shutdownNow();
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String id : Set.copyOf(held)) {
            try {
                db.fail(id, STOPPED);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not mark export " + id + " failed on stopping (another process will): " + e.getMessage());
            }
        }
    }
}
