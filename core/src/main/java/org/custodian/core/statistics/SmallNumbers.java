package org.custodian.core.statistics;

import java.util.OptionalLong;

/**
 * The small-number rule every published count goes through (OpenSAFELY's): a count from 1 to
 * {@value #REDACT_AT_MOST} is redacted; any other is rounded to the nearest multiple of {@value #ROUND_TO}.
 *
 * <ul>
 *   <li><b>Zero is published as 0.</b> Every row we publish is a count of events or of people in a
 *       group named by purpose, sector, organisation, reason or month, never by a personal characteristic,
 *       so "nobody" identifies nobody; and a zero is often the public-interest figure itself (accesses by
 *       private companies or other government departments, which the statutory rules refuse).
 *   <li><b>Rounding:</b> counts are integers, so an exact half (a remainder of 2.5 from a multiple of 5)
 *       cannot occur: remainders 0, 1, 2 round down and 3, 4 round up, i.e. {@code 5 * floor((n + 2) / 5)}.
 *       8 and 12 publish as 10, 13 as 15. No published count from this rule is 5 (the smallest positive is 10).
 * </ul>
 * A negative count is a bug upstream and MUST NOT be published: it is refused.
 */
public final class SmallNumbers {
    /** Counts from 1 to this are redacted. */
    public static final long REDACT_AT_MOST = 7;
    /** Other counts are rounded to the nearest multiple of this. */
    public static final long ROUND_TO = 5;

    private SmallNumbers() {}

    /** The count as published: empty when redacted. */
    public static OptionalLong publish(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("a count cannot be negative: " + count);
        }
        if (count == 0) {
            return OptionalLong.of(0);
        }
        if (count <= REDACT_AT_MOST) {
            return OptionalLong.empty();
        }
        // No overflow: count <= Long.MAX_VALUE - 2 is all a ledger can hold; guard anyway.
        long half = ROUND_TO / 2;
        long rounded = count > Long.MAX_VALUE - half ? count - count % ROUND_TO : (count + half) / ROUND_TO * ROUND_TO;
        return OptionalLong.of(rounded);
    }

    /** Whether the rule redacts this count. */
    public static boolean redacted(long count) {
        return publish(count).isEmpty();
    }
}
