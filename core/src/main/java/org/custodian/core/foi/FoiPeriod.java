package org.custodian.core.foi;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The period an FOI answer is asked for, both days included, and the whole calendar months (UK time) its figures
 * count. The ledger's statistics are kept by calendar month, so a period that starts or ends within a month is
 * answered for the whole of those months, and the answer says so rather than pretending to more precision.
 */
public record FoiPeriod(LocalDate from, LocalDate to) {
    public static final ZoneId UK = ZoneId.of("Europe/London");
    private static final Pattern DAY = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern PLAIN = Pattern.compile("[0-9A-Za-z./+: -]+");

    public FoiPeriod {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("the period starts (" + from + ") after it ends (" + to + ")");
        }
    }

    /** The last twelve complete calendar months before today (UK time). */
    public static FoiPeriod lastTwelveCompleteMonths(Clock clock) {
        YearMonth now = YearMonth.from(LocalDate.now(clock.withZone(UK)));
        return new FoiPeriod(now.minusMonths(12).atDay(1), now.minusMonths(1).atEndOfMonth());
    }

    /**
     * The period from two dates as typed, each {@code YYYY-MM-DD}.
     *
     * @param fromName, toName what the caller called them ({@code --from}, {@code from}), for the message
     * @throws IllegalArgumentException with a message for the person who typed them
     */
    public static FoiPeriod parse(String fromText, String toText, String fromName, String toName) {
        LocalDate from = day(fromText, fromName);
        LocalDate to = day(toText, toName);
        if (from.isAfter(to)) {
            throw new IllegalArgumentException(fromName + " (" + from + ") is after " + toName + " (" + to + "): the period must start on or before"
                    + " the day it ends");
        }
        return new FoiPeriod(from, to);
    }

    private static LocalDate day(String text, String name) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException(name + " is missing: give a date as YYYY-MM-DD");
        }
        // Echo what was typed only when it is short and plain, so that no message carries markup back to a page.
        String shown = text.length() <= 20 && PLAIN.matcher(text).matches() ? " \"" + text + "\"" : "";
        if (!DAY.matcher(text).matches()) {
            throw new IllegalArgumentException(name + shown + " is not a date: give it as YYYY-MM-DD, e.g. 2025-04-01");
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + shown + " is not a date in the calendar");
        }
    }

    public YearMonth firstMonth() {
        return YearMonth.from(from);
    }

    public YearMonth lastMonth() {
        return YearMonth.from(to);
    }

    /** The first day counted: the first day of the first month. */
    public LocalDate countedFrom() {
        return firstMonth().atDay(1);
    }

    /** The last day counted: the last day of the last month. */
    public LocalDate countedTo() {
        return lastMonth().atEndOfMonth();
    }

    /** Whether the period is exactly whole months, so the figures count exactly the period asked for. */
    public boolean wholeMonths() {
        return from.equals(countedFrom()) && to.equals(countedTo());
    }

    /** Whether the last month counted is not over on {@code today}: its figures are only up to the checkpoint. */
    public boolean includesUnfinishedMonth(LocalDate today) {
        return !lastMonth().isBefore(YearMonth.from(today));
    }
}
