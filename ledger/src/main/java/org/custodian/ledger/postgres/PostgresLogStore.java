package org.custodian.ledger.postgres;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.CheckpointSample;
import org.custodian.ledger.log.ConcurrentIntegrationException;
import org.custodian.ledger.log.LedgerConfigurationException;
import org.custodian.ledger.log.LedgerUnavailableException;
import org.custodian.ledger.log.LogStore;
import org.custodian.ledger.log.PendingEntry;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.log.SequencerLease;
import org.custodian.ledger.log.StoredCosignature;
import org.custodian.ledger.log.TreeHead;
import org.custodian.ledger.tiles.Integration;
import org.custodian.ledger.tiles.Tile;
import org.custodian.ledger.tiles.TileReader;
import org.custodian.ledger.verify.LedgerRecords;

/**
 * The log in PostgreSQL (tables in {@code db/migration/V1__ledger.sql}), through plain JDBC.
 *
 * <p>An append takes its indexes from the {@code ledger_index} sequence, then inserts the batch in
 * one statement that commits by itself. No lock is held across the commit, so appends from many
 * connections and processes commit concurrently and PostgreSQL flushes their WAL together. The store
 * refuses a server with {@code fsync} or {@code synchronous_commit} off: an acknowledged entry is on
 * disk.
 */
public final class PostgresLogStore implements LogStore, LedgerRecords {
    /** Key of the session-level advisory lock that makes one process the sequencer. */
    static final long SEQUENCER_LOCK_KEY = 0x4355_5354_4C4F_4731L;

    /**
     * One statement, one round trip: number the batch from the sequence, insert it, and return each
     * entry's index in batch order (joined on the position, never on the order rows come back in).
     *
     * <p>The batch's size is not a parameter of its own: PostgreSQL planned a statement that took it
     * ({@code generate_series(1, ?)}) afresh on every execution, since a plan for the given size always
     * looked cheaper than the generic one, and that planning was 14% of the appending backend's CPU
     * ({@code perf}, docs/benchmarks.md). Counting the rows of the arrays themselves, it settles on the
     * generic plan after five executions, as a prepared statement should.
     */
    private static final String APPEND =
            "WITH t AS (SELECT leaf, content, ord FROM unnest(?::bytea[], ?::bytea[]) WITH ORDINALITY AS t(leaf, content, ord)), "
                    + "ids AS (SELECT ord, nextval('ledger_index') AS idx FROM t), "
                    + "ins AS (INSERT INTO ledger_entries (idx, leaf, content) "
                    + "SELECT ids.idx, t.leaf, t.content FROM t JOIN ids ON ids.ord = t.ord) "
                    + "SELECT idx FROM ids ORDER BY ord";
    private static final String MOVE_HEAD =
            "UPDATE ledger_tree SET size = ?, root = ? WHERE id = 1 AND size = ?";
    private static final String UPSERT_TILES =
            "INSERT INTO ledger_tiles (level, idx, hashes) SELECT * FROM unnest(?::smallint[], ?::bigint[], ?::bytea[]) "
                    + "ON CONFLICT (level, idx) DO UPDATE SET hashes = EXCLUDED.hashes "
                    + "WHERE length(ledger_tiles.hashes) < length(EXCLUDED.hashes)";
    private static final String INSERT_CHECKPOINT =
            "INSERT INTO ledger_checkpoints (size, root, note) VALUES (?, ?, ?) ON CONFLICT (size) DO NOTHING";

    /**
     * The growth sample ({@link LogStore#checkpointSamples}): the latest size L from the primary key's
     * end, the targets ceil(L * i / points) for i in 0..points, and for each target the first
     * checkpoint at or above it, each a primary-key look-up; and the last non-empty checkpoint before the latest.
     */
    private static final String CHECKPOINT_SAMPLES =
            "WITH latest AS (SELECT max(size) AS l FROM ledger_checkpoints), "
                    + "targets AS (SELECT DISTINCT ceil(latest.l::numeric * g.i / ?)::bigint AS t "
                    + "FROM latest, generate_series(0, ?) AS g(i) WHERE latest.l IS NOT NULL) "
                    + "SELECT size, root, created_at FROM ("
                    + "SELECT cp.size, cp.root, cp.created_at FROM targets CROSS JOIN LATERAL "
                    + "(SELECT size, root, created_at FROM ledger_checkpoints WHERE size >= targets.t ORDER BY size LIMIT 1) cp "
                    // and the last non-empty checkpoint before the latest, however the targets fall: someone who saved it can
                    // ask for its consistency with the latest
                    + "UNION SELECT prev.size, prev.root, prev.created_at FROM latest CROSS JOIN LATERAL "
                    + "(SELECT size, root, created_at FROM ledger_checkpoints WHERE size > 0 AND size < latest.l ORDER BY size DESC LIMIT 1) prev"
                    + ") samples ORDER BY size";

