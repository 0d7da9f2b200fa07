package org.custodian.server.transparency;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the log's page writes times (UTC: a log is read across time zones) and numbers, for its template. */
public final class LogPageFormat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm:ss 'UTC'", Locale.UK)
            .withZone(ZoneOffset.UTC);

    private LogPageFormat() {}

    /** "24 November 2026, 08:31:07 UTC". */
    public static String time(Instant t) {
        return TIME.format(t);
    }

    /** For a {@code <time datetime>} attribute and the JSON: ISO 8601 in UTC, to the second. */
    public static String machine(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    /** "1,234". */
    public static String count(long n) {
        return String.format(Locale.UK, "%,d", n);
    }
}
