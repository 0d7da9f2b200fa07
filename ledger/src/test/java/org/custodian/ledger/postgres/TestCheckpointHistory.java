package org.custodian.ledger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.custodian.ledger.log.CheckpointSample;
import org.custodian.ledger.log.StoredCosignature;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.tiles.Integration;
import org.custodian.ledger.tiles.TileBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store's read side for the log's public page: a sample of the published checkpoints that hides
 * no growth larger than its step, and each witness's newest cosignature.
 */
class TestCheckpointHistory {
    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    /** Publishes a checkpoint at each size, in order, and returns the store. */
    private static PostgresLogStore storeWithCheckpointsAt(long... sizes) throws Exception {
        PostgresLogStore store = new PostgresLogStore(postgres.newDatabase());
        TileBuilder tree = TileBuilder.empty();
        long n = 0;
        for (long size : sizes) {
            List<byte[]> leaves = new ArrayList<>();
            for (; n < size; n++) {
                leaves.add(Hashes.leafHash(("entry " + n).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            Integration integration = tree.append(leaves);
            store.integrate(integration, "test/log\n" + size + "\nnot signed\n");
        }
        return store;
    }

    private static List<Long> sizes(List<CheckpointSample> samples) {
        return samples.stream().map(CheckpointSample::size).toList();
    }

    @Test
    void beforeTheFirstCheckpointThereIsNoSample() throws Exception {
        assertEquals(List.of(), storeWithCheckpointsAt().checkpointSamples(10));
    }

    @Test
    void everyCheckpointIsASampleWhenThereAreFewerThanPoints() throws Exception {
        assertEquals(List.of(1L, 3L, 7L), sizes(storeWithCheckpointsAt(1, 3, 7).checkpointSamples(24)));
    }

    @Test
    void theSampleHasTheFirstTheLatestOnePerStepBetweenAndTheOneBeforeTheLatest() throws Exception {
        long[] all = new long[100];
        for (int i = 0; i < all.length; i++) {
            all[i] = i + 1;
        }
        PostgresLogStore store = storeWithCheckpointsAt(all);
        assertEquals(List.of(1L, 25L, 50L, 75L, 99L, 100L), sizes(store.checkpointSamples(4)));
        assertEquals(List.of(1L, 99L, 100L), sizes(store.checkpointSamples(1)), "the one before the latest, for a consistency proof");
        List<CheckpointSample> samples = store.checkpointSamples(4);
        CheckpointSample latest = samples.get(samples.size() - 1);
        assertTrue(Arrays.equals(store.latestCheckpoint().orElseThrow().root(), latest.root()), "the latest sample is the latest checkpoint");
        for (int i = 1; i < samples.size(); i++) {
            assertTrue(!samples.get(i).publishedAt().isBefore(samples.get(i - 1).publishedAt()), "in time order");
        }
    }

    @Test
    void noCheckpointLeftOutIsMoreThanAStepAboveTheSampleBeforeIt() throws Exception {
        long[] sizes = {2, 3, 5, 9, 40, 41, 42, 90, 91, 200, 1000, 1001, 1500};
        PostgresLogStore store = storeWithCheckpointsAt(sizes);
        int points = 6;
        List<Long> sampled = sizes(store.checkpointSamples(points));
        assertEquals(2L, sampled.get(0));
        assertEquals(1500L, sampled.get(sampled.size() - 1));
        for (long size : sizes) {
            long before = sampled.stream().filter(s -> s <= size).mapToLong(Long::longValue).max().orElseThrow();
            assertTrue(size - before < 1500 / points + 1, size + " is " + (size - before) + " above the sample " + before + "; " + sampled);
        }
    }

    @Test
    void aWitnessesLatestCosignatureIsItsLargestCheckpoint() throws Exception {
        PostgresLogStore store = storeWithCheckpointsAt(1, 2, 3, 4);
        assertTrue(store.latestCosignature("w1").isEmpty());
        store.addCosignature(2, "w1", "— w1 line for 2\n");
        store.addCosignature(3, "w1", "— w1 line for 3\n");
        store.addCosignature(1, "w1", "— w1 line for 1\n");
        store.addCosignature(4, "w2", "— w2 line for 4\n");
        StoredCosignature w1 = store.latestCosignature("w1").orElseThrow();
        assertEquals(3, w1.size());
        assertEquals("— w1 line for 3\n", w1.line());
        assertEquals(4, store.latestCosignature("w2").orElseThrow().size());
        assertTrue(store.latestCosignature("w3").isEmpty());
    }

    @Test
    void theNewestCosignatureOfAWitnessIsFoundThroughItsIndex() throws Exception {
        PostgresLogStore store = storeWithCheckpointsAt(1);
        store.addCosignature(1, "w1", "— w1 line for 1\n");
        try (var ds = postgres.newDatabase(); var c = ds.getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("SELECT indexdef FROM pg_indexes WHERE indexname = 'ledger_cosignatures_by_witness'")) {
            assertTrue(rs.next(), "V13 creates the index");
            assertTrue(rs.getString(1).contains("(witness, size DESC)"), rs.getString(1));
        }
        assertEquals(1, store.latestCosignature("w1").orElseThrow().size());
    }
}
