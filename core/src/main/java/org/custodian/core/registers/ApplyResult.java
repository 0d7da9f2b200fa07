package org.custodian.core.registers;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link RegisterStore#apply} did: per register, how many items were added, updated or already
 * as stored; and the ledger index of each change's {@code register.change} entry, in the order the
 * changes were written (one per added or updated item).
 */
public record ApplyResult(Map<Register, Counts> counts, List<Long> ledgerIndexes) {

    public record Counts(int added, int updated, int unchanged) {
        public Counts {
            if (added < 0 || updated < 0 || unchanged < 0) {
                throw new IllegalArgumentException("counts cannot be negative");
            }
        }

        public int changed() {
            return added + updated;
        }
    }

    public ApplyResult {
        requireNonNull(counts, "counts is null");
        requireNonNull(ledgerIndexes, "ledgerIndexes is null");
        Map<Register, Counts> all = new EnumMap<>(Register.class);
        for (Register r : Register.values()) {
            all.put(r, counts.getOrDefault(r, new Counts(0, 0, 0)));
        }
        counts = Collections.unmodifiableMap(all);
        ledgerIndexes = List.copyOf(ledgerIndexes);
        int changed = all.values().stream().mapToInt(Counts::changed).sum();
        if (changed != ledgerIndexes.size()) {
            throw new IllegalArgumentException(changed + " changes but " + ledgerIndexes.size() + " ledger indexes");
        }
    }

    public Counts counts(Register register) {
        return counts.get(register);
    }

    /** Whether anything was written (and recorded in the ledger). */
    public boolean changedAnything() {
        return !ledgerIndexes.isEmpty();
    }
}
