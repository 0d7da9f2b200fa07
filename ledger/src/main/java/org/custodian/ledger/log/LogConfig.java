package org.custodian.ledger.log;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a log process runs. Validated here, immutable afterwards.
 *
 * @param origin             the checkpoint origin line (C2SP tlog-checkpoint), unique to this log
 * @param integrationInterval how often the sequencer integrates new entries and signs a checkpoint
 * @param writers            append transactions in flight at once (each a group-commit batch)
 * @param maxBatch           most entries written in one append transaction
 * @param queueCapacity      most appends waiting before new ones are refused as overload
 * @param sequencer          whether this process competes to be the sequencer (servers do; one-shot
 *                           administrator commands do not)
 */
public record LogConfig(String origin, Duration integrationInterval, int writers, int maxBatch, int queueCapacity, boolean sequencer) {

    public LogConfig {
        requireNonNull(origin, "origin is null");
        requireNonNull(integrationInterval, "integrationInterval is null");
        if (origin.isEmpty() || origin.contains("\n")) {
            throw new IllegalArgumentException("origin must be one non-empty line");
        }
        if (integrationInterval.isNegative() || integrationInterval.isZero()
                || integrationInterval.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("integration interval must be more than 0 and at most 1 s");
        }
        if (writers < 1 || writers > 64) {
            throw new IllegalArgumentException("writers must be 1..64");
        }
        if (maxBatch < 1 || maxBatch > 65_536) {
            throw new IllegalArgumentException("maxBatch must be 1..65536");
        }
        if (queueCapacity < maxBatch) {
            throw new IllegalArgumentException("queueCapacity must be at least maxBatch");
        }
    }

    /** A configuration with the default number of writers. */
    public LogConfig(String origin, Duration integrationInterval, int maxBatch, int queueCapacity, boolean sequencer) {
        this(origin, integrationInterval, DEFAULT_WRITERS, maxBatch, queueCapacity, sequencer);
    }

    /** Defaults for a server: checkpoints every 250 ms, append transactions of up to 4,096 entries. */
    public static LogConfig server(String origin) {
        return new LogConfig(origin, Duration.ofMillis(250), DEFAULT_WRITERS, 4096, 65_536, true);
    }

    /** Defaults for a short-lived command that reads or appends but never integrates. */
    public static LogConfig client(String origin) {
        return new LogConfig(origin, Duration.ofMillis(250), DEFAULT_WRITERS, 4096, 65_536, false);
    }

    /**
     * One append transaction in flight per two cores: measured on 2 cores, one writer (bigger
     * batches, fewer transactions) beat two, four and eight (docs/benchmarks.md); where appends are
     * CPU-bound, more writers only split the same work into smaller batches.
     */
    public static final int DEFAULT_WRITERS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
}
