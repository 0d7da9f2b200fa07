package org.custodian.records.summary;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import org.custodian.records.index.FhirDates;

/**
 * A date from the record, kept at the precision it was written with: FHIR allows "2019", "2019-04" and
 * "2019-04-03" as well as full times, and a page must not claim a day the record does not know.
 *
 * @param fhir the value as the record has it
 * @param day the day as written (for a year or a month, its first day): a time's own date, not moved to
 *     another time zone, because that is the day the person who wrote it meant
 * @param precision how much of {@code day} the record gives
 * @param instant the start of the range the value covers, as the store sorts by it ({@link FhirDates}: a
 *     value without a time zone is read as UTC)
 */
public record SummaryDate(String fhir, LocalDate day, Precision precision, Instant instant) {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.UK);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM uuuu", Locale.UK);
    private static final DateTimeFormatter YEAR = DateTimeFormatter.ofPattern("uuuu", Locale.UK);

    /** How much of a date the record gives. Times are shown to the day: a summary has no use for the minute. */
    public enum Precision {
        YEAR,
        MONTH,
        DAY
    }

    public SummaryDate {
        requireNonNull(fhir, "fhir is null");
        requireNonNull(day, "day is null");
        requireNonNull(precision, "precision is null");
        requireNonNull(instant, "instant is null");
    }

    /**
     * Reads a FHIR date, dateTime or instant.
     *
     * @return empty for null, blank or anything that is not one (never throws: a summary shows "Unknown")
     */
    public static Optional<SummaryDate> parse(String fhir) {
        if (fhir == null || fhir.isBlank()) {
            return Optional.empty();
        }
        try {
            Instant instant = FhirDates.parse(fhir).low();
            return switch (fhir.length()) {
                case 4 -> Optional.of(new SummaryDate(fhir, LocalDate.of(Integer.parseInt(fhir), 1, 1), Precision.YEAR, instant));
                case 7 -> Optional.of(new SummaryDate(fhir, YearMonth.parse(fhir).atDay(1), Precision.MONTH, instant));
                case 10 -> Optional.of(new SummaryDate(fhir, LocalDate.parse(fhir), Precision.DAY, instant));
                default -> Optional.of(new SummaryDate(fhir, dayOf(fhir), Precision.DAY, instant));
            };
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static LocalDate dayOf(String dateTime) {
        try {
            return OffsetDateTime.parse(dateTime).toLocalDate();
        } catch (DateTimeParseException e) {
            // FHIR requires a zone with a time, but FhirDates reads one without as UTC; so do we.
            return LocalDateTime.parse(dateTime).toLocalDate();
        }
    }

    /** "3 April 2019", "April 2019" or "2019". */
    public String words() {
        return switch (precision) {
            case YEAR -> YEAR.format(day);
            case MONTH -> MONTH.format(day);
            case DAY -> DAY.format(day);
        };
    }

    @Override
    public String toString() {
        return words();
    }
}
