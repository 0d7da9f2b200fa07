package org.custodian.records.index;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * FHIR dates as the instant ranges they cover, half-open {@code [low, high)}: "2021" covers the year,
 * "2021-04-03" the day, "2021-04-03T08:03:00+02:00" the second. A date without a time zone is read as
 * UTC (FHIR leaves it to the server; Custodian is one time zone's service, and UTC keeps stored values and
 * search values comparable). An open end is {@link #END_OF_TIME}.
 */
public final class FhirDates {
    /** What an open-ended period's end is stored as. */
    public static final Instant END_OF_TIME = Instant.parse("9999-12-31T00:00:00Z");
    /** What an open-started period's start is stored as. */
    public static final Instant START_OF_TIME = Instant.parse("0001-01-01T00:00:00Z");

    /** A range of instants, {@code low} inclusive, {@code high} exclusive. */
    public record Range(Instant low, Instant high) {
        public Range {
            if (high.isBefore(low)) {
                throw new IllegalArgumentException("a date range cannot end before it starts");
            }
        }
    }

    private FhirDates() {}

    /**
     * The range a FHIR date, dateTime or instant covers.
     *
     * @throws IllegalArgumentException if {@code text} is not one
     */
    public static Range parse(String text) {
        try {
            int n = text.length();
            if (n == 4) {
                int year = Integer.parseInt(text);
                Instant low = LocalDate.of(year, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
                return new Range(low, LocalDate.of(year + 1, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            if (n == 7) {
                YearMonth ym = YearMonth.parse(text);
                return new Range(ym.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                        ym.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            if (n == 10) {
                LocalDate day = LocalDate.parse(text);
                return new Range(day.atStartOfDay(ZoneOffset.UTC).toInstant(), day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            String withZone = hasZone(text) ? text : text + "Z";
            OffsetDateTime t = OffsetDateTime.parse(withZone);
            Instant low = t.toInstant();
            // The precision given is the range: to the minute, the second, or the fraction written.
            int timeStart = text.indexOf('T') + 1;
            String time = text.substring(timeStart, zoneStart(text, timeStart));
            Instant high;
            if (time.length() <= 5) {
                high = low.plus(1, ChronoUnit.MINUTES);
            } else if (time.length() <= 8) {
                high = low.plus(1, ChronoUnit.SECONDS);
            } else {
                int digits = time.length() - 9;
                long nanos = (long) Math.pow(10, 9 - Math.min(9, digits));
                high = low.plusNanos(nanos);
            }
            return new Range(low, high);
        } catch (DateTimeParseException | NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a FHIR date, dateTime or instant");
        }
    }

    /** The range a FHIR Period covers; either end may be missing. */
    public static Range period(String start, String end) {
        Instant low = start == null ? START_OF_TIME : parse(start).low();
        Instant high = end == null ? END_OF_TIME : parse(end).high();
        return new Range(low, high.isBefore(low) ? low : high);
    }

    private static boolean hasZone(String text) {
        int t = text.indexOf('T');
        return t >= 0 && zoneStart(text, t + 1) < text.length();
    }

    private static int zoneStart(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 'Z' || c == '+' || c == '-') {
                return i;
            }
        }
        return text.length();
    }
}
