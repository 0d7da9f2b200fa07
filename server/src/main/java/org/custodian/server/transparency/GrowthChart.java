package org.custodian.server.transparency;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The geometry of the tree's growth chart, drawn by the page as inline SVG (no script, no inline
 * style: presentation attributes only, which the pages' Content-Security-Policy allows): tree size
 * (y, from 0) against the time each sampled checkpoint was published (x). Pure, so tested as a table.
 */
public record GrowthChart(List<Dot> dots, String polyline, List<Label> yLabels, List<Label> xLabels, String summary) {
    /** The SVG's viewBox: {@code 0 0 WIDTH HEIGHT}. */
    public static final int WIDTH = 400;
    public static final int HEIGHT = 220;
    /** The plotting area, inside room for the axes' labels. */
    public static final int LEFT = 64;
    public static final int RIGHT = WIDTH - 12;
    public static final int TOP = 14;
    public static final int BOTTOM = HEIGHT - 40;

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.UK).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.UK).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.UK).withZone(ZoneOffset.UTC);

    public record Point(long size, Instant at) {
        public Point {
            requireNonNull(at, "at is null");
        }
    }

    public record Dot(int x, int y) {}

    /** A tick label at (x, y) in viewBox units, anchored as SVG's text-anchor says. */
    public record Label(int x, int y, String text, String anchor) {}

    public GrowthChart {
        dots = List.copyOf(dots);
        yLabels = List.copyOf(yLabels);
        xLabels = List.copyOf(xLabels);
        requireNonNull(polyline, "polyline is null");
        requireNonNull(summary, "summary is null");
    }

    /** The chart of {@code points} (in increasing time and size); MUST NOT be empty. */
    public static GrowthChart of(List<Point> points) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a chart needs at least one point");
        }
        Point first = points.get(0);
        Point last = points.get(points.size() - 1);
        long maxSize = Math.max(1, last.size());
        long span = Duration.between(first.at(), last.at()).toMillis();
        List<Dot> dots = new ArrayList<>(points.size());
        StringBuilder line = new StringBuilder();
        for (Point p : points) {
            // One instant only (a log younger than its first second): the point stands at the right, now.
            int x = span <= 0 ? RIGHT : LEFT + (int) Math.round((double) (RIGHT - LEFT) * Duration.between(first.at(), p.at()).toMillis() / span);
            int y = BOTTOM - (int) Math.round((double) (BOTTOM - TOP) * p.size() / maxSize);
            dots.add(new Dot(x, y));
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(x).append(',').append(y);
        }
        List<Label> yLabels = List.of(
                new Label(LEFT - 8, BOTTOM + 5, "0", "end"),
                new Label(LEFT - 8, (TOP + BOTTOM) / 2 + 5, compact(maxSize / 2.0), "end"),
                new Label(LEFT - 8, TOP + 5, compact(maxSize), "end"));
        DateTimeFormatter format = span >= Duration.ofDays(3).toMillis() ? DAY : span >= Duration.ofHours(12).toMillis() ? MINUTE : SECOND;
        List<Label> xLabels = span <= 0
                ? List.of(new Label(RIGHT, BOTTOM + 24, format.format(last.at()), "end"))
                : List.of(new Label(LEFT, BOTTOM + 24, format.format(first.at()), "start"),
                        new Label(RIGHT, BOTTOM + 24, format.format(last.at()), "end"));
        String summary = points.size() == 1
                ? "One checkpoint so far, of " + count(last.size()) + " entries."
                : "From " + count(first.size()) + " entries on " + LogPageFormat.time(first.at()) + " to " + count(last.size())
                        + " on " + LogPageFormat.time(last.at()) + ", in " + points.size() + " published checkpoints.";
        return new GrowthChart(dots, line.toString(), yLabels, xLabels, summary);
    }

    /** "950", "9,999", "12k", "1.5M", "2.3bn": short enough for the axis. */
    static String compact(double n) {
        if (n < 10_000) {
            return count(Math.round(n));
        }
        // Rounded up to the next unit where "1000k" would show.
        if (n < 999_500) {
            return trim(n / 1_000) + "k";
        }
        if (n < 999_500_000) {
            return trim(n / 1_000_000) + "M";
        }
        return trim(n / 1_000_000_000) + "bn";
    }

    private static String trim(double v) {
        return v >= 100 ? Long.toString(Math.round(v)) : String.format(Locale.UK, "%.1f", v).replaceAll("\\.0$", "");
    }

    private static String count(long n) {
        return String.format(Locale.UK, "%,d", n);
    }
}
