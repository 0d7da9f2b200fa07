package org.custodian.ledger.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.PendingEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The append statement is planned once per connection, not once per batch. When it took the batch's size as a
 * parameter of its own, PostgreSQL planned it afresh on every execution (a plan for the given size always looked
 * cheaper than the generic one): 14% of the appending backend's CPU under {@code perf} (docs/benchmarks.md). This
 * checks the plan's shape, which is deterministic, rather than timing anything: after batches of many sizes on one
 * connection, the server reports generic plans for the statement. The indexes returned still name each batch's
 * entries in batch order.
 */
class TestAppendPlan {
    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    @Test
    void batchesOfEverySizeShareOneGenericPlanAndKeepTheirOrder() throws SQLException {
        HikariDataSource migrated = postgres.newDatabase();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(migrated.getJdbcUrl());
        config.setMaximumPoolSize(1); // one connection: its prepared statements are the ones examined below
        try (HikariDataSource one = new HikariDataSource(config)) {
            PostgresLogStore store = new PostgresLogStore(one);
            SplittableRandom random = new SplittableRandom(20261124);
            for (int batch = 0; batch < 30; batch++) {
                List<PendingEntry> entries = new ArrayList<>();
                int size = 1 + random.nextInt(64);
                for (int i = 0; i < size; i++) {
                    LedgerEntry.Encoded e = LedgerEntry.create("test.plan", 1, Instant.now(),
                            Map.of("batch", (long) batch, "n", (long) i)).encode();
                    entries.add(new PendingEntry(e.leafData(), e.content()));
                }
                long[] indexes = store.appendBatch(entries);
                assertEquals(size, indexes.length);
                for (int i = 0; i < size; i++) {
                    assertArrayEquals(entries.get(i).content(), store.content(indexes[i]).orElseThrow(),
                            "index " + indexes[i] + " holds entry " + i + " of batch " + batch);
                }
            }
            try (Connection c = one.getConnection();
                    PreparedStatement q = c.prepareStatement("SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                            + "WHERE statement LIKE '%INSERT INTO ledger_entries%'");
                    ResultSet rs = q.executeQuery()) {
                assertTrue(rs.next(), "the append statement is prepared on the server");
                long generic = rs.getLong(1);
                long custom = rs.getLong(2);
                assertTrue(generic >= 20, "generic plans " + generic + ", custom plans " + custom
                        + ": the append is planned again for each batch");
            }
        }
    }
}
