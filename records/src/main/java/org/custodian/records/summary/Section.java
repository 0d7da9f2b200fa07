package org.custodian.records.summary;

import java.util.List;

/**
 * One section of a summary, in the order to show it.
 *
 * @param items what is shown, at most the section's limit
 * @param more whether the record holds more than is shown (only the most recent were kept), so that a
 *     page can say "your most recent 20" and link to the rest
 */
public record Section<T extends SummaryItem>(List<T> items, boolean more) {
    public Section {
        items = List.copyOf(items);
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }
}
