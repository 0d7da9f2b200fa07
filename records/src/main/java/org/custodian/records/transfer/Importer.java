package org.custodian.records.transfer;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.custodian.records.fhir.FhirJson;
import org.custodian.records.store.RecordsUnavailableException;
import org.custodian.records.store.WriteOutcome;
import org.custodian.records.write.RecordWriter;
import org.custodian.records.write.WriteRefusedException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Loads files into the records ({@code custodian import}): bundles through {@link
 * RecordWriter#importBundle}, one transaction each, and NDJSON files through {@link
 * RecordWriter#importResources}, one transaction per chunk of lines. Ids, versions and lastUpdated are
 * kept for resources new here, so an export imported elsewhere arrives identical.
 *
 * <p><b>Idempotent.</b> Files are known by their content's SHA-256 ({@code record_imports}): one that
 * loaded to its end is passed over; and content already current here makes no new version, so loading
 * the same resources again, from whatever file, adds nothing.
 *
 * <p><b>Resumable.</b> After each unit commits (a bundle; a chunk of NDJSON lines) the lines done are
 * recorded, and a later run of the same file continues after them.
 *
 * <p><b>All or nothing per unit.</b> A unit that cannot be loaded stops the import with {@link
 * ImportRefusedException}, naming the file and, for NDJSON, the line; nothing of that unit is stored,
 * and the units before it stay.
 */
public final class Importer {
    /** NDJSON lines per transaction: big enough to amortise a commit, small enough to keep transactions short for the ledger's sequencer. */
    public static final int DEFAULT_CHUNK_LINES = 500;

    private static final Pattern REFERENCE = Pattern.compile("\\b([A-Z][A-Za-z]+)/([A-Za-z0-9\\-.]{1,64})\\b");
    private static final Pattern QUOTED_ID = Pattern.compile("\"([A-Za-z0-9\\-.]{1,64})\" is not a FHIR id");

    private final RecordWriter writer;
    private final DataSource ds;
    private final ImportJournal journal;
    private final Clock clock;
    private final int chunkLines;

    /**
     * @param writer a writer for the operator ({@link RecordWriter#forOperator})
     * @param ds the records' database, where {@code record_imports} is
     */
    public Importer(RecordWriter writer, DataSource ds, Clock clock, int chunkLines) {
        this.writer = requireNonNull(writer, "writer is null");
        this.ds = requireNonNull(ds, "ds is null");
        this.journal = new ImportJournal(ds);
        this.clock = requireNonNull(clock, "clock is null");
        if (chunkLines < 1) {
            throw new IllegalArgumentException("chunkLines must be at least 1: " + chunkLines);
        }
        this.chunkLines = chunkLines;
    }

    /**
     * Loads the files in the order given ({@link ImportPlan#of} gives the right one), stopping at the
     * first that cannot be loaded.
     *
     * @param ctx who imports: the operator, without a caller
     * @return what was done
     * @throws ImportRefusedException for a file or line that cannot be loaded (nothing of its unit stored)
     * @throws IOException if a file cannot be read
     * @throws RecordsUnavailableException if the database fails (what was committed stays; a new run resumes)
     */
    public ImportTotals run(List<ImportFile> files, RecordWriter.Context ctx, ImportListener listener) throws IOException {
        requireNonNull(ctx, "ctx is null");
        requireNonNull(listener, "listener is null");
        if (ctx.caller() != null) {
            throw new IllegalArgumentException("an import is the operator's, without a caller");
        }
        Run run = new Run(files.size(), clock.instant(), ctx, listener);
        for (ImportFile f : files) {
            run.load(f);
        }
        return run.totals();
    }

    /** One run's counters. */
    private final class Run {
        final int filesTotal;
        final Instant started;
        final RecordWriter.Context ctx;
        final ImportListener listener;
        final Map<String, ImportFile> seen = new HashMap<>();
        int loaded;
        int skipped;
        long created;
        long updated;
        long unchanged;

        Run(int filesTotal, Instant started, RecordWriter.Context ctx, ImportListener listener) {
            this.filesTotal = filesTotal;
            this.started = started;
            this.ctx = ctx;
            this.listener = listener;
        }

        ImportTotals totals() {
            return new ImportTotals(filesTotal, loaded, skipped, created, updated, unchanged, Duration.between(started, clock.instant()));
        }

        void load(ImportFile f) throws IOException {
            ImportFile same = seen.putIfAbsent(f.sha256(), f);
            if (same != null) {
                skipped++;
                listener.skipped(f, "same content as " + same.path(), totals());
                return;
            }
            try (Connection c = ds.getConnection()) {
                // Two imports of one file take turns; the later one then finds it finished.
                journal.lock(c, f.sha256());
                try {
                    Optional<ImportJournal.Status> earlier = journal.status(c, f.sha256());
                    if (earlier.isPresent() && earlier.get().finished()) {
                        skipped++;
                        listener.skipped(f, "already imported " + when(earlier.get().updatedAt())
                                + (earlier.get().name().equals(f.path().toString()) ? "" : " (as " + earlier.get().name() + ")"), totals());
                        return;
                    }
                    journal.begin(c, f.sha256(), f.path().toString());
                    long resumeAfter = earlier.map(ImportJournal.Status::doneUnits).orElse(0L);
                    listener.started(f, f.kind() == ImportFile.Kind.NDJSON ? resumeAfter : 0, totals());
                    if (f.kind() == ImportFile.Kind.BUNDLE) {
                        loadBundle(f);
                    } else {
                        loadNdjson(f, resumeAfter);
                    }
                    loaded++;
                    listener.finished(f, totals());
                } finally {
                    unlockQuietly(c, f.sha256());
                }
            } catch (SQLException e) {
                throw new RecordsUnavailableException("the record store is unavailable: " + e.getMessage(), e);
            }
        }

        private void loadBundle(ImportFile f) throws IOException, SQLException {
            String text;
            try {
                text = Files.readString(f.path(), StandardCharsets.UTF_8);
            } catch (MalformedInputException e) {
                throw new ImportRefusedException(f.path(), 0, "not UTF-8 text", e);
            }
            Resource r;
            try {
                r = FhirJson.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ImportRefusedException(f.path(), 0, "not a FHIR R4 resource: " + oneLine(e.getMessage(), false), e);
            }
            if (!(r instanceof Bundle b)) {
                throw new ImportRefusedException(f.path(), 0, "a " + r.fhirType() + ", not a Bundle (a file of one resource per line is named *.ndjson)");
            }
            if (b.getType() != Bundle.BundleType.BATCH && b.getType() != Bundle.BundleType.TRANSACTION) {
                throw new ImportRefusedException(f.path(), 0, "a " + (b.hasType() ? b.getType().toCode() : "typeless")
                        + " bundle: only batch and transaction bundles are imported");
            }
            RecordWriter.BundleResult result;
            try {
                result = writer.importBundle(ctx, b);
            } catch (WriteRefusedException e) {
                throw new ImportRefusedException(f.path(), 0, e.getMessage(), e);
            }
            created += result.count(WriteOutcome.Status.CREATED);
            updated += result.count(WriteOutcome.Status.UPDATED);
            unchanged += result.count(WriteOutcome.Status.UNCHANGED);
            journal.progress(f.sha256(), 1, true);
            listener.committed(f, totals());
        }

        private void loadNdjson(ImportFile f, long resumeAfter) throws IOException, SQLException {
            try (NdjsonReader in = new NdjsonReader(f.path())) {
                in.skip(resumeAfter);
                for (List<NdjsonReader.Line> chunk; !(chunk = in.chunk(chunkLines)).isEmpty(); ) {
                    List<Resource> resources = new ArrayList<>(chunk.size());
                    for (NdjsonReader.Line line : chunk) {
                        resources.add(resource(f, line));
                    }
                    RecordWriter.Result result;
                    try {
                        result = writer.importResources(ctx, resources);
                    } catch (WriteRefusedException e) {
                        throw refusedIn(f, chunk, resources, e);
                    }
                    for (WriteOutcome o : result.outcomes()) {
                        switch (o.status()) {
                            case CREATED -> created++;
                            case UPDATED -> updated++;
                            case UNCHANGED -> unchanged++;
                        }
                    }
                    journal.progress(f.sha256(), in.linesRead(), false);
                    listener.committed(f, totals());
                }
                journal.progress(f.sha256(), in.linesRead(), true);
            }
        }
    }

    private void unlockQuietly(Connection c, String sha256) {
        try {
            journal.unlock(c, sha256);
        } catch (SQLException e) {
            // The connection is broken: the pool discards it, and the lock goes with its session.
        }
    }

    private static Resource resource(ImportFile f, NdjsonReader.Line line) {
        Resource r;
        try {
            r = FhirJson.parse(line.text());
        } catch (IllegalArgumentException e) {
            throw new ImportRefusedException(f.path(), line.number(), "not a FHIR R4 resource: " + oneLine(e.getMessage(), true), e);
        }
        if (!r.hasIdElement() || !r.getIdElement().hasIdPart()) {
            throw new ImportRefusedException(f.path(), line.number(), "a " + r.fhirType() + " without an id (an import keeps ids, so each resource needs one)");
        }
        return r;
    }

    /**
     * The refusal of a chunk, at the line it is about when the reason names it: a resource's own
     * {@code Type/id}, its id, or a reference in it (a Patient that does not exist).
     */
    private static ImportRefusedException refusedIn(ImportFile f, List<NdjsonReader.Line> chunk, List<Resource> resources, WriteRefusedException e) {
        String message = e.getMessage();
        Matcher quoted = QUOTED_ID.matcher(message);
        if (quoted.find()) {
            for (int i = 0; i < resources.size(); i++) {
                if (quoted.group(1).equals(resources.get(i).getIdElement().getIdPart())) {
                    return new ImportRefusedException(f.path(), chunk.get(i).number(), message, e);
                }
            }
        }
        Matcher m = REFERENCE.matcher(message);
        while (m.find()) {
            for (int i = 0; i < resources.size(); i++) {
                Resource r = resources.get(i);
                if (r.fhirType().equals(m.group(1)) && r.getIdElement().getIdPart().equals(m.group(2))) {
                    return new ImportRefusedException(f.path(), chunk.get(i).number(), message, e);
                }
            }
            for (NdjsonReader.Line line : chunk) {
                if (line.text().contains("\"" + m.group() + "\"")) {
                    return new ImportRefusedException(f.path(), line.number(), message, e);
                }
            }
        }
        long first = chunk.get(0).number();
        long last = chunk.get(chunk.size() - 1).number();
        return new ImportRefusedException(f.path(), 0, "lines " + first + " to " + last + " (one transaction): " + message, e);
    }

    /**
     * A parser's complaint on one line: the JSON parser puts its position on a line of its own, and in an
     * NDJSON file its line is always 1 (the resource's own text), so only the column says anything.
     */
    static String oneLine(String message, boolean ndjson) {
        String m = message.replaceAll("\\s*\\R\\s*", " ").trim();
        return ndjson ? m.replaceAll("at \\[line: 1, column: (\\d+)]", "at column $1")
                : m.replaceAll("at \\[line: (\\d+), column: (\\d+)]", "at line $1, column $2");
    }

    private static String when(Instant t) {
        return "on " + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(t);
    }
}
