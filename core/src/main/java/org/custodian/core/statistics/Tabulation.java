package org.custodian.core.statistics;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One published table: every cell through {@link SmallNumbers}, then <b>secondary suppression</b> so that
 * no redacted cell can be worked out by subtraction.
 *
 * <p>The cells of a group add up to a figure published elsewhere: accesses by purpose, by sector and by
 * month each add up to the accesses total; an organisation's accesses add up, within its sector, to that
 * sector's row. Were exactly one cell of a group redacted, that total minus the group's other cells would
 * estimate it. So a group with exactly one redacted cell has a second one redacted: its smallest other
 * non-zero cell (ties by key). Subtraction then yields only the sum of two cells, one of them at least 8.
 * Zero cells are never used as the second: subtracting them reveals nothing. (Rounding each figure to 5
 * already blurs subtraction; this removes it.)
 *
 * <p>No table carries a total row of its own: the totals are published once, as headline figures.
 */
public final class Tabulation {
    private Tabulation() {}

    /** A raw count, private until published. */
    public record Cell(String key, String group, long count) {
        public Cell {
            requireNonNull(key, "key is null");
            requireNonNull(group, "group is null");
            if (count < 0) {
                throw new IllegalArgumentException("a count cannot be negative: " + count);
            }
        }
    }

    /**
     * A published row: {@code count} empty when redacted (by the small-number rule, or secondarily).
     */
    public record Row(String key, String group, OptionalLong count) {
        public Row {
            requireNonNull(key, "key is null");
            requireNonNull(group, "group is null");
            requireNonNull(count, "count is null");
        }

        public boolean redacted() {
            return count.isEmpty();
        }

        /** The published number, or null when redacted (the JSON's {@code count}). */
        public Long countOrNull() {
            return count.isPresent() ? count.getAsLong() : null;
        }
    }

    /** The cells published, in the order given. */
    public static List<Row> publish(List<Cell> cells) {
        requireNonNull(cells, "cells is null");
        boolean[] redact = new boolean[cells.size()];
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            groups.computeIfAbsent(cells.get(i).group(), g -> new ArrayList<>()).add(i);
            redact[i] = SmallNumbers.redacted(cells.get(i).count());
        }
        for (List<Integer> group : groups.values()) {
            long primary = group.stream().filter(i -> redact[i]).count();
            if (primary == 1) {
                group.stream().filter(i -> !redact[i] && cells.get(i).count() > 0)
                        .min(Comparator.comparingLong((Integer i) -> cells.get(i).count()).thenComparing(i -> cells.get(i).key()))
                        .ifPresent(i -> redact[i] = true);
            }
        }
        List<Row> rows = new ArrayList<>(cells.size());
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            rows.add(new Row(c.key(), c.group(), redact[i] ? OptionalLong.empty() : SmallNumbers.publish(c.count())));
        }
        return List.copyOf(rows);
    }
}
