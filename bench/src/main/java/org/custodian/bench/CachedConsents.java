package org.custodian.bench;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.custodian.core.consent.ConsentChoices;
import org.custodian.core.consent.ConsentRecord;
import org.custodian.core.decisions.Gate;
import org.custodian.core.registers.NhsNumber;

/**
 * Patients' choices as {@code ConsentStore} serves them to the gate, without PostgreSQL: a
 * ConcurrentHashMap in front of the stored records, one map lookup per decision once warm, the
 * patient's entry dropped on every change (and a load that raced with a change not cached).
 * {@link #stored} stands in for the database.
 */
final class CachedConsents implements Gate.ConsentSource {
    private final Map<NhsNumber, ConsentRecord> stored = new ConcurrentHashMap<>();
    private final Map<NhsNumber, ConsentRecord> cache = new ConcurrentHashMap<>();
    // Bumped on every invalidation; a load that raced with one does not enter the cache.
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong loads = new AtomicLong();
    private final Clock clock;

    CachedConsents(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public ConsentRecord current(NhsNumber patient) {
        ConsentRecord cached = cache.get(patient);
        if (cached != null) {
            return cached;
        }
        long before = generation.get();
        ConsentRecord loaded = load(patient);
        if (generation.get() == before) {
            cache.putIfAbsent(patient, loaded);
        }
        return loaded;
    }

    /** Records a change, as the store commits one, and drops the cached copy before returning. */
    void record(NhsNumber patient, ConsentChoices choices) {
        int version = stored.getOrDefault(patient, ConsentRecord.none(patient)).version() + 1;
        stored.put(patient, new ConsentRecord(patient, choices, version, clock.instant(), "bench",
                ConsentRecord.Channel.PATIENT, version));
        generation.incrementAndGet();
        cache.remove(patient);
    }

    /** Reads from the stand-in for the database: how often the cache missed. */
    long loads() {
        return loads.get();
    }

    private ConsentRecord load(NhsNumber patient) {
        loads.incrementAndGet();
        return stored.getOrDefault(patient, ConsentRecord.none(patient));
    }
}
