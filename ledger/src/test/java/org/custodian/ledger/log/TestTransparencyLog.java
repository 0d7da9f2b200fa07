package org.custodian.ledger.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.merkle.ProofVerifier;
import org.custodian.ledger.note.Checkpoint;
import org.custodian.ledger.note.Note;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.postgres.PostgresPerClass;
import org.custodian.ledger.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The log end to end on a real PostgreSQL: durable appends, sequencing, checkpoints, proofs. */
class TestTransparencyLog {
    private static final String ORIGIN = "test.custodian/log";

    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    static LedgerEntry entry(long n) {
        return LedgerEntry.create("test.entry", 1, Instant.now(), Map.of("n", n));
    }

    static LogConfig fast(boolean sequencer) {
        return new LogConfig(ORIGIN, Duration.ofMillis(100), 1024, 65_536, sequencer);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Eventually.await(what, Duration.ofSeconds(20), condition);
    }

    @Test
    void concurrentAppendersGetDistinctContiguousIndexesOnlyOnceDurable() throws Exception {
        DataSource ds = postgres.newDatabase();
        NoteSigner key = NoteSigner.generate(ORIGIN);
        try (TransparencyLog log = TransparencyLog.open(new PostgresLogStore(ds), key, fast(false))) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                results.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < 300; i++) {
                        mine.add(log.appendAndWait(entry(i)));
                    }
                    return mine;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : results) {
                all.addAll(f.get());
            }
            pool.shutdown();
            Collections.sort(all);
            for (int i = 0; i < all.size(); i++) {
                assertEquals(i, all.get(i), "indexes are 0..n-1, each once");
            }
            assertEquals(all.size(), log.appendedSize(), "every acknowledged entry is in the store");
            assertEquals(all.size(), new PostgresLogStore(ds).readLeaves(0, 100_000).size());
        }
    }

    @Test
    void appendedEntriesAppearInASignedCheckpointWithVerifiableProofs() throws Exception {
        DataSource ds = postgres.newDatabase();
        NoteSigner key = NoteSigner.generate(ORIGIN);
        List<PublishedCheckpoint> published = new CopyOnWriteArrayList<>();
        try (TransparencyLog log = TransparencyLog.open(new PostgresLogStore(ds), key, fast(true))) {
            log.onCheckpoint(published::add);
            List<LedgerEntry> entries = new ArrayList<>();
            List<CompletableFuture<Long>> indexes = new ArrayList<>();
            for (int i = 0; i < 700; i++) {
                LedgerEntry e = entry(i);
                entries.add(e);
                indexes.add(log.append(e));
                if (i % 150 == 0) {
                    Thread.sleep(150); // spread appends over several checkpoints
                }
            }
            for (CompletableFuture<Long> f : indexes) {
                f.get();
            }
            await("the checkpoint covers every entry", () -> log.latestCheckpoint().map(c -> c.size() == 700).orElse(false));

            PublishedCheckpoint latest = log.latestCheckpoint().orElseThrow();
            Note.open(latest.note(), List.of(key.verifier()));
            Checkpoint checkpoint = Checkpoint.parse(Note.parse(latest.note()).text());
            assertEquals(ORIGIN, checkpoint.origin());
            assertEquals(700, checkpoint.size());
            assertArrayEquals(latest.root(), checkpoint.rootHash());

            for (int i = 0; i < entries.size(); i++) {
                long index = indexes.get(i).get();
                byte[] leafHash = Hashes.leafHash(entries.get(i).envelope().leafData());
                assertArrayEquals(leafHash, log.leafHash(index), "the tree holds the entry's envelope at its index");
                ProofVerifier.verifyInclusion(leafHash, index, 700, log.inclusionProof(index, 700), checkpoint.rootHash());
            }
            assertTrue(published.size() >= 2, "several checkpoints were published");
            for (int a = 0; a < published.size(); a++) {
                for (int b = a; b < published.size(); b++) {
                    PublishedCheckpoint older = published.get(a);
                    PublishedCheckpoint newer = published.get(b);
                    ProofVerifier.verifyConsistency(older.size(), newer.size(),
                            log.consistencyProof(older.size(), newer.size()), older.root(), newer.root());
                }
            }
        }
    }

    @Test
    void exactlyOneSequencerAtATimeAndAnotherTakesOverWhenItStops() throws Exception {
        DataSource ds = postgres.newDatabase();
        NoteSigner key = NoteSigner.generate(ORIGIN);
        TransparencyLog first = TransparencyLog.open(new PostgresLogStore(ds), key, fast(true));
        // A second process: its own connection pool on the same database.
        DataSource otherPool = postgres.pool(((com.zaxxer.hikari.HikariDataSource) ds).getJdbcUrl());
        try (TransparencyLog second = TransparencyLog.open(new PostgresLogStore(otherPool), key, fast(true))) {
            await("one of them is the sequencer", () -> first.isSequencer() || second.isSequencer());
            Thread.sleep(1500); // both have had several chances to take the lease
            assertTrue(first.isSequencer() ^ second.isSequencer(), "exactly one process sequences");
            TransparencyLog leader = first.isSequencer() ? first : second;
            TransparencyLog follower = leader == first ? second : first;

            for (int i = 0; i < 50; i++) {
                follower.appendAndWait(entry(i));
            }
            await("the leader integrates the follower's appends", () -> follower.latestCheckpoint().map(c -> c.size() == 50).orElse(false));

            leader.close();
            await("the other process takes over", follower::isSequencer);
            for (int i = 0; i < 50; i++) {
                follower.appendAndWait(entry(i));
            }
            await("the new sequencer integrates", () -> follower.latestCheckpoint().map(c -> c.size() == 100).orElse(false));
        } finally {
            first.close();
        }
    }

    @Test
    void anIndexWhoseAppendNeverCommittedIsFilledAndIntegrationGoesOn() throws Exception {
        DataSource ds = postgres.newDatabase();
        NoteSigner key = NoteSigner.generate(ORIGIN);
        try (TransparencyLog log = TransparencyLog.open(new PostgresLogStore(ds), key, fast(true))) {
            for (int i = 0; i < 10; i++) {
                log.appendAndWait(entry(i));
            }
            // An append that took an index and died before committing (its process was killed).
            PostgresForTests.sql(ds, "SELECT nextval('ledger_index')");
            for (int i = 0; i < 10; i++) {
                log.appendAndWait(entry(i));
            }
            // ...and one more at the very end, with nothing after it.
            PostgresForTests.sql(ds, "SELECT nextval('ledger_index')");
            await("the gaps are filled and everything is integrated", () -> log.treeHead().size() == 22);
            PostgresLogStore store = new PostgresLogStore(ds);
            for (long gap : new long[] {10, 21}) {
                LedgerEntry filler = LedgerEntry.parse(store.content(gap).orElseThrow());
                assertEquals(Sequencer.GAP_TYPE, filler.type());
                assertEquals(gap, filler.fields().get("index"));
            }
            var report = new org.custodian.ledger.verify.LedgerVerifier(store, key.verifier(), n -> {}).verify();
            assertTrue(report.ok(), () -> report.problems().toString());
        }
    }

    @Test
    void aDatabaseRefusesToServeASecondLogKeyOrOrigin() {
        DataSource ds = postgres.newDatabase();
        NoteSigner key = NoteSigner.generate(ORIGIN);
        TransparencyLog.open(new PostgresLogStore(ds), key, fast(false)).close();

        NoteSigner otherKey = NoteSigner.generate(ORIGIN);
        LedgerConfigurationException wrongKey = assertThrows(LedgerConfigurationException.class,
                () -> TransparencyLog.open(new PostgresLogStore(ds), otherKey, fast(false)));
        assertTrue(wrongKey.getMessage().contains(key.verifierKeyText()), wrongKey.getMessage());

        NoteSigner otherOrigin = NoteSigner.generate("other.example/log");
        assertThrows(LedgerConfigurationException.class, () -> TransparencyLog.open(new PostgresLogStore(ds), otherOrigin,
                new LogConfig("other.example/log", Duration.ofMillis(100), 10, 10, false)));
    }

    @Test
    void proofsForSizesBeyondTheIntegratedTreeAreRefused() throws Exception {
        DataSource ds = postgres.newDatabase();
        NoteSigner key = NoteSigner.generate(ORIGIN);
        try (TransparencyLog log = TransparencyLog.open(new PostgresLogStore(ds), key, fast(true))) {
            log.appendAndWait(entry(1));
            await("integrated", () -> log.treeHead().size() == 1);
            assertThrows(IllegalArgumentException.class, () -> log.inclusionProof(0, 2));
            assertThrows(IllegalArgumentException.class, () -> log.inclusionProof(1, 1));
            assertThrows(IllegalArgumentException.class, () -> log.consistencyProof(1, 2));
            assertThrows(IllegalArgumentException.class, () -> log.consistencyProof(2, 1));
            assertFalse(log.inclusionProof(0, 1).iterator().hasNext(), "a one-leaf tree needs an empty proof");
        }
    }
}
