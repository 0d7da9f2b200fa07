package org.custodian.app.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A duration on the command line: {@code 90s}, {@code 15m}, {@code 2h}, combined as {@code 1h30m},
 * or ISO 8601 ({@code PT15M}).
 */
public final class Durations implements ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d{1,9})([hms])");
    private static final Pattern SHORT = Pattern.compile("(?:\\d{1,9}[hms])+");

    @Override
    public Duration convert(String text) {
        return parse(text);
    }

    public static Duration parse(String text) {
        String t = text.strip();
        if (SHORT.matcher(t).matches()) {
            Duration total = Duration.ZERO;
            Matcher m = PART.matcher(t);
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                });
            }
            return total;
        }
        if (t.regionMatches(true, 0, "PT", 0, 2)) {
            try {
                return Duration.parse(t);
            } catch (DateTimeParseException e) {
                // fall through to the message below
            }
        }
        throw new TypeConversionException("'" + text + "' is not a duration (examples: 90s, 15m, 2h, 1h30m, PT15M)");
    }
}
