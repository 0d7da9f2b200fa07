package org.custodian.ledger.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.postgres.PostgresPerClass;
import org.custodian.ledger.tiles.Integration;
import org.custodian.ledger.tiles.TileReader;
import org.custodian.ledger.verify.LedgerRecords;
import org.custodian.ledger.verify.LedgerVerifier;
import org.custodian.ledger.verify.VerificationReport;
import org.custodian.ledger.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Filling the gaps that appends cut off by a crash leave in the index space (found by the app's
 * TestCrashRecovery): all at once, and never with an index a healthy append may still be using.
 */
class TestGapFilling {
    private static final String ORIGIN = "gaps.test/log";

    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    private static LedgerEntry entry(long n) {
        return LedgerEntry.create("test.entry", 1, Instant.now(), Map.of("n", n));
    }

    private static LogConfig fast(boolean sequencer) {
        return new LogConfig(ORIGIN, Duration.ofMillis(100), 1024, 65_536, sequencer);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Eventually.await(what, Duration.ofSeconds(90), condition);
    }

    /** An append that took an index and died before committing (its process was killed). */
    private static void appendCutOff(DataSource ds) {
        PostgresForTests.sql(ds, "SELECT nextval('ledger_index')");
    }

    @Test
    void everyGapACrashLeftIsFilledInOneGracePeriodRatherThanOneGracePeriodPerGap() throws Exception {
        DataSource ds = postgres.newDatabase();
        NoteSigner key = NoteSigner.generate(ORIGIN);
        PostgresLogStore store = new PostgresLogStore(ds);
        // A crashed server: four append transactions were cut off, between ones that committed.
        try (TransparencyLog log = TransparencyLog.open(store, key, fast(false))) {
            for (int i = 0; i < 10; i++) {
                log.appendAndWait(entry(i));
            }
            for (int gap = 0; gap < 3; gap++) {
                appendCutOff(ds);
                for (int i = 0; i < 4; i++) {
                    log.appendAndWait(entry(i));
                }
            }
            appendCutOff(ds);
        }
        // Indexes 0..9 stored, 10 missing, 11..14, 15 missing, 16..19, 20 missing, 21..24, 25 missing.
        // The appends above took some milliseconds each (more on a busy machine), so their entries
        // would pass the grace period one after another and the sequencer would rightly fill the
        // gaps as each entry after one came of age, publishing more checkpoints than this test can
        // tell from one grace period per gap. A crash cuts the appends off in the same instant;
        // give every entry that instant, so the checkpoints show only how the gaps were filled.
        PostgresForTests.sql(ds, "UPDATE ledger_entries SET appended_at = (SELECT max(appended_at) FROM ledger_entries)");
        try (TransparencyLog log = TransparencyLog.open(store, key, fast(true))) {
            await("every gap is filled and everything is integrated", () -> log.treeHead().size() == 26);
        }
        List<Long> sizes = store.checkpoints().stream().map(LedgerRecords.StoredCheckpoint::size).toList();
        // Filled together (by the age of the entries after them, or the timer for the one at the
        // end), not one grace period after another: that would publish 15, 20 and 25 as well.
        assertTrue(sizes.size() <= 5 && sizes.subList(0, 2).equals(List.of(0L, 10L)) && sizes.get(sizes.size() - 1) == 26L,
                "the sequencer filled the gaps together, not one grace period after another: " + sizes);
        for (long gap : new long[] {10, 15, 20, 25}) {
            LedgerEntry filler = LedgerEntry.parse(store.content(gap).orElseThrow());
            assertEquals(Sequencer.GAP_TYPE, filler.type());
            assertEquals(gap, filler.fields().get("index"));
        }
        VerificationReport report = new LedgerVerifier(store, key.verifier(), n -> {}).verify();
        assertTrue(report.ok(), () -> report.problems().toString());
    }

    @Test
    void aSequencerThatKeepsRestartingWithinTheGracePeriodStillFillsAGap() throws Exception {
        DataSource ds = postgres.newDatabase();
        NoteSigner key = NoteSigner.generate(ORIGIN);
        PostgresLogStore store = new PostgresLogStore(ds);
        try (TransparencyLog log = TransparencyLog.open(store, key, fast(false))) {
            log.appendAndWait(entry(0));
            appendCutOff(ds);
            log.appendAndWait(entry(2));
        }
        // A crash loop: each sequencer lives less than the grace period. A timer started afresh by
        // each would never fire; the age of the entry after the gap does not restart.
        for (int life = 0; life < 8 && store.treeHead().size() < 3; life++) {
            try (TransparencyLog log = TransparencyLog.open(store, key, fast(true))) {
                Thread.sleep(Sequencer.GAP_GRACE.toMillis() / 3);
            }
        }
        assertEquals(3, store.treeHead().size(), "the gap was filled and the entry after it integrated");
        assertEquals(Sequencer.GAP_TYPE, LedgerEntry.parse(store.content(1).orElseThrow()).type());
    }

