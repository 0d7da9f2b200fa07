package org.custodian.core.activity;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * One entry about a patient in plain words: what the patient's pages list and their letters print.
 *
 * @param index the ledger index (the entry's receipt)
 * @param at when it was recorded
 * @param headline what happened, in a few words ("Read your record", "Your choices were changed")
 * @param organisation the organisation's name, or "" when none was involved
 * @param sector the organisation's sector in words, or ""
 * @param who the person and their role ("Dr Patel, clinician"), or ""
 * @param purpose why, in plain words, or ""
 * @param data what data, in plain words, or ""
 * @param outcome "Allowed", "Refused" or "" (not a decision)
 * @param reasons why it was allowed or refused, one sentence each
 * @param project the project or agreement it was made under, or ""
 * @param breakGlass an emergency access without a care relationship (the pages make it stand out)
 * @param erased the details were erased after the retention period
 */
public record DescribedUse(long index, Instant at, String headline, String organisation, String sector, String who, String purpose,
        String data, String outcome, List<String> reasons, String project, boolean breakGlass, boolean erased) {
    public DescribedUse {
        requireNonNull(at, "at is null");
        requireNonNull(headline, "headline is null");
        reasons = List.copyOf(reasons);
    }

    public boolean refused() {
        return "Refused".equals(outcome);
    }
}
