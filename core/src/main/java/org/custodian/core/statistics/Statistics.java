package org.custodian.core.statistics;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.custodian.core.activity.UseDescriber;
import org.custodian.core.consent.ConsentChoices;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Registers;
import org.custodian.core.registers.Sector;
import org.custodian.core.rules.GovernedRuleSet;
import org.custodian.core.statistics.PublishedStatistics.Row;
import org.custodian.core.statistics.PublishedStatistics.Table;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.PurposeGroup;

/**
 * The public statistics feature of one server process, wired in one place: the {@link StatisticsCounter} following
 * the ledger (every process runs it; the cursor lets one at a time work), and {@link #current()}, which reads the
 * raw counts (a few hundred rows, never the ledger) and publishes them.
 *
 * <p>Rows are ordered by their key (months in order, the rest by name), never by size: an order by size would tell
 * which of two redacted rows is the larger.
 */
public final class Statistics implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Statistics.class.getName());
    static final Duration EVERY = Duration.ofSeconds(1);
    private static final DateTimeFormatter MONTH_WORDS = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.UK);

    private final DataSource dataSource;
    private final StatisticsCounter counter;
    private final Registers registers;
    private final Supplier<GovernedRuleSet> rules;
    private final Clock clock;
    private ScheduledExecutorService scheduler;
    private volatile boolean warned;

    public Statistics(DataSource dataSource, Registers registers, Supplier<GovernedRuleSet> rules, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.registers = requireNonNull(registers, "registers is null");
        this.rules = requireNonNull(rules, "rules is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.counter = new StatisticsCounter(dataSource);
    }

    /** Starts counting in the background, once a second. */
    public static Statistics start(DataSource dataSource, Registers registers, Supplier<GovernedRuleSet> rules, Clock clock) {
        Statistics s = new Statistics(dataSource, registers, rules, clock);
        s.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "custodian-statistics-counter");
            t.setDaemon(true);
            return t;
        });
        s.scheduler.scheduleWithFixedDelay(s::tick, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    private void tick() {
        try {
            counter.catchUp();
            if (warned) {
                warned = false;
                LOG.info("The statistics are being counted again");
            }
        } catch (RuntimeException e) {
            // The cursor has not moved: the next tick does the same work.
            if (!warned) {
                warned = true;
                LOG.log(Level.WARNING, "Cannot count the ledger for the statistics (" + e.getMessage() + "); trying again every second");
            }
        }
    }

    /** Counts up to the integrated tree now (tests, and a page that must be current). */
    public void catchUp() {
        counter.catchUp();
    }

    // ------------------------------------------------------------------ reading

    private record Raw(long entriesCounted, Optional<Instant> checkpointAt, long treeSize, Map<String, List<Tabulation.Cell>> measures) {
        List<Tabulation.Cell> cells(String measure) {
            return measures.getOrDefault(measure, List.of());
        }

        long total(String measure) {
            return cells(measure).stream().filter(c -> c.key().isEmpty()).mapToLong(Tabulation.Cell::count).sum();
        }
    }

    /** The statistics as published now. */
    public PublishedStatistics current() {
        Raw raw = read();
        Map<String, String> reasons = UseDescriber.reasonTexts(rules.get());
        List<Table> tables = new ArrayList<>();

        // Each total in a group of its own: they are not parts of one another's sum (refusals are some of the accesses,
        // but the accesses allowed are not published), so none needs a second cell redacted with it.
        tables.add(table("totals", "Totals", "figure", "Figure", "", List.of(
                total("accesses", raw.total("access")), total("refusals", raw.total("deny")), total("break-glass", raw.total("breakglass")),
                total("refused-before-decision", raw.total("refused")), total("erased-before-counted", raw.total("erased-uncounted"))),
                Map.of("accesses", "Requests decided by the gate (allowed or refused)", "refusals", "Requests the gate refused",
                        "break-glass", "Emergency (break-glass) accesses",
                        "refused-before-decision", "Requests refused before the gate could decide (for example an invalid token)",
                        "erased-before-counted", "Entries whose details were erased before they could be counted")::get, false));

        tables.add(table("accesses-by-month", "Accesses by month", "month", "Month", "Calendar months in UK time.",
                sortedByKey(raw.cells("access.month")), Statistics::monthWords, false));
        tables.add(table("accesses-by-purpose", "Accesses by purpose", "purpose", "Purpose", "",
                raw.cells("access.purpose"), code -> Purpose.fromCode(code).map(Purpose::display).orElse(code), true));
        tables.add(sectors(raw));
        tables.add(organisations(raw));
        tables.add(table("refusals-by-reason", "Refusals by reason", "reason", "Reason",
                "A refusal can give more than one reason, so these add up to more than the refusals.",
                raw.cells("deny.reason"), code -> reasons.getOrDefault(code, code), true));
        tables.add(table("break-glass-by-month", "Emergency (break-glass) accesses by month", "month", "Month", "Calendar months in UK time.",
                sortedByKey(raw.cells("breakglass.month")), Statistics::monthWords, false));
        tables.add(table("refused-before-decision-by-reason", "Requests refused before the gate could decide, by reason", "reason", "Reason",
                "The organisation such a request claimed is not published: it was not verified.",
                raw.cells("refused.reason"), code -> code, true));
        tables.add(optOuts(raw));
        return new PublishedStatistics(raw.entriesCounted(), raw.checkpointAt(), raw.treeSize(), clock.instant(), tables);
    }

    private static Tabulation.Cell cell(String key, long count) {
        return new Tabulation.Cell(key, "", count);
    }

    private static Tabulation.Cell total(String key, long count) {
        return new Tabulation.Cell(key, key, count);
    }

    private static List<Tabulation.Cell> sortedByKey(List<Tabulation.Cell> cells) {
        return cells.stream().sorted(Comparator.comparing(Tabulation.Cell::key)).toList();
    }

    /** One table: cells published (with secondary suppression within each group), labelled, optionally ordered by label. */
    private static Table table(String id, String title, String keyName, String keyHeading, String note, List<Tabulation.Cell> cells,
            Function<String, String> label, boolean byLabel) {
        List<Tabulation.Row> published = Tabulation.publish(cells);
        List<Row> rows = new ArrayList<>();
        for (Tabulation.Row r : published) {
            rows.add(new Row(r.key(), label.apply(r.key()), "", r.count(), Optional.empty()));
        }
        if (byLabel) {
            rows.sort(Comparator.comparing(Row::label).thenComparing(Row::key));
        }
        return new Table(id, title, keyName, keyHeading, note, false, rows);
    }

    /** Every sector, including those with no accesses (a zero there is the point). */
    private static Table sectors(Raw raw) {
        Map<String, Long> counted = new HashMap<>();
        raw.cells("access.sector").forEach(c -> counted.merge(c.key(), c.count(), Long::sum));
        List<Tabulation.Cell> cells = new ArrayList<>();
        for (Sector s : Sector.values()) {
            cells.add(cell(s.code(), counted.getOrDefault(s.code(), 0L)));
        }
        counted.keySet().stream().filter(k -> Sector.fromCode(k).isEmpty()).sorted().forEach(k -> cells.add(cell(k, counted.get(k))));
        return table("accesses-by-sector", "Accesses by sector", "sector", "Sector", "", cells,
                code -> Sector.fromCode(code).map(Sector::words).orElse(code), false);
    }

    /** Organisations within their sectors: each sector's rows are suppressed as a group, since they add up to its row. */
    private Table organisations(Raw raw) {
        List<Tabulation.Cell> cells = raw.cells("access.organisation").stream()
                .sorted(Comparator.comparing(Tabulation.Cell::group).thenComparing(Tabulation.Cell::key)).toList();
        List<Row> rows = new ArrayList<>();
        for (Tabulation.Row r : Tabulation.publish(cells)) {
            String name = registers.organisation(r.key()).map(Organisation::name).orElse(r.key());
            String sector = Sector.fromCode(r.group()).map(Sector::words).orElse(r.group());
            rows.add(new Row(r.key(), name, sector, r.count(), Optional.empty()));
        }
        rows.sort(Comparator.comparing(Row::group).thenComparing(Row::label).thenComparing(Row::key));
        return new Table("accesses-by-organisation", "Accesses by organisation", "organisation", "Organisation",
                "Each organisation under the sector its requests were made in.", false, rows);
    }

    /**
     * Opt-outs: patients who said no to each purpose group, over the patients registered. Each count is suppressed on
     * its own; the rate is computed from the two published numbers, and left out when either is redacted.
     */
    private static Table optOuts(Raw raw) {
        OptionalLong patients = SmallNumbers.publish(raw.total("consent.patients"));
        Map<String, Long> counted = new HashMap<>();
        raw.cells("consent.opt-out").forEach(c -> counted.merge(c.key(), c.count(), Long::sum));
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("patients-registered", "Patients registered", "", patients, Optional.empty()));
        for (PurposeGroup g : ConsentChoices.CHOOSABLE.stream().sorted(Comparator.comparing(PurposeGroup::code)).toList()) {
            OptionalLong optedOut = SmallNumbers.publish(counted.getOrDefault(g.code(), 0L));
            Optional<String> rate = Optional.empty();
            if (optedOut.isPresent() && patients.isPresent() && patients.getAsLong() > 0) {
                rate = Optional.of(String.format(Locale.UK, "%.1f%%", 100.0 * optedOut.getAsLong() / patients.getAsLong()));
            }
            String label = g == PurposeGroup.DIRECT_CARE ? "Said no to sharing for care beyond their GP practice" : "Said no to " + g.words();
            rows.add(new Row(g.code(), label, "", optedOut, rate));
        }
        return new Table("opt-outs-by-purpose-group", "Patients' choices: opt-outs by purpose", "group", "Choice",
                "The current choices of patients registered now, not counted from the ledger. A patient can say no to more than one.", true, rows);
    }

    private static String monthWords(String key) {
        try {
            return MONTH_WORDS.format(YearMonth.parse(key));
        } catch (DateTimeParseException e) {
            return key;
        }
    }

    private Raw read() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            // One snapshot: the counts, the cursor they belong to, and the tree, as of the same moment.
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                long counted;
                try (PreparedStatement s = c.prepareStatement("SELECT next_idx FROM statistics_cursor WHERE id = 1"); ResultSet rs = s.executeQuery()) {
                    rs.next();
                    counted = rs.getLong(1);
                }
                long size;
                try (PreparedStatement s = c.prepareStatement("SELECT size FROM ledger_tree WHERE id = 1"); ResultSet rs = s.executeQuery()) {
                    rs.next();
                    size = rs.getLong(1);
                }
                Optional<Instant> checkpointAt = Optional.empty();
                try (PreparedStatement s = c.prepareStatement("SELECT created_at FROM ledger_checkpoints WHERE size = ?")) {
                    s.setLong(1, counted);
                    try (ResultSet rs = s.executeQuery()) {
                        if (rs.next()) {
                            checkpointAt = Optional.of(rs.getTimestamp(1).toInstant());
                        }
                    }
                }
                Map<String, List<Tabulation.Cell>> measures = new HashMap<>();
                try (PreparedStatement s = c.prepareStatement("SELECT measure, grp, key, count FROM statistics_counts ORDER BY measure, grp, key");
                        ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        measures.computeIfAbsent(rs.getString(1), m -> new ArrayList<>())
                                .add(new Tabulation.Cell(rs.getString(3), rs.getString(2), Math.max(0, rs.getLong(4))));
                    }
                }
                c.commit();
                return new Raw(counted, checkpointAt, size, measures);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setReadOnly(false);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StatisticsUnavailableException("cannot read the statistics: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
