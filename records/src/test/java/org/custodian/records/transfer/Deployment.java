package org.custodian.records.transfer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.records.index.Sensitivity;
import org.custodian.records.store.RecordStore;
import org.custodian.records.write.Author;
import org.custodian.records.write.Preparer;
import org.custodian.records.write.RecordWriter;

/**
 * One deployment's records on a fresh database of a real PostgreSQL, wired as {@code custodian import}
 * and {@code custodian export} wire them: the operator's writer (no gate), the ledger's store for
 * appends in the same transaction, and no ledger client.
 */
final class Deployment {
    static final Author OPERATOR = Author.operator("test@localhost");
    static final RecordWriter.Context CTX = new RecordWriter.Context(OPERATOR, null, "import");

    final HikariDataSource ds;
    final PostgresLogStore ledger;
    final RecordWriter writer;

    Deployment(PostgresForTests postgres) {
        ds = postgres.newDatabase();
        ledger = new PostgresLogStore(ds);
        Clock clock = Clock.systemUTC();
        writer = RecordWriter.forOperator(new RecordStore(ds, ledger, clock), new Preparer(Sensitivity.standard()), clock);
    }

    ImportTotals load(int chunkLines, ImportListener listener, Path... paths) throws IOException {
        return new Importer(writer, ds, Clock.systemUTC(), chunkLines).run(ImportPlan.of(List.of(paths)), CTX, listener);
    }

    ImportTotals load(Path... paths) throws IOException {
        return load(Importer.DEFAULT_CHUNK_LINES, ImportListener.NONE, paths);
    }

    ExportManifest export(Path dir, String... types) throws IOException {
        return new Exporter(ds, ledger, Clock.systemUTC()).export(dir, Set.of(types), OPERATOR, ExportListener.NONE);
    }

    long count(String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    long versions() {
        return count("SELECT count(*) FROM record_versions");
    }

    long ledgerEntries() {
        return count("SELECT count(*) FROM ledger_entries");
    }

    /** Records what the importer reports, for tests that check how far a run went. */
    static final class Recording implements ImportListener {
        final List<String> events = new ArrayList<>();
        long resumedAfter = -1;

        @Override
        public void started(ImportFile file, long resumeAfter, ImportTotals totals) {
            resumedAfter = resumeAfter;
            events.add("started " + file.path().getFileName() + " after " + resumeAfter);
        }

        @Override
        public void skipped(ImportFile file, String why, ImportTotals totals) {
            events.add("skipped " + file.path().getFileName() + ": " + why);
        }
    }
}
