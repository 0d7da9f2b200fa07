package org.custodian.core.decisions;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.merkle.Hashes;

/**
 * The gate as every data path uses it: decide, then append the decision (permit or deny) to the
 * ledger and wait until it is durable, and only then answer. If the append fails or times out, the
 * answer is {@link DecisionNotRecordedException}: no data leaves (invariant 1).
 */
public final class RecordingGate {
    private static final long APPEND_TIMEOUT_SECONDS = 10;

    private final Gate gate;
    private final TransparencyLog log;
    private final BreakGlassReviews reviews;
    private final Clock clock;

    public RecordingGate(Gate gate, TransparencyLog log, BreakGlassReviews reviews, Clock clock) {
        this.gate = requireNonNull(gate, "gate is null");
        this.log = requireNonNull(log, "log is null");
        this.reviews = requireNonNull(reviews, "reviews is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public RecordedDecision decide(AccessRequest request) {
        // 1. Decide in memory.
        Ruling ruling = gate.decide(request);
        // 2. Record durably before anything is returned.
        LedgerEntry entry = DecisionEntry.of(ruling, clock.instant());
        LedgerEntry.Encoded encoded = entry.encode(); // once: for the append and for the receipt's leaf hash
        long index;
        try {
            index = log.append(encoded).get(APPEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DecisionNotRecordedException(ruling, e);
        } catch (ExecutionException e) {
            throw new DecisionNotRecordedException(ruling, e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            throw new DecisionNotRecordedException(ruling, e);
        }
        // 3. A break-glass access is queued for its Caldicott Guardian before the data goes.
        if (ruling.decision().breakGlass()) {
            try {
                reviews.queue(index, request, entry.time());
            } catch (RuntimeException e) {
                throw new DecisionNotRecordedException(ruling, e);
            }
        }
        return new RecordedDecision(ruling, index, Hashes.leafHash(encoded.leafData()));
    }

    public Gate gate() {
        return gate;
    }
}
