package org.custodian.records.summary;

import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Type;

/**
 * How sections are ordered, in one place for both sides: {@link SummaryQueries} cuts each section in SQL
 * ("current first, then newest, then most recently written", by {@code sort_date} and {@code vid}), and
 * {@link RecordSummaries} orders what it is given the same way, so the lines shown are the lines the query
 * kept.
 */
final class Order {
    /** Condition clinical statuses counted as current ({@code clinical-status} codes). */
    static final Set<String> CURRENT_CONDITION = Set.of("active", "recurrence", "relapse");
    /** MedicationRequest statuses counted as current: taken now, or paused. */
    static final Set<String> CURRENT_MEDICINE = Set.of("active", "on-hold");
    /** AllergyIntolerance clinical statuses shown first. */
    static final Set<String> ACTIVE_ALLERGY = Set.of("active");

    private Order() {}

    /**
     * The date a principal date element gives, as the store's {@code sort_date} has it: a date, dateTime or
     * instant, or a period's start. A period with only an end has no date here (the store sorts it among
     * the oldest, this among the undated: both last).
     */
    static Optional<SummaryDate> dateOf(Type t) {
        if (t instanceof BaseDateTimeType d && d.hasValue()) {
            return SummaryDate.parse(d.getValueAsString());
        }
        if (t instanceof Period p && p.hasStart()) {
            return SummaryDate.parse(p.getStartElement().getValueAsString());
        }
        return Optional.empty();
    }

    /** A line with the vid of the version it was read from: the store's tie-break. */
    record Ranked<T extends SummaryItem>(T item, boolean first, long vid) {
        Instant instant() {
            return item.date().map(SummaryDate::instant).orElse(null);
        }
    }

    /** First lines first, then newest first (undated last), then the most recently written first. */
    static <T extends SummaryItem> Comparator<Ranked<T>> newestFirst() {
        Comparator<Ranked<T>> firsts = Comparator.comparing(r -> !r.first());
        Comparator<Ranked<T>> dates = Comparator.comparing(Ranked::instant, Comparator.nullsLast(Comparator.reverseOrder()));
        Comparator<Ranked<T>> vids = Comparator.comparingLong(r -> -r.vid());
        return firsts.thenComparing(dates).thenComparing(vids);
    }
}
