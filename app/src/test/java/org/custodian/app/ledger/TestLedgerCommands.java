package org.custodian.app.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.custodian.app.Cli;
import org.custodian.app.Cli.Result;
import org.custodian.app.cli.LogKeys;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.LogConfig;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custodian ledger key} (and a quick {@code ledger verify}) as an administrator runs them. */
class TestLedgerCommands {
    // golang.org/x/mod/sumdb/note, note.go documentation: its base64 holds a '+', as key names cannot.
    private static final String PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private static final String PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

    @TempDir
    Path dir;

    private static Result run(String... args) {
        return Cli.run(args).showsNoJavaInternals();
    }

    private Path keyFile(String text, String permissions) throws IOException {
        Path keys = Files.createDirectories(dir.resolve("data").resolve("keys"));
        Path file = keys.resolve(LogKeys.FILE);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    @Test
    void keyWithoutAKeyFailsSayingWhereTheKeyComesFrom() throws IOException {
        for (Path data : List.of(dir.resolve("missing"), Files.createDirectories(dir.resolve("empty")))) {
            Result r = run("ledger", "key", "--data", data.toString()).exits(1);
            assertEquals("custodian: there is no log key in " + data.resolve("keys")
                    + " (it is created by 'custodian serve' or 'custodian demo')\n", r.err());
            assertEquals("", r.out());
        }
        assertTrue(Files.notExists(dir.resolve("missing")), "printing the key never creates one");
        assertTrue(Files.notExists(dir.resolve("empty").resolve("keys")), "printing the key never creates one");
    }

    @Test
    void keyPrintsTheVerifierKeyOfTheLogKeyTheServerCreated() {
        Path data = dir.resolve("data");
        NoteSigner signer = LogKeys.loadOrCreate(data.resolve("keys"), "ledger.test/custodian/log");
        Result r = run("ledger", "key", "--data", data.toString()).exits(0);
        assertEquals(signer.verifierKeyText() + "\n", r.out());
        assertEquals("", r.err());
        // A default-named key too (host/custodian/hex).
        Path other = dir.resolve("other");
        NoteSigner generated = LogKeys.loadOrCreate(other.resolve("keys"), null);
        assertEquals(generated.verifierKeyText() + "\n", run("ledger", "key", "--data", other.toString()).exits(0).out());
    }

    @Test
    void keyPrintsAVerifierKeyThatChecksTheLogsNotes() throws IOException {
        // The published sumdb/note key pair: the verifier key printed must be the published one, and
        // the published note signed by it must verify with what was printed.
        keyFile(PETER_SKEY + "\n", "rw-------");
        Result r = run("ledger", "key", "--data", dir.resolve("data").toString()).exits(0);
        assertEquals(PETER_VKEY + "\n", r.out());
        Path note = Files.writeString(dir.resolve("peter.note"),
                "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n\n"
                        + "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
                StandardCharsets.UTF_8);
        run("tlog", "verify-note", "--key", r.out().trim(), note.toString()).exits(0);
    }

    @Test
    void keyRefusesAKeyFileOthersCanReadOrThatIsMalformed() throws IOException {
        Path file = keyFile(PETER_SKEY + "\n", "rw-r--r--");
        Result open = run("ledger", "key", "--data", dir.resolve("data").toString()).exits(1);
        assertTrue(open.err().startsWith("custodian: cannot use the log key " + file), open::toString);
        assertTrue(open.err().contains("chmod 600"), open::toString);
        assertEquals("", open.out());

        for (String bad : new String[] {"", "garbage\n", "PRIVATE+KEY+PeterNeumann\n", PETER_VKEY + "\n",
            PETER_SKEY.replace("AYEK", "AYEL") + "\n", PETER_SKEY + "\n" + PETER_SKEY + "\n"}) {
            keyFile(bad, "rw-------");
            Result r = run("ledger", "key", "--data", dir.resolve("data").toString());
            assertEquals(1, r.exitCode(), () -> "key file '" + bad + "'; " + r);
            assertTrue(r.err().startsWith("custodian: cannot use the log key " + file + ": "), r::toString);
            assertTrue(!r.err().contains("AYEKFALV"), "private key material is never printed");
            assertEquals("", r.out());
        }
    }

    @Test
    void helpOfTheLedgerCommandsExitsZero() {
        for (String[] command : new String[][] {{"ledger"}, {"ledger", "key"}, {"ledger", "verify"}}) {
            List<String> args = new java.util.ArrayList<>(List.of(command));
            args.add("--help");
            Result r = run(args.toArray(String[]::new)).exits(0);
            assertTrue(r.out().startsWith("Usage: custodian " + String.join(" ", command)), r::toString);
        }
        Result unknown = run("ledger", "key", "--frobnicate").exits(2);
        assertTrue(unknown.err().contains("Unknown option: '--frobnicate'"), unknown::toString);
    }

    @Test
    void verifyOfAnExternalDatabaseSucceedsAndReportsTampering() throws Exception {
        try (PostgresForTests postgres = PostgresForTests.start(dir.resolve("pg"))) {
            HikariDataSource database = postgres.newDatabase();
            NoteSigner signer = NoteSigner.generate("verify.test/log");
            try (TransparencyLog log = TransparencyLog.open(new PostgresLogStore(database), signer,
                    new LogConfig(signer.name(), Duration.ofMillis(50), 512, 4096, true))) {
                for (int i = 0; i < 20; i++) {
                    log.appendAndWait(LedgerEntry.create("test.entry", 1, Instant.now(), Map.of("n", (long) i)));
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (log.latestCheckpoint().map(c -> c.size() < 20).orElse(true) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            }
            String url = database.getJdbcUrl();
            Path noKeys = dir.resolve("no-keys");
            Result ok = run("ledger", "verify", "--data", noKeys.toString(), "--db-url", url, "--key", signer.verifierKeyText()).exits(0);
            assertTrue(ok.out().contains("OK: every entry, tile and checkpoint verifies."), ok::toString);

            PostgresForTests.sql(database,
                    "UPDATE ledger_entries SET content = (SELECT content FROM ledger_entries WHERE idx = 6) WHERE idx = 5");
            Result tampered = run("ledger", "verify", "--data", noKeys.toString(), "--db-url", url, "--key", signer.verifierKeyText()).exits(1);
            assertTrue(tampered.out().contains("FAILED: "), tampered::toString);
            assertTrue(tampered.out().contains("  entry 5: its content does not match its envelope"), tampered::toString);

            Result wrongKey = run("ledger", "verify", "--data", noKeys.toString(), "--db-url", url,
                    "--key", NoteSigner.generate("verify.test/log").verifierKeyText());
            assertEquals(1, wrongKey.exitCode(), wrongKey::toString);
            assertTrue(wrongKey.out().contains("does not verify with the log's key"), wrongKey::toString);
        }
    }
}
