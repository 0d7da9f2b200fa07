package org.custodian.core.decisions;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
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
        Pending p = start(request);
        long index;
        try {
            index = p.appended().get(APPEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DecisionNotRecordedException(p.ruling(), e);
        } catch (ExecutionException e) {
            throw new DecisionNotRecordedException(p.ruling(), e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            throw new DecisionNotRecordedException(p.ruling(), e);
        }
        return finish(p, index);
    }

    /**
     * As {@link #decide}, without holding the calling thread while the ledger makes the entry durable:
     * the future completes on {@code continueOn} (never on the ledger's own threads) with the recorded
     * decision, or exceptionally with {@link DecisionNotRecordedException}, which MUST be answered as a
     * denial with no data.
     */
    public CompletableFuture<RecordedDecision> decideAsync(AccessRequest request, Executor continueOn) {
        Pending p;
        try {
            p = start(request);
        } catch (DecisionNotRecordedException e) {
            return CompletableFuture.failedFuture(e);
        }
        return p.appended().orTimeout(APPEND_TIMEOUT_SECONDS, TimeUnit.SECONDS).handleAsync((index, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                throw new DecisionNotRecordedException(p.ruling(), cause);
            }
            return finish(p, index);
        }, continueOn);
    }

    /** A decision on its way into the ledger. */
    private record Pending(AccessRequest request, Ruling ruling, LedgerEntry entry, LedgerEntry.Encoded encoded, CompletableFuture<Long> appended) {}

    private Pending start(AccessRequest request) {
        // 1. Decide in memory.
        Ruling ruling = gate.decide(request);
        // 2. Record durably before anything is returned.
        LedgerEntry entry = DecisionEntry.of(ruling, clock.instant());
        LedgerEntry.Encoded encoded = entry.encode(); // once: for the append and for the receipt's leaf hash
        try {
            return new Pending(request, ruling, entry, encoded, log.append(encoded));
        } catch (RuntimeException e) {
            throw new DecisionNotRecordedException(ruling, e);
        }
    }

    private RecordedDecision finish(Pending p, long index) {
        // 3. A break-glass access is queued for its Caldicott Guardian before the data goes.
        if (p.ruling().decision().breakGlass()) {
            try {
                reviews.queue(index, p.request(), p.entry().time());
            } catch (RuntimeException e) {
                throw new DecisionNotRecordedException(p.ruling(), e);
            }
        }
        return new RecordedDecision(p.ruling(), index, Hashes.leafHash(p.encoded().leafData()));
    }

    public Gate gate() {
        return gate;
    }
}
