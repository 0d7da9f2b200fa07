package org.custodian.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.LogConfig;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.postgres.PostgresPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ledger verify}'s engine against every kind of tampering with what is stored: each must be
 * reported, naming the entry index where there is one.
 */
class TestLedgerVerifier {
    private static final String ORIGIN = "verify.test/log";
    private static final int ENTRIES = 600; // more than two full level-0 tiles

    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    record Ledger(DataSource ds, NoteSigner key) {
        VerificationReport verify() {
            return new LedgerVerifier(new PostgresLogStore(ds), key.verifier(), n -> {}).verify();
        }

        void sql(String sql) {
            PostgresForTests.sql(ds, sql);
        }
    }

    static Ledger build() throws InterruptedException {
        DataSource ds = postgres.newDatabase();
        NoteSigner key = NoteSigner.generate(ORIGIN);
        try (TransparencyLog log = TransparencyLog.open(new PostgresLogStore(ds), key,
                new LogConfig(ORIGIN, Duration.ofMillis(50), 256, 4096, true))) {
            for (int i = 0; i < ENTRIES; i++) {
                log.appendAndWait(LedgerEntry.create("test.entry", 1, Instant.now(), Map.of("n", (long) i)));
                if (i == 100 || i == 300) {
                    long target = i + 1;
                    while (log.treeHead().size() < target) {
                        Thread.sleep(10); // make checkpoints at several sizes
                    }
                }
            }
            while (log.treeHead().size() < ENTRIES) {
                Thread.sleep(10);
            }
        }
        return new Ledger(ds, key);
    }

    @Test
    void anUntouchedLedgerVerifies() throws Exception {
        Ledger ledger = build();
        VerificationReport report = ledger.verify();
        assertTrue(report.ok(), () -> report.problems().toString());
        assertEquals(ENTRIES, report.entries());
        assertEquals(ENTRIES, report.treeSize());
        assertTrue(report.checkpoints() >= 3, "checkpoints at several sizes were checked");
    }

    @Test
    void erasedContentsStillVerify() throws Exception {
        Ledger ledger = build();
        PostgresLogStore store = new PostgresLogStore(ledger.ds());
        assertTrue(store.eraseContent(3));
        assertTrue(store.eraseContent(400));
        VerificationReport report = ledger.verify();
        assertTrue(report.ok(), () -> report.problems().toString());
        assertEquals(2, report.erasedContents());
    }

    static Stream<Arguments> tampering() {
        return Stream.of(
                Arguments.of("content changed", 5L, (Consumer<Ledger>) l -> l.sql(
                        "UPDATE ledger_entries SET content = (SELECT content FROM ledger_entries WHERE idx = 6) WHERE idx = 5")),
                Arguments.of("envelope changed", 7L, (Consumer<Ledger>) l -> l.sql(
                        "UPDATE ledger_entries SET leaf = (SELECT leaf FROM ledger_entries WHERE idx = 8),"
                                + " content = (SELECT content FROM ledger_entries WHERE idx = 8) WHERE idx = 7")),
                Arguments.of("entry deleted", 9L, (Consumer<Ledger>) l -> l.sql("DELETE FROM ledger_entries WHERE idx = 9")),
                Arguments.of("last entry deleted", (long) ENTRIES - 1, (Consumer<Ledger>) l -> l.sql(
                        "DELETE FROM ledger_entries WHERE idx = " + (ENTRIES - 1))),
                Arguments.of("entry inserted", (long) ENTRIES, (Consumer<Ledger>) l -> l.sql(
                        "INSERT INTO ledger_entries (idx, leaf, content) SELECT " + ENTRIES + ", leaf, content FROM ledger_entries WHERE idx = 0")),
                Arguments.of("entries reordered", 11L, (Consumer<Ledger>) l -> {
                    l.sql("UPDATE ledger_entries SET idx = 1000000 WHERE idx = 10");
                    l.sql("UPDATE ledger_entries SET idx = 10 WHERE idx = 11");
                    l.sql("UPDATE ledger_entries SET idx = 11 WHERE idx = 1000000");
                }),
                Arguments.of("leaf hash in a tile changed", 260L, (Consumer<Ledger>) l -> l.sql(
                        "UPDATE ledger_tiles SET hashes = overlay(hashes placing '\\xff'::bytea from " + (4 * 32 + 1) + ")"
                                + " WHERE level = 0 AND idx = 1")),
                Arguments.of("upper tile hash changed", -1L, (Consumer<Ledger>) l -> l.sql(
                        "UPDATE ledger_tiles SET hashes = overlay(hashes placing '\\x00'::bytea from 1) WHERE level = 1 AND idx = 0")),
                Arguments.of("checkpoint root changed", -1L, (Consumer<Ledger>) l -> l.sql(
                        "UPDATE ledger_checkpoints SET root = (SELECT root FROM ledger_checkpoints ORDER BY size LIMIT 1)"
                                + " WHERE size = (SELECT max(size) FROM ledger_checkpoints)")),
                Arguments.of("checkpoint note forged", -1L, (Consumer<Ledger>) l -> l.sql(
                        "UPDATE ledger_checkpoints SET note = replace(note, '" + ENTRIES + "\n', '" + (ENTRIES + 1) + "\n')"
                                + " WHERE size = " + ENTRIES)),
                Arguments.of("entry and its tile rewritten consistently", -1L, (Consumer<Ledger>) l -> {
                    // The attacker recomputes level-0 tile 0 after swapping entries 0 and 1; the signed
                    // checkpoints still give it away.
                    l.sql("UPDATE ledger_entries SET idx = 1000000 WHERE idx = 0");
                    l.sql("UPDATE ledger_entries SET idx = 0 WHERE idx = 1");
                    l.sql("UPDATE ledger_entries SET idx = 1 WHERE idx = 1000000");
                    l.sql("UPDATE ledger_tiles SET hashes = substring(hashes from 33 for 32) || substring(hashes from 1 for 32)"
                            + " || substring(hashes from 65) WHERE level = 0 AND idx = 0");
                }));
    }

    @ParameterizedTest(name = "{0} is reported")
    @MethodSource("tampering")
    void tamperingIsReported(String what, long index, Consumer<Ledger> tamper) throws Exception {
        Ledger ledger = build();
        assertTrue(ledger.verify().ok(), "verifies before tampering");
        tamper.accept(ledger);
        VerificationReport report = ledger.verify();
        assertFalse(report.ok(), what + " must be detected");
        if (index >= 0) {
            List<Long> indexes = report.problems().stream().map(VerificationReport.Problem::index).toList();
            assertTrue(indexes.contains(index), what + ": the report names entry " + index + ": " + report.problems());
        }
    }
}