    private final DataSource dataSource;

    public PostgresLogStore(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
    }

    @Override
    public void bindIdentity(String origin, String verifierKey) {
        try (Connection c = dataSource.getConnection()) {
            requireFsync(c);
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO ledger_log (id, origin, verifier_key) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                insert.setString(1, origin);
                insert.setString(2, verifierKey);
                insert.executeUpdate();
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT origin, verifier_key FROM ledger_log WHERE id = 1")) {
                rs.next();
                String storedOrigin = rs.getString(1);
                String storedKey = rs.getString(2);
                c.commit();
                if (!storedOrigin.equals(origin) || !storedKey.equals(verifierKey)) {
                    throw new LedgerConfigurationException("this database holds the log '" + storedOrigin
                            + "' with key " + storedKey + ", not '" + origin + "' with key " + verifierKey
                            + "; use the data directory (and key) it was created with");
                }
            }
        } catch (SQLException e) {
            throw unavailable("cannot read the log's identity", e);
        }
    }

    /** The log's stored identity (origin and verifier key), if it was ever opened. */
    public Optional<String[]> identity() {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT origin, verifier_key FROM ledger_log WHERE id = 1")) {
            return rs.next() ? Optional.of(new String[] {rs.getString(1), rs.getString(2)}) : Optional.empty();
        } catch (SQLException e) {
            throw unavailable("cannot read the log's identity", e);
        }
    }

    private static void requireFsync(Connection c) throws SQLException {
        for (String setting : new String[] {"fsync", "synchronous_commit"}) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
                rs.next();
                String value = rs.getString(1);
                // synchronous_commit 'remote_*' values also flush locally; only off/local-off lose commits.
                if ("off".equalsIgnoreCase(value)) {
                    throw new LedgerConfigurationException("PostgreSQL runs with " + setting
                            + "=off, so acknowledged ledger entries could be lost; turn it on");
                }
            }
        }
    }

    @Override
    public long[] appendBatch(List<PendingEntry> batch) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        int n = batch.size();
        byte[][] leaves = new byte[n][];
        byte[][] contents = new byte[n][];
        for (int i = 0; i < n; i++) {
            leaves[i] = batch.get(i).leafData();
            contents[i] = batch.get(i).content();
        }
        long[] indexes = new long[n];
        try (Connection c = dataSource.getConnection()) {
            // Autocommit: the statement commits (and waits for the WAL flush) by itself.
            c.setAutoCommit(true);
            try (PreparedStatement append = c.prepareStatement(APPEND)) {
                append.setArray(1, c.createArrayOf("bytea", leaves));
                append.setArray(2, c.createArrayOf("bytea", contents));
                try (ResultSet rs = append.executeQuery()) {
                    for (int i = 0; i < n; i++) {
                        if (!rs.next()) {
                            throw new SQLException("the append returned " + i + " indexes for " + n + " entries");
                        }
                        indexes[i] = rs.getLong(1);
                    }
                }
            }
        } catch (SQLException e) {
            throw unavailable("ledger append failed", e);
        }
        return indexes;
    }

    /**
     * Appends one entry inside the caller's transaction on {@code c} and returns its index: the entry
     * becomes part of the log if and only if that transaction commits. This is how a change of state
     * (a register, a consent, a rule) and the ledger entry recording it are made atomic: neither can
     * exist without the other. An index whose transaction rolls back is a gap that the sequencer fills
     * with a {@code ledger.gap} entry. The caller MUST keep the transaction short: the sequencer cannot
     * integrate past an index whose transaction is still open.
     */
    public long appendWithin(Connection c, LedgerEntry entry) throws SQLException {
        requireNonNull(c, "connection is null");
        LedgerEntry.Encoded encoded = entry.encode();
        PendingEntry pending = new PendingEntry(encoded.leafData(), encoded.content());
        if (c.getAutoCommit()) {
            throw new IllegalStateException("appendWithin needs a transaction (autocommit off)");
        }
        try (PreparedStatement append = c.prepareStatement(APPEND)) {
            append.setArray(1, c.createArrayOf("bytea", new byte[][] {pending.leafData()}));
            append.setArray(2, c.createArrayOf("bytea", new byte[][] {pending.content()}));
            try (ResultSet rs = append.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the append returned no index");
                }
                return rs.getLong(1);
            }
        }
    }

    @Override
    public long appendedSize() {
        return queryLong("SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM ledger_index");
    }

    @Override
    public long nextStoredIndex(long from) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT min(idx) FROM ledger_entries WHERE idx >= ?")) {
            ps.setLong(1, from);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long found = rs.getLong(1);
                return rs.wasNull() ? -1 : found;
            }
        } catch (SQLException e) {
            throw unavailable("cannot read ledger entries", e);
        }
    }

    @Override
    public List<Long> missingIndexes(long from, long to, int max) {
        List<Long> missing = new ArrayList<>();
        if (from >= to || max <= 0) {
            return missing;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT g FROM generate_series(?::bigint, ?::bigint) AS g "
                                + "WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.idx = g) ORDER BY g LIMIT ?")) {
            ps.setLong(1, from);
            ps.setLong(2, to - 1);
            ps.setInt(3, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    missing.add(rs.getLong(1));
                }
            }
            return missing;
        } catch (SQLException e) {
            throw unavailable("cannot read ledger entries", e);
        }
    }

    @Override
    public long newestIndexOlderThan(long from, java.time.Duration age) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT max(idx) FROM ledger_entries WHERE idx >= ? AND appended_at < clock_timestamp() - make_interval(secs => ?)")) {
            ps.setLong(1, from);
            ps.setDouble(2, age.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long found = rs.getLong(1);
                return rs.wasNull() ? -1 : found;
            }
        } catch (SQLException e) {
            throw unavailable("cannot read ledger entries", e);
        }
    }

    @Override
    public boolean fillGap(long index, PendingEntry entry) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO ledger_entries (idx, leaf, content) VALUES (?, ?, ?) ON CONFLICT (idx) DO NOTHING")) {
            c.setAutoCommit(true);
            ps.setLong(1, index);
            ps.setBytes(2, entry.leafData());
            ps.setBytes(3, entry.content());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw unavailable("cannot fill a gap in the ledger", e);
        }
    }

    @Override
    public List<byte[]> readLeaves(long from, int max) {
        List<byte[]> leaves = new ArrayList<>(Math.min(max, 4096));
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT idx, leaf FROM ledger_entries WHERE idx >= ? AND idx < ? ORDER BY idx")) {
            ps.setLong(1, from);
            ps.setLong(2, from + max);
            ps.setFetchSize(4096);
            try (ResultSet rs = ps.executeQuery()) {
                long expected = from;
                // Stop at a gap: a sequencer must only ever integrate a contiguous prefix.
                while (rs.next() && rs.getLong(1) == expected) {
                    leaves.add(rs.getBytes(2));
                    expected++;
                }
            }
            return leaves;
        } catch (SQLException e) {
            throw unavailable("cannot read ledger entries", e);
        }
    }

    @Override
    public TreeHead treeHead() {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT size, root FROM ledger_tree WHERE id = 1")) {
            rs.next();
            return new TreeHead(rs.getLong(1), rs.getBytes(2));
        } catch (SQLException e) {
            throw unavailable("cannot read the tree head", e);
        }
    }

    @Override
    public void integrate(Integration integration, String signedCheckpoint) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement move = c.prepareStatement(MOVE_HEAD)) {
                    move.setLong(1, integration.newSize());
                    move.setBytes(2, integration.root());
                    move.setLong(3, integration.oldSize());
                    if (move.executeUpdate() != 1) {
                        c.rollback();
                        throw new ConcurrentIntegrationException("the tree head is no longer at size "
                                + integration.oldSize() + "; another sequencer integrated first");
                    }
                }
                List<Tile> tiles = integration.tiles();
                if (!tiles.isEmpty()) {
                    Short[] levels = new Short[tiles.size()];
                    Long[] indexes = new Long[tiles.size()];
                    byte[][] hashes = new byte[tiles.size()][];
                    for (int i = 0; i < tiles.size(); i++) {
                        Tile t = tiles.get(i);
                        levels[i] = (short) t.id().level();
                        indexes[i] = t.id().index();
                        hashes[i] = t.hashes();
                    }
                    try (PreparedStatement upsert = c.prepareStatement(UPSERT_TILES)) {
                        upsert.setArray(1, c.createArrayOf("smallint", levels));
                        upsert.setArray(2, c.createArrayOf("bigint", indexes));
                        upsert.setArray(3, c.createArrayOf("bytea", hashes));
                        upsert.executeUpdate();
                    }
                }
                try (PreparedStatement cp = c.prepareStatement(INSERT_CHECKPOINT)) {
                    cp.setLong(1, integration.newSize());
                    cp.setBytes(2, integration.root());
                    cp.setString(3, signedCheckpoint);
                    cp.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable("cannot store the integrated tree", e);
        }
    }

    @Override
    public Optional<PublishedCheckpoint> latestCheckpoint() {
        return readCheckpoint("SELECT size, root, note, created_at FROM ledger_checkpoints ORDER BY size DESC LIMIT 1", -1);
    }

    @Override
    public Optional<PublishedCheckpoint> checkpoint(long size) {
        return readCheckpoint("SELECT size, root, note, created_at FROM ledger_checkpoints WHERE size = ?", size);
    }

    private Optional<PublishedCheckpoint> readCheckpoint(String sql, long size) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (size >= 0) {
                ps.setLong(1, size);
            }
            long found;
            byte[] root;
            String note;
            java.time.Instant created;
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                found = rs.getLong(1);
                root = rs.getBytes(2);
                note = rs.getString(3);
                created = rs.getTimestamp(4).toInstant();
            }
            List<String> cosignatures = new ArrayList<>();
            try (PreparedStatement cs = c.prepareStatement(
                    "SELECT line FROM ledger_cosignatures WHERE size = ? ORDER BY witness")) {
                cs.setLong(1, found);
                try (ResultSet rs = cs.executeQuery()) {
                    while (rs.next()) {
                        cosignatures.add(rs.getString(1));
                    }
                }
            }
            return Optional.of(new PublishedCheckpoint(found, root, note, cosignatures, created));
        } catch (SQLException e) {
            throw unavailable("cannot read checkpoints", e);
        }
    }

    @Override
    public void addCosignature(long size, String witness, String signatureLine) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO ledger_cosignatures (size, witness, line) VALUES (?, ?, ?) "
                                + "ON CONFLICT (size, witness) DO NOTHING")) {
            ps.setLong(1, size);
            ps.setString(2, witness);
            ps.setString(3, signatureLine);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable("cannot store a cosignature", e);
        }
    }

    @Override
    public Optional<StoredCosignature> latestCosignature(String witness) {
        // ledger_cosignatures_by_witness (V13): one index look-up.
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT size, line, received_at FROM ledger_cosignatures WHERE witness = ? ORDER BY size DESC LIMIT 1")) {
            ps.setString(1, witness);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new StoredCosignature(witness, rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant()))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable("cannot read cosignatures", e);
        }
    }

    @Override
    public List<CheckpointSample> checkpointSamples(int points) {
        List<CheckpointSample> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(CHECKPOINT_SAMPLES)) {
            ps.setInt(1, points);
            ps.setInt(2, points);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CheckpointSample(rs.getLong(1), rs.getBytes(2), rs.getTimestamp(3).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable("cannot read checkpoints", e);
        }
    }

    @Override
    public TileReader tiles() {
        return (level, index, minWidth) -> {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT hashes FROM ledger_tiles WHERE level = ? AND idx = ?")) {
                ps.setShort(1, (short) level);
                ps.setLong(2, index);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IOException("tile " + level + "/" + index + " is not stored");
                    }
                    byte[] hashes = rs.getBytes(1);
                    if (hashes.length < minWidth * 32) {
                        throw new IOException("tile " + level + "/" + index + " has " + hashes.length / 32
                                + " hashes, " + minWidth + " needed");
                    }
                    return hashes;
                }
            } catch (SQLException e) {
                throw new IOException("cannot read tile " + level + "/" + index + ": " + e.getMessage(), e);
            }
        };
    }

    @Override
    public Optional<SequencerLease> tryAcquireSequencerLease() {
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, SEQUENCER_LOCK_KEY);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return Optional.of(new AdvisoryLease(c));
                    }
                }
            }
            c.close();
            return Optional.empty();
        } catch (SQLException e) {
            closeQuietly(c);
            throw unavailable("cannot take the sequencer lock", e);
        }
    }

    /**
     * Erases the private content of an entry (after its retention period). The envelope, and so the
     * leaf hash and every proof, stays.
     */
    public boolean eraseContent(long index) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE ledger_entries SET content = NULL, erased_at = now() WHERE idx = ? AND content IS NOT NULL")) {
            ps.setLong(1, index);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw unavailable("cannot erase entry content", e);
        }
    }

    /** The private content of an entry, empty if erased or absent. For authorised readers only. */
    public Optional<byte[]> content(long index) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT content FROM ledger_entries WHERE idx = ?")) {
            ps.setLong(1, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable("cannot read entry content", e);
        }
    }

    /**
     * The entries with indexes in {@code [from, from + max)}, in order, each with its envelope and its private content
     * (null when erased). For authorised readers only.
     */
    public List<StoredEntry> readEntries(long from, int max) {
        List<StoredEntry> out = new ArrayList<>(Math.min(max, 1024));
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT idx, leaf, content FROM ledger_entries WHERE idx >= ? AND idx < ? ORDER BY idx")) {
            ps.setLong(1, from);
            ps.setLong(2, from + max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredEntry(rs.getLong(1), rs.getBytes(2), rs.getBytes(3)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable("cannot read ledger entries", e);
        }
    }

    // ---- LedgerRecords: the audit's view, read in order with server-side cursors ----

    @Override
    public void scanEntries(Visitor<StoredEntry> visitor) {
        scan("SELECT idx, leaf, content FROM ledger_entries ORDER BY idx",
                rs -> visitor.visit(new StoredEntry(rs.getLong(1), rs.getBytes(2), rs.getBytes(3))));
    }

    @Override
    public void scanTiles(Visitor<StoredTile> visitor) {
        scan("SELECT level, idx, hashes FROM ledger_tiles ORDER BY level, idx",
                rs -> visitor.visit(new StoredTile(rs.getShort(1), rs.getLong(2), rs.getBytes(3))));
    }

    @Override
    public List<StoredCheckpoint> checkpoints() {
        List<StoredCheckpoint> out = new ArrayList<>();
        scan("SELECT size, root, note FROM ledger_checkpoints ORDER BY size",
                rs -> out.add(new StoredCheckpoint(rs.getLong(1), rs.getBytes(2), rs.getString(3))));
        return out;
    }

    @Override
    public long treeSize() {
        return treeHead().size();
    }

    @Override
    public byte[] storedTile(int level, long index) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT hashes FROM ledger_tiles WHERE level = ? AND idx = ?")) {
            ps.setShort(1, (short) level);
            ps.setLong(2, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        } catch (SQLException e) {
            throw unavailable("cannot read tiles", e);
        }
    }

    private interface RowHandler {
        void handle(ResultSet rs) throws SQLException;
    }

    private void scan(String sql, RowHandler handler) {
        try (Connection c = dataSource.getConnection()) {
            // A cursor (fetch size with autocommit off) keeps memory flat over millions of rows.
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        handler.handle(rs);
                    }
                }
            } finally {
                c.rollback();
                c.setReadOnly(false);
            }
        } catch (SQLException e) {
            throw unavailable("cannot read the ledger", e);
        }
    }

    private long queryLong(String sql) {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw unavailable("cannot read the ledger", e);
        }
    }

    private static LedgerUnavailableException unavailable(String what, SQLException e) {
        return new LedgerUnavailableException(what + ": " + e.getMessage(), e);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the transaction is gone with it.
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Nothing to do: we are already reporting the original failure.
            }
        }
    }

    /** Holds the sequencer's advisory lock for as long as its connection lives. */
    private static final class AdvisoryLease implements SequencerLease {
        private static final long CHECK_EVERY_NANOS = 500_000_000L;
        private final Connection connection;
        private volatile boolean lost;
        private volatile long checkedAt = System.nanoTime();

        AdvisoryLease(Connection connection) {
            this.connection = connection;
        }

        @Override
        public boolean held() {
            if (lost) {
                return false;
            }
            long now = System.nanoTime();
            if (now - checkedAt > CHECK_EVERY_NANOS) {
                checkedAt = now;
                try {
                    // The lock is the session's: while the connection is alive, the lock is ours.
                    lost = !connection.isValid(2);
                } catch (SQLException e) {
                    lost = true;
                }
            }
            return !lost;
        }

        @Override
        public void close() {
            lost = true;
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                ps.setLong(1, SEQUENCER_LOCK_KEY);
                ps.execute();
            } catch (SQLException ignored) {
                // A broken connection released the lock already.
            }
            closeQuietly(connection);
        }
    }
}
