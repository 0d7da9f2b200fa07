package org.custodian.core.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.custodian.core.statistics.Tabulation.Cell;
import org.custodian.core.statistics.Tabulation.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TestSmallNumbers {

    /** The edges (0, 1, 7, 8, 12, 13) and the ones around every boundary; empty = redacted. */
    @ParameterizedTest(name = "{0} is published as [{1}]")
    @CsvSource(nullValues = "redacted", value = {
            "0, 0",
            "1, redacted", "2, redacted", "5, redacted", "6, redacted", "7, redacted",
            "8, 10", "9, 10", "10, 10", "11, 10", "12, 10",
            "13, 15", "14, 15", "15, 15", "17, 15", "18, 20",
            "22, 20", "23, 25", "100, 100", "102, 100", "103, 105",
            "1000000002, 1000000000", "1000000003, 1000000005",
            "9223372036854775807, 9223372036854775805", "9223372036854775806, 9223372036854775805"})
    void publishesCountsAtTheEdgesOfTheRule(long count, Long published) {
        OptionalLong p = SmallNumbers.publish(count);
        assertEquals(published == null ? OptionalLong.empty() : OptionalLong.of(published), p);
        assertEquals(published == null, SmallNumbers.redacted(count));
    }

    @Test
    void refusesANegativeCount() {
        assertThrows(IllegalArgumentException.class, () -> SmallNumbers.publish(-1));
        assertThrows(IllegalArgumentException.class, () -> new Cell("k", "g", -1));
    }

    /**
     * For any count: redacted exactly when 1..7; otherwise a multiple of 5, within 2 of the count, and never
     * 1..9 (so a published number never reveals a small count); and publishing is monotonic.
     */
    @Test
    void everyPublishedCountIsAMultipleOfFiveWithinTwoAndNeverSmall() {
        SplittableRandom random = new SplittableRandom(0x5EED_2026L);
        long previousCount = -1;
        long previousPublished = -1;
        for (int i = 0; i < 200_000; i++) {
            long count = switch (i % 4) {
                case 0 -> random.nextLong(0, 40);
                case 1 -> random.nextLong(0, 10_000);
                case 2 -> random.nextLong(0, Long.MAX_VALUE);
                default -> previousCount < 0 ? 0 : previousCount + random.nextLong(0, 3);
            };
            OptionalLong p = SmallNumbers.publish(count);
            if (count >= 1 && count <= 7) {
                assertTrue(p.isEmpty(), count + " must be redacted");
                continue;
            }
            long v = p.orElseThrow(() -> new AssertionError(count + " must be published"));
            assertEquals(0, v % 5, count + " -> " + v);
            assertTrue(Math.abs(v - count) <= 2, count + " -> " + v);
            assertTrue(v == 0 || v >= 10, count + " -> " + v);
            assertEquals(count == 0, v == 0);
            if (i % 4 == 3 && previousCount >= 0 && count >= previousCount && previousPublished >= 0) {
                assertTrue(v >= previousPublished, "monotonic: " + previousCount + " -> " + previousPublished + ", " + count + " -> " + v);
            }
            previousCount = count;
            previousPublished = v;
        }
    }

    // ------------------------------------------------------------------ secondary suppression

    @Test
    void aGroupWithOneRedactedCellHasItsSmallestOtherNonZeroCellRedactedToo() {
        List<Row> rows = Tabulation.publish(List.of(new Cell("a", "g", 40), new Cell("b", "g", 3), new Cell("c", "g", 0),
                new Cell("d", "g", 12), new Cell("e", "g", 13)));
        assertEquals(List.of(published("a", 40), redacted("b"), published("c", 0), redacted("d"), published("e", 15)), rows);
    }

    @Test
    void aGroupWithTwoRedactedCellsOrNoneIsLeftAsTheRuleHasIt() {
        assertEquals(List.of(redacted("a"), redacted("b"), published("c", 10)),
                Tabulation.publish(List.of(new Cell("a", "g", 1), new Cell("b", "g", 7), new Cell("c", "g", 8))));
        assertEquals(List.of(published("a", 0), published("b", 10), published("c", 15)),
                Tabulation.publish(List.of(new Cell("a", "g", 0), new Cell("b", "g", 8), new Cell("c", "g", 13))));
    }

    @Test
    void groupsAreSuppressedEachOnItsOwn() {
        List<Row> rows = Tabulation.publish(List.of(new Cell("x1", "nhs", 30), new Cell("x2", "nhs", 2), new Cell("y1", "uni", 20),
                new Cell("y2", "uni", 25), new Cell("z1", "gov", 5)));
        assertEquals(List.of(new Row("x1", "nhs", OptionalLong.empty()), new Row("x2", "nhs", OptionalLong.empty()),
                new Row("y1", "uni", OptionalLong.of(20)), new Row("y2", "uni", OptionalLong.of(25)), new Row("z1", "gov", OptionalLong.empty())), rows);
    }

    @Test
    void tiesForTheSecondCellGoByKey() {
        assertEquals(List.of(redacted("a"), redacted("b"), published("c", 10), published("d", 10)),
                Tabulation.publish(List.of(new Cell("a", "g", 4), new Cell("d", "g", 9), new Cell("c", "g", 9), new Cell("b", "g", 9)))
                        .stream().sorted(java.util.Comparator.comparing(Row::key)).toList());
    }

    /** Property: in every group, never exactly one redacted cell unless nothing else in it is non-zero. */
    @Test
    void noGroupIsLeftWithASingleRedactedCellThatSubtractionCouldRecover() {
        SplittableRandom random = new SplittableRandom(20260611L);
        for (int t = 0; t < 5_000; t++) {
            int n = random.nextInt(1, 12);
            List<Cell> cells = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                long c = random.nextInt(3) == 0 ? random.nextLong(0, 9) : random.nextLong(0, 60);
                cells.add(new Cell("k" + i, "g" + random.nextInt(3), c));
            }
            List<Row> rows = Tabulation.publish(cells);
            for (int i = 0; i < n; i++) {
                Cell c = cells.get(i);
                Row r = rows.get(i);
                if (c.count() >= 1 && c.count() <= 7) {
                    assertTrue(r.redacted(), "primary");
                } else if (!r.redacted()) {
                    assertEquals(SmallNumbers.publish(c.count()), r.count());
                }
            }
            for (String g : List.of("g0", "g1", "g2")) {
                long redactedInGroup = java.util.stream.IntStream.range(0, n).filter(i -> cells.get(i).group().equals(g) && rows.get(i).redacted()).count();
                long nonZeroInGroup = cells.stream().filter(c -> c.group().equals(g) && c.count() > 0).count();
                assertTrue(redactedInGroup != 1 || nonZeroInGroup == 1, "group " + g + " in " + cells + " -> " + rows);
            }
        }
    }

    private static Row published(String key, long n) {
        return new Row(key, "g", OptionalLong.of(n));
    }

    private static Row redacted(String key) {
        return new Row(key, "g", OptionalLong.empty());
    }
}