    @Test
    void anIndexHandedOutAfterTheGapWasSeenIsLeftToItsAppendInFlight() throws Exception {
        DataSource ds = postgres.newDatabase();
        NoteSigner key = NoteSigner.generate(ORIGIN);
        PostgresLogStore store = new PostgresLogStore(ds);
        try (TransparencyLog log = TransparencyLog.open(store, key, fast(false))) {
            for (int i = 0; i < 10; i++) {
                log.appendAndWait(entry(i));
            }
        }
        appendCutOff(ds); // index 10: a trailing gap, nothing stored after it
        ObservedStore observed = new ObservedStore(store);
        try (TransparencyLog log = TransparencyLog.open(observed, key, fast(true))) {
            try {
                assertTrue(observed.gapSeen.await(60, TimeUnit.SECONDS), "the sequencer looked for gaps");
                // A healthy append takes index 11 now; its insert is still to come when the gap is filled.
                appendCutOff(ds);
                assertTrue(observed.parked.await(60, TimeUnit.SECONDS), "the sequencer filled the gap");
                assertEquals(Sequencer.GAP_TYPE, LedgerEntry.parse(store.content(10).orElseThrow()).type());
                assertEquals(Optional.empty(), store.content(11),
                        "the gap filler took index 11, so the healthy append holding it fails");
                LedgerEntry late = entry(11);
                LedgerEntry.Encoded encoded = late.encode();
                assertTrue(store.fillGap(11, new PendingEntry(encoded.leafData(), encoded.content())),
                        "the append in flight commits its index");
            } finally {
                observed.release.countDown();
            }
            await("everything is integrated", () -> log.treeHead().size() == 12);
        }
        VerificationReport report = new LedgerVerifier(store, key.verifier(), n -> {}).verify();
        assertTrue(report.ok(), () -> report.problems().toString());
    }

    /**
     * The store, letting the test see the sequencer's first look at the index space ({@code gapSeen})
     * and stopping it at the start of the round after its first gap filling ({@code parked}) until
     * {@code release}. A plain delegate: no mocking library.
     */
    private static final class ObservedStore implements LogStore {
        final CountDownLatch gapSeen = new CountDownLatch(1);
        final CountDownLatch parked = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final AtomicBoolean filled = new AtomicBoolean();
        private final LogStore store;

        ObservedStore(LogStore store) {
            this.store = store;
        }

        @Override
        public long appendedSize() {
            long size = store.appendedSize();
            gapSeen.countDown();
            return size;
        }

        @Override
        public boolean fillGap(long index, PendingEntry entry) {
            boolean stored = store.fillGap(index, entry);
            filled.set(true);
            return stored;
        }

        @Override
        public List<byte[]> readLeaves(long from, int max) {
            if (filled.get()) {
                parked.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return store.readLeaves(from, max);
        }

        @Override
        public void bindIdentity(String origin, String verifierKey) {
            store.bindIdentity(origin, verifierKey);
        }

        @Override
        public long[] appendBatch(List<PendingEntry> batch) {
            return store.appendBatch(batch);
        }

        @Override
        public long nextStoredIndex(long from) {
            return store.nextStoredIndex(from);
        }

        @Override
        public long newestIndexOlderThan(long from, Duration age) {
            return store.newestIndexOlderThan(from, age);
        }

        @Override
        public List<Long> missingIndexes(long from, long to, int max) {
            return store.missingIndexes(from, to, max);
        }

        @Override
        public TreeHead treeHead() {
            return store.treeHead();
        }

        @Override
        public void integrate(Integration integration, String signedCheckpoint) {
            store.integrate(integration, signedCheckpoint);
        }

        @Override
        public Optional<PublishedCheckpoint> latestCheckpoint() {
            return store.latestCheckpoint();
        }

        @Override
        public Optional<PublishedCheckpoint> checkpoint(long size) {
            return store.checkpoint(size);
        }

        @Override
        public void addCosignature(long size, String witness, String signatureLine) {
            store.addCosignature(size, witness, signatureLine);
        }

        @Override
        public Optional<StoredCosignature> latestCosignature(String witness) {
            return store.latestCosignature(witness);
        }

        @Override
        public List<CheckpointSample> checkpointSamples(int points) {
            return store.checkpointSamples(points);
        }

        @Override
        public TileReader tiles() {
            return store.tiles();
        }

        @Override
        public Optional<SequencerLease> tryAcquireSequencerLease() {
            return store.tryAcquireSequencerLease();
        }
    }
}
