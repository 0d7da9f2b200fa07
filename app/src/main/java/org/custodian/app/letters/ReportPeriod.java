package org.custodian.app.letters;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A letters' period: a quarter ({@code 2026-Q3}) or a month ({@code 2026-09}), from the first day's midnight
 * to the next period's, in UK time (a patient's "July" is July as they lived it).
 */
record ReportPeriod(String code, LocalDate first, LocalDate last) {
    static final ZoneId UK = ZoneId.of("Europe/London");
    private static final Pattern QUARTER = Pattern.compile("([0-9]{4})-Q([1-4])");
    private static final Pattern MONTH = Pattern.compile("([0-9]{4})-(0[1-9]|1[0-2])");
    private static final DateTimeFormatter DAY_MONTH = DateTimeFormatter.ofPattern("d MMMM", Locale.UK);
    private static final DateTimeFormatter DAY_MONTH_YEAR = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);

    static ReportPeriod parse(String text) {
        Matcher q = QUARTER.matcher(text == null ? "" : text);
        if (q.matches()) {
            LocalDate first = LocalDate.of(Integer.parseInt(q.group(1)), (Integer.parseInt(q.group(2)) - 1) * 3 + 1, 1);
            return new ReportPeriod(text, first, first.plusMonths(3).minusDays(1));
        }
        Matcher m = MONTH.matcher(text == null ? "" : text);
        if (m.matches()) {
            YearMonth ym = YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            return new ReportPeriod(text, ym.atDay(1), ym.atEndOfMonth());
        }
        throw new IllegalArgumentException("a period is a quarter like 2026-Q3 or a month like 2026-09, not '" + text + "'");
    }

    Instant from() {
        return first.atStartOfDay(UK).toInstant();
    }

    Instant to() {
        return last.plusDays(1).atStartOfDay(UK).toInstant();
    }

    /** "1 July to 30 September 2026". */
    String words() {
        return (first.getYear() == last.getYear() ? DAY_MONTH.format(first) : DAY_MONTH_YEAR.format(first)) + " to " + DAY_MONTH_YEAR.format(last);
    }
}
