package org.custodian.core.statistics;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The public statistics as published: every count already through {@link SmallNumbers} and {@link Tabulation},
 * with the words to show. Nothing in here identifies a patient: rows are keyed by month, purpose, sector,
 * organisation, reason or purpose group, and no count is below 8.
 *
 * @param entriesCounted the ledger entries counted: every entry with an index below this
 * @param checkpointAt when the checkpoint of exactly that many entries was signed, if there is one (the figures
 *     are then "as of" that checkpoint)
 * @param treeSize the integrated tree's size when read (the figures lag it by at most a pass of the counter)
 * @param readAt when the figures were read (the consent figures are the state at that moment)
 * @param tables the headline totals first, then each breakdown
 */
public record PublishedStatistics(long entriesCounted, Optional<Instant> checkpointAt, long treeSize, Instant readAt, List<Table> tables) {
    public PublishedStatistics {
        requireNonNull(checkpointAt, "checkpointAt is null");
        requireNonNull(readAt, "readAt is null");
        tables = List.copyOf(tables);
    }

    /** The table with this id. */
    public Table table(String id) {
        return tables.stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException("no table " + id));
    }

    /**
     * One published table.
     *
     * @param id stable, for machines: {@code accesses-by-month}
     * @param keyName what a row's key is: {@code month}, {@code purpose}, ...
     * @param note how to read it (e.g. that a refusal can give several reasons), or ""
     * @param rates the rows carry a rate (opt-outs)
     */
    public record Table(String id, String title, String keyName, String keyHeading, String note, boolean rates, List<Row> rows) {
        public Table {
            requireNonNull(id, "id is null");
            requireNonNull(title, "title is null");
            requireNonNull(keyName, "keyName is null");
            requireNonNull(keyHeading, "keyHeading is null");
            requireNonNull(note, "note is null");
            rows = List.copyOf(rows);
        }

        /** The largest published count, for scaling a chart (0 when none). */
        public long largest() {
            return rows.stream().mapToLong(r -> r.count().orElse(0)).max().orElse(0);
        }
    }

    /**
     * One published row.
     *
     * @param key the machine key: {@code 2026-05}, {@code TREAT}, an organisation's id, a reason code
     * @param label in words: {@code May 2026}, {@code treatment}, the organisation's name, the reason's text
     * @param group what the row adds up within, in words ({@code NHS care provider} for an organisation), or ""
     * @param count the published count; empty when redacted
     * @param rate for opt-outs, the published count over the published patients, e.g. {@code 12.5%}; empty when
     *     either is redacted or there are no patients
     */
    public record Row(String key, String label, String group, OptionalLong count, Optional<String> rate) {
        public Row {
            requireNonNull(key, "key is null");
            requireNonNull(label, "label is null");
            requireNonNull(group, "group is null");
            requireNonNull(count, "count is null");
            requireNonNull(rate, "rate is null");
        }

        public boolean redacted() {
            return count.isEmpty();
        }

        /** The JSON's {@code count}: the published number, or null when redacted. */
        public Long countOrNull() {
            return count.isPresent() ? count.getAsLong() : null;
        }
    }
}
