package org.custodian.app.reliability;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.custodian.app.cli.LogKeys;
import org.custodian.app.database.Database;
import org.custodian.app.database.DatabaseOptions;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.LogConfig;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresLogStore;

/**
 * Run in a separate JVM by {@link TestCrashRecovery}: a server process that appends as fast as it can
 * until it is killed.
 *
 * <p>Opens the embedded database of {@code args[0]} the way {@code custodian serve} does (starting it, or
 * adopting the one a killed process left running), opens the log with a sequencer, prints {@code READY},
 * then appends from {@code args[1]} threads forever. On stdout, one line each, written whole and flushed:
 * <ul>
 *   <li>{@code ACK <index> <hex leaf hash>} once an append is acknowledged (durable);</li>
 *   <li>{@code CHECKPOINT <base64 of the signed note>} for each checkpoint this process publishes;</li>
 *   <li>{@code FAILED <exception>} when an append fails (its entry is not acknowledged); the thread
 *       pauses and goes on.</li>
 * </ul>
 */
public final class AppendingChild {
    static final String ORIGIN = "crash.test/log";

    private static final OutputStream OUT = new FileOutputStream(FileDescriptor.out);

    private AppendingChild() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        // No shutdown hook and no close: this process only ever ends by kill -9.
        Database db = Database.open(DatabaseOptions.embedded(dataDir).withShutdownHook(false)
                .withLog(line -> System.err.println("[child] " + line)));
        NoteSigner key = LogKeys.loadOrCreate(dataDir.resolve("keys"), ORIGIN);
        TransparencyLog log = TransparencyLog.open(new PostgresLogStore(db.dataSource()), key,
                new LogConfig(ORIGIN, Duration.ofMillis(100), 1024, 65_536, true));
        log.onCheckpoint(cp -> say("CHECKPOINT "
                + Base64.getEncoder().encodeToString(cp.note().getBytes(StandardCharsets.UTF_8))));
        say("READY");
        for (int t = 0; t < threads; t++) {
            int writer = t;
            Thread appender = new Thread(() -> append(log, writer), "appender-" + t);
            appender.start();
        }
    }

    private static void append(TransparencyLog log, int writer) {
        long n = 0;
        while (true) {
            LedgerEntry entry = LedgerEntry.create("crash.test", 1, Instant.now(),
                    Map.of("writer", (long) writer, "n", n++));
            try {
                long index = log.append(entry).get(60, TimeUnit.SECONDS);
                say("ACK " + index + " " + Hashes.hex(Hashes.leafHash(entry.envelope().leafData())));
            } catch (ExecutionException | TimeoutException e) {
                // Not acknowledged: the test expects nothing of the entry, but the database was up.
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                say("FAILED " + String.valueOf(cause).replaceAll("\\s+", " "));
                pause(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One line in one write: a kill can only cut it off at the end, never interleave it with another. */
    private static synchronized void say(String line) {
        try {
            OUT.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            OUT.flush();
        } catch (IOException e) {
            // The test stopped reading: nothing to report to.
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
