package org.custodian.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.records.fhir.FhirJson;
import org.custodian.records.store.CoalescedReads;
import org.custodian.records.store.RecordsUnavailableException;
import org.custodian.records.store.StoredVersion;
import org.custodian.records.store.WriteOutcome;
import java.time.Duration;
import org.custodian.ledger.testing.Eventually;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads of single resources that share statements under load ({@link CoalescedReads}, behind {@code GET
 * /fhir/Type/id}): every caller gets exactly what the store holds for what it asked, whatever else shared its
 * statement (other resources, the same one, resources that do not exist); a read after an acknowledged write sees it;
 * and when the database is down or the reads are closed, every caller gets a clear failure and none waits forever.
 * The same for the snapshot a search pages by and the patients' NHS-number links the gate needs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestCoalescedReads {
    @TempDir
    static Path dir;
    static PostgresForTests postgres;
    static RecordsWorld world;
    static final List<String> references = new ArrayList<>();

    @BeforeAll
    static void start() {
        postgres = PostgresForTests.start(dir.resolve("pg"));
        world = new RecordsWorld(postgres);
        for (int i = 0; i < 30; i++) {
            WriteOutcome o = world.writer.create(RecordsWorld.operator(), FhirJson.parse(
                    "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Reader" + i + "\"}]}"), null).outcomes().get(0);
            references.add(o.type() + "/" + o.id());
        }
        WriteOutcome org = world.writer.create(RecordsWorld.operator(), FhirJson.parse(
                "{\"resourceType\":\"Organization\",\"name\":\"Northfield General\"}"), null).outcomes().get(0);
        references.add(org.type() + "/" + org.id());
        WriteOutcome ada = world.writer.create(RecordsWorld.operator(), FhirJson.parse(TestWrites.patientJson(RecordsWorld.ADA.value())), null)
                .outcomes().get(0);
        references.add(ada.type() + "/" + ada.id());
        references.add("Patient/no-such-patient");
        references.add("Observation/" + references.get(0).substring("Patient/".length())); // an id that exists, as another type
    }

    @AfterAll
    static void stop() {
        world.close();
        postgres.close();
    }

    private static Optional<StoredVersion> direct(String reference) {
        int slash = reference.indexOf('/');
        return world.store.read(reference.substring(0, slash), reference.substring(slash + 1));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void everyCallerGetsWhatTheStoreHoldsForWhatItAskedWhateverSharedItsStatement(long seed) throws Exception {
        try (CoalescedReads reads = CoalescedReads.start(world.store, 1)) {
            int threads = 16;
            int each = 150;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Integer>> done = new ArrayList<>();
                SplittableRandom seeds = new SplittableRandom(seed);
                for (int t = 0; t < threads; t++) {
                    SplittableRandom random = seeds.split();
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < each; i++) {
                            String reference = references.get(random.nextInt(references.size()));
                            int slash = reference.indexOf('/');
                            Optional<StoredVersion> got = reads.read(reference.substring(0, slash), reference.substring(slash + 1));
                            Optional<StoredVersion> expected = direct(reference);
                            assertEquals(expected.isPresent(), got.isPresent(), reference);
                            if (got.isPresent()) {
                                assertEquals(reference, got.get().reference());
                                assertEquals(expected.get(), got.get(), reference);
                            }
                        }
                        return each;
                    }));
                }
                int total = 0;
                for (Future<Integer> f : done) {
                    total += f.get(60, TimeUnit.SECONDS);
                }
                assertEquals(threads * each, total);
                assertTrue(reads.statements() < total,
                        "16 callers at once against one reader share statements: " + reads.statements() + " statements for " + total + " reads");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void patientLinksAreTheStoresWhateverSharedTheirStatement() throws Exception {
        List<String> patients = new ArrayList<>();
        for (String r : references) {
            if (r.startsWith("Patient/")) {
                patients.add(r.substring("Patient/".length()));
            }
        }
        patients.add("no-such-patient");
        try (CoalescedReads reads = CoalescedReads.start(world.store, 1)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> done = new ArrayList<>();
                SplittableRandom seeds = new SplittableRandom(7);
                for (int t = 0; t < 8; t++) {
                    SplittableRandom random = seeds.split();
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < 50; i++) {
                            List<String> asked = new ArrayList<>();
                            for (int k = 1 + random.nextInt(4); k > 0; k--) {
                                asked.add(patients.get(random.nextInt(patients.size())));
                            }
                            assertEquals(world.store.patientLinks(asked), reads.patientLinks(asked), asked.toString());
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            String ada = references.get(references.indexOf("Patient/no-such-patient") - 1).substring("Patient/".length());
            assertEquals(Optional.of(RecordsWorld.ADA), reads.patientLinks(List.of(ada)).get(ada), "Ada's Patient is linked to her NHS number");
            assertTrue(reads.patientLinks(List.of("no-such-patient")).isEmpty(), "a patient that does not exist is left out");
        }
    }

    @Test
    void aSnapshotIsTakenAfterItWasAskedFor() {
        try (CoalescedReads reads = CoalescedReads.start(world.store, 2)) {
            WriteOutcome o = world.writer.create(RecordsWorld.operator(), FhirJson.parse(
                    "{\"resourceType\":\"Organization\",\"name\":\"Snapshot Clinic\"}"), null).outcomes().get(0);
            long vid = world.store.readCurrent(List.of(o.type() + "/" + o.id())).get(o.type() + "/" + o.id()).vid();
            assertTrue(reads.snapshot() >= vid, "a snapshot taken after the write covers its version");
            assertEquals(world.store.snapshot(), reads.snapshot(), "nothing written since");
        }
    }

    @Test
    void aReadAfterAnAcknowledgedWriteSeesIt() {
        try (CoalescedReads reads = CoalescedReads.start(world.store, 2)) {
            String id = references.get(3).substring("Patient/".length());
            int before = reads.read("Patient", id).orElseThrow().version();
            world.writer.update(RecordsWorld.operator(), "Patient", id, FhirJson.parse(
                    "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"name\":[{\"family\":\"Renamed" + before + "\"}]}"), before);
            StoredVersion after = reads.read("Patient", id).orElseThrow();
            assertEquals(before + 1, after.version());
            assertTrue(after.content().contains("Renamed" + before), after.content());
        }
    }

    /** Last: stopping the server leaves the shared pool's connections broken, which the other tests need not meet. */
    @Test
    @Order(Integer.MAX_VALUE)
    void whenTheDatabaseIsDownEachReadFailsClearlyAndReadsWorkAgainWhenItIsBack() throws Exception {
        try (CoalescedReads reads = CoalescedReads.start(world.store, 2)) {
            String id = references.get(5).substring("Patient/".length());
            assertTrue(reads.read("Patient", id).isPresent());
            postgres.stopServer();
            try {
                RecordsUnavailableException e = assertThrows(RecordsUnavailableException.class, () -> reads.read("Patient", id));
                assertTrue(e.getMessage().contains("unavailable"), e.getMessage());
            } finally {
                postgres.startServer();
            }
            // The pool's connections from before the outage fail once each as they are met; the readers carry on.
            Eventually.await("reads work again once the database is back", Duration.ofSeconds(30), () -> {
                try {
                    return reads.read("Patient", id).isPresent();
                } catch (RecordsUnavailableException stale) {
                    return false;
                }
            });
        }
    }

    @Test
    void aMalformedReferenceFailsItsOwnReadAndNoOneElses() {
        try (CoalescedReads reads = CoalescedReads.start(world.store, 1)) {
            assertThrows(IllegalArgumentException.class, () -> reads.read("", "x"));
            assertThrows(IllegalArgumentException.class, () -> reads.readCurrent(List.of(references.get(0), "no-type-here")));
            long before = reads.statements();
            assertTrue(reads.read("Patient", references.get(0).substring("Patient/".length())).isPresent());
            assertEquals(before + 1, reads.statements(), "the malformed references never reached a statement");
        }
    }

    @Test
    void afterCloseAReadFailsAtOnce() {
        CoalescedReads reads = CoalescedReads.start(world.store, 1);
        reads.close();
        RecordsUnavailableException e = assertThrows(RecordsUnavailableException.class,
                () -> reads.read("Patient", references.get(0).substring("Patient/".length())));
        assertTrue(e.getMessage().contains("shutting down"), e.getMessage());
    }
}
