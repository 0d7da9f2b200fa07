package org.custodian.records.transfer;

import static java.util.Objects.requireNonNull;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.custodian.core.changes.Transactions;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.records.fhir.FhirR4;
import org.custodian.records.store.RecordsUnavailableException;
import org.custodian.records.write.Author;

/**
 * Writes the current version of every resource (or of some types) as NDJSON, one file per type ({@code
 * Patient.ndjson}, ...), with an {@link ExportManifest}, and records the export in the ledger.
 *
 * <p><b>One snapshot.</b> Everything is read in one REPEATABLE READ transaction, so the files agree with
 * each other even while the server writes. Rows are streamed through a cursor (autocommit off, a fetch
 * size), never held all at once; within a file resources are in id order (byte order, whatever the
 * database's collation), so that the same records always export to the same bytes.
 *
 * <p><b>Recorded before it is complete.</b> The files are written under temporary names; the ledger entry
 * ({@value ExportEntry#TYPE}, with every file's digest) is committed; only then are they given their
 * names and the manifest written. If the entry cannot be recorded, no export is left behind.
 */
public final class Exporter {
    private static final int FETCH = 500;
    private static final String PART = ".part";

    private final DataSource ds;
    private final PostgresLogStore ledger;
    private final Clock clock;

    public Exporter(DataSource ds, PostgresLogStore ledger, Clock clock) {
        this.ds = requireNonNull(ds, "ds is null");
        this.ledger = requireNonNull(ledger, "ledger is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Exports into {@code dir}, which MUST be empty or not exist yet.
     *
     * @param types the resource types to export; empty for all
     * @param author who exports, as recorded
     * @return the manifest written, with the ledger index of the export's entry
     * @throws IllegalArgumentException for a type that is not an R4 resource type
     * @throws DirectoryNotEmptyException if {@code dir} has files in it
     * @throws RecordsUnavailableException if the database fails (nothing is left in {@code dir})
     */
    public ExportManifest export(Path dir, Set<String> types, Author author, ExportListener listener) throws IOException {
        requireNonNull(author, "author is null");
        requireNonNull(listener, "listener is null");
        check(dir, types);
        Files.createDirectories(dir);
        long start = System.nanoTime();
        List<Path> parts = new ArrayList<>();
        try {
            ExportManifest written = writeSnapshot(dir, new TreeSet<>(types), listener, start, parts);
            long index = record(author, written);
            for (ExportManifest.Output o : written.output()) {
                Files.move(dir.resolve(o.url() + PART), dir.resolve(o.url()), StandardCopyOption.ATOMIC_MOVE);
            }
            parts.clear();
            ExportManifest manifest = new ExportManifest(written.transactionTime(), written.output(), index);
            Files.writeString(dir.resolve(ExportManifest.FILE), manifest.toJson(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            return manifest;
        } finally {
            for (Path p : parts) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Checks an export's arguments without touching the database, so that a command can refuse them
     * before it starts one: {@link #export} checks them again.
     *
     * @throws IllegalArgumentException for a type that is not an R4 resource type
     * @throws DirectoryNotEmptyException if {@code dir} has files in it
     */
    public static void check(Path dir, Set<String> types) throws IOException {
        Set<String> known = FhirR4.context().getResourceTypes();
        for (String t : types) {
            if (!known.contains(t)) {
                throw new IllegalArgumentException("\"" + t + "\" is not a FHIR R4 resource type");
            }
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> existing = Files.list(dir)) {
                if (existing.findAny().isPresent()) {
                    throw new DirectoryNotEmptyException(dir.toString());
                }
            }
        }
    }

    private ExportManifest writeSnapshot(Path dir, Set<String> types, ExportListener listener, long start, List<Path> parts) throws IOException {
        Connection c = null;
        try {
            c = ds.getConnection();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            Instant snapshot;
            try (PreparedStatement s = c.prepareStatement("SELECT now()"); ResultSet rs = s.executeQuery()) {
                rs.next();
                snapshot = rs.getTimestamp(1).toInstant().truncatedTo(ChronoUnit.MILLIS);
            }
            Map<String, Long> counts = counts(c, types);
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            listener.counted(total, counts.size());
            List<ExportManifest.Output> outputs = new ArrayList<>();
            long written = 0;
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                String type = e.getKey();
                String name = type + ".ndjson";
                Path part = dir.resolve(name + PART);
                parts.add(part);
                MessageDigest sha = ImportPlan.sha256();
                long n = 0;
                try (OutputStream out = new BufferedOutputStream(new DigestOutputStream(
                        Files.newOutputStream(part, StandardOpenOption.CREATE_NEW), sha), 1 << 16);
                        PreparedStatement s = c.prepareStatement("SELECT v.content FROM record_resources r"
                                + " JOIN record_versions v ON v.vid = r.current_vid WHERE r.res_type = ? ORDER BY r.res_id COLLATE \"C\"")) {
                    s.setFetchSize(FETCH);
                    s.setString(1, type);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            String content = rs.getString(1);
                            if (content.indexOf('\n') >= 0) {
                                throw new IllegalStateException(type + " content with a line break cannot be a line of NDJSON");
                            }
                            out.write(content.getBytes(StandardCharsets.UTF_8));
                            out.write('\n');
                            n++;
                            if (++written % FETCH == 0) {
                                listener.written(type, written, total, seconds(start));
                            }
                        }
                    }
                }
                if (n != e.getValue()) {
                    throw new IllegalStateException(type + ": counted " + e.getValue() + " but read " + n + " in one snapshot");
                }
                listener.written(type, written, total, seconds(start));
                outputs.add(new ExportManifest.Output(type, name, n, HexFormat.of().formatHex(sha.digest())));
            }
            c.commit();
            return new ExportManifest(snapshot, outputs, -1);
        } catch (SQLException e) {
            if (c != null) {
                Transactions.rollback(c, e);
            }
            throw new RecordsUnavailableException("the record store is unavailable: " + e.getMessage(), e);
        } finally {
            if (c != null) {
                try {
                    c.setReadOnly(false);
                    c.setAutoCommit(true);
                    c.close();
                } catch (SQLException ignored) {
                    // the pool discards a broken connection
                }
            }
        }
    }

    /** How many current resources of each type (all types if none are given), in type order. */
    private static Map<String, Long> counts(Connection c, Set<String> types) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        String where = types.isEmpty() ? "" : " WHERE res_type = ANY(?)";
        try (PreparedStatement s = c.prepareStatement("SELECT res_type, count(*) FROM record_resources" + where
                + " GROUP BY res_type ORDER BY res_type COLLATE \"C\"")) {
            if (!types.isEmpty()) {
                s.setArray(1, c.createArrayOf("text", types.toArray()));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    /** Appends the export's ledger entry in a transaction of its own (a short one, as the sequencer needs). */
    private long record(Author author, ExportManifest manifest) {
        Connection c = null;
        try {
            c = ds.getConnection();
            c.setAutoCommit(false);
            long index = ledger.appendWithin(c, ExportEntry.of(author, manifest, clock.instant()));
            c.commit();
            return index;
        } catch (SQLException e) {
            if (c != null) {
                Transactions.rollback(c, e);
            }
            throw new RecordsUnavailableException("the export could not be recorded in the ledger, so none is left: " + e.getMessage(), e);
        } finally {
            if (c != null) {
                try {
                    c.setAutoCommit(true);
                    c.close();
                } catch (SQLException ignored) {
                    // the pool discards a broken connection
                }
            }
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
