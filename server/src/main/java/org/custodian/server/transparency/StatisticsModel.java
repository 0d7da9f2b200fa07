package org.custodian.server.transparency;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.custodian.core.statistics.PublishedStatistics;
import org.custodian.core.statistics.PublishedStatistics.Row;
import org.custodian.core.statistics.PublishedStatistics.Table;

/** What {@code statistics.jte} renders: the published figures in words, and the charts' geometry. */
public record StatisticsModel(String entriesCounted, String asOf, String rule, List<Section> sections) {
    /** The tables drawn as charts as well (each chart sits above its table, which is its text alternative). */
    static final Set<String> CHARTED = Set.of("accesses-by-month", "refusals-by-reason", "break-glass-by-month");

    /** Chart geometry, in the SVG's own units (it scales to the column's width). */
    static final int WIDTH = 360;
    static final int ROW = 44;
    static final int BAR_MAX = 280;

    /** @param showKeys show each row's code beside its words (purposes, organisations, reasons) */
    public record Section(String id, String title, String note, String keyHeading, boolean groups, boolean rates, boolean showKeys, List<Line> rows,
            Chart chart) {}

    /** One row as shown: {@code count} is the number as written ("1,234") or "redacted". */
    public record Line(String label, String key, String group, String count, boolean redacted, String rate) {}

    /** A horizontal bar chart: each row is its label, then a bar whose length is the count, then the count. */
    public record Chart(String titleId, int height, List<Bar> bars) {
        public String viewBox() {
            return "0 0 " + WIDTH + " " + height;
        }
    }

    /** @param width 0 when redacted (no bar is drawn; the word says why) */
    public record Bar(String label, int labelY, int barY, int width, String value, int valueX, boolean redacted) {}

    static StatisticsModel of(PublishedStatistics p, String rule) {
        String asOf = p.checkpointAt().map(t -> "These figures count the first " + count(p.entriesCounted()) + " entries of the ledger: exactly"
                + " the entries of its checkpoint signed on " + StatisticsPage.WHEN.format(t) + " (UK time).")
                .orElse("These figures count the first " + count(p.entriesCounted()) + " entries of the ledger (it held " + count(p.treeSize())
                        + " when this page was made; the rest will be counted within a few seconds).");
        List<Section> sections = new ArrayList<>();
        for (Table t : p.tables()) {
            List<Line> lines = new ArrayList<>();
            for (Row r : t.rows()) {
                lines.add(new Line(r.label(), r.key(), r.group(), r.redacted() ? "redacted" : count(r.count().getAsLong()), r.redacted(),
                        r.rate().orElse(t.rates() && !r.key().equals("patients-registered") ? "not published" : "")));
            }
            boolean groups = t.rows().stream().anyMatch(r -> !r.group().isEmpty());
            boolean showKeys = Set.of("purpose", "organisation", "reason").contains(t.keyName());
            sections.add(new Section(t.id(), t.title(), t.note(), t.keyHeading(), groups, t.rates(), showKeys, lines,
                    CHARTED.contains(t.id()) && !t.rows().isEmpty() ? chart(t) : null));
        }
        return new StatisticsModel(count(p.entriesCounted()), asOf, rule, sections);
    }

    private static Chart chart(Table t) {
        long largest = Math.max(1, t.largest());
        List<Bar> bars = new ArrayList<>();
        int y = 0;
        for (Row r : t.rows()) {
            String label = r.label().length() > 48 ? r.label().substring(0, 47) + "\u2026" : r.label();
            int width = r.redacted() ? 0 : (int) Math.max(r.count().getAsLong() == 0 ? 0 : 2, Math.round((double) BAR_MAX * r.count().getAsLong() / largest));
            String value = r.redacted() ? "redacted" : count(r.count().getAsLong());
            bars.add(new Bar(label, y + 16, y + 22, width, value, width + 6, r.redacted()));
            y += ROW;
        }
        return new Chart("chart-" + t.id(), y + 4, bars);
    }

    static String count(long n) {
        return String.format(Locale.UK, "%,d", n);
    }
}
