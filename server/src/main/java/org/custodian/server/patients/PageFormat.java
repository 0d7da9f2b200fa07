package org.custodian.server.patients;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the pages write dates and numbers (UK time and style), for the templates. */
public final class PageFormat {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm", Locale.UK).withZone(PatientPages.UK);
    private static final DateTimeFormatter MACHINE = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(PatientPages.UK);

    private PageFormat() {}

    /** "23 November 2026, 10:04" in UK time. */
    public static String when(Instant t) {
        return WHEN.format(t);
    }

    /** For a {@code <time datetime>} attribute. */
    public static String machine(Instant t) {
        return MACHINE.format(t);
    }

    /** "1,234". */
    public static String count(long n) {
        return String.format(Locale.UK, "%,d", n);
    }
}
