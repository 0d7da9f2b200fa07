package org.custodian.core.activity;

import java.util.List;
import java.util.OptionalLong;

/**
 * One page of a patient's entries, newest first.
 *
 * @param entries at most the page size
 * @param nextBefore the cursor for the next (older) page, if there is one: entries with smaller indexes
 */
public record ActivityPage(List<ActivityEntry> entries, OptionalLong nextBefore) {
    public ActivityPage {
        entries = List.copyOf(entries);
    }
}
