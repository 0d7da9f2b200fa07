package org.custodian.server.transparency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.custodian.server.transparency.GrowthChart.Dot;
import org.custodian.server.transparency.GrowthChart.Label;
import org.custodian.server.transparency.GrowthChart.Point;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The growth chart's geometry: sizes from 0 at the bottom to the latest at the top, time left to right. */
class TestGrowthChart {
    private static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");

    @Test
    void theFirstPointIsAtTheLeftTheLatestAtTheTopRightAndTimeIsToScale() {
        GrowthChart chart = GrowthChart.of(List.of(new Point(0, T0), new Point(50, T0.plusSeconds(30)), new Point(100, T0.plusSeconds(120))));
        assertEquals(List.of(new Dot(GrowthChart.LEFT, GrowthChart.BOTTOM), new Dot(145, 97), new Dot(GrowthChart.RIGHT, GrowthChart.TOP)),
                chart.dots());
        assertEquals("64,180 145,97 388,14", chart.polyline());
        assertEquals(List.of("0", "50", "100"), chart.yLabels().stream().map(Label::text).toList());
        assertEquals(List.of("08:00:00", "08:02:00"), chart.xLabels().stream().map(Label::text).toList());
    }

    @Test
    void oneCheckpointStandsAtTheRightWithOneTimeLabel() {
        GrowthChart chart = GrowthChart.of(List.of(new Point(7, T0)));
        assertEquals(List.of(new Dot(GrowthChart.RIGHT, GrowthChart.TOP)), chart.dots());
        assertEquals(1, chart.xLabels().size());
        assertEquals("One checkpoint so far, of 7 entries.", chart.summary());
    }

    @Test
    void anEmptyLogHasNoChart() {
        assertThrows(IllegalArgumentException.class, () -> GrowthChart.of(List.of()));
    }

    @Test
    void longerSpansLabelTimeByMinuteThenByDay() {
        assertEquals(List.of("24 Nov 08:00", "25 Nov 08:00"), GrowthChart.of(List.of(new Point(1, T0), new Point(2, T0.plusSeconds(86_400))))
                .xLabels().stream().map(Label::text).toList());
        assertEquals(List.of("24 Nov 2026", "4 Dec 2026"), GrowthChart.of(List.of(new Point(1, T0), new Point(2, T0.plusSeconds(864_000))))
                .xLabels().stream().map(Label::text).toList());
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "950, 950", "9999, '9,999'", "10000, 10k", "12500, 12.5k", "999999, 1M", "1500000, 1.5M",
        "12000000, 12M", "250000000, 250M", "2300000000, 2.3bn"})
    void axisNumbersAreShort(double n, String expected) {
        assertEquals(expected, GrowthChart.compact(n));
    }
}
