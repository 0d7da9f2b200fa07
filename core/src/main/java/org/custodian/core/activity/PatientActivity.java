package org.custodian.core.activity;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.custodian.core.registers.NhsNumber;
import org.custodian.ledger.entry.EntryException;
import org.custodian.ledger.entry.LedgerEntry;

/**
 * Each patient's entries in the ledger, read through the index the database keeps beside it
 * ({@code patient_activity}, filled by a trigger in the same statement as every append: see
 * {@code V6__patient_activity.sql}), so that a patient's first page costs the same in a ledger of ten
 * million entries as in one of ten.
 *
 * <p>This class answers whoever asks: the caller decides who may see whose entries (a patient their
 * own, a proxy those of the people they act for, an auditor all).
 */
public final class PatientActivity {
    public static final int MAX_PAGE = 200;

    private static final String COLUMNS = "SELECT a.idx, a.at, a.type, a.organisation, a.purpose, a.decision, a.break_glass, e.content "
            + "FROM patient_activity a JOIN ledger_entries e ON e.idx = a.idx WHERE a.nhs_number = ?";

    private final DataSource dataSource;

    public PatientActivity(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
    }

    /**
     * A page of the patient's entries, newest first.
     *
     * @param before only entries with a smaller index (the previous page's {@link ActivityPage#nextBefore}), or
     *     {@link Long#MAX_VALUE} for the first page
     */
    public ActivityPage page(NhsNumber patient, ActivityFilter filter, long before, int size) {
        requireNonNull(patient, "patient is null");
        requireNonNull(filter, "filter is null");
        if (size < 1 || size > MAX_PAGE) {
            throw new IllegalArgumentException("page size must be 1 to " + MAX_PAGE);
        }
        StringBuilder sql = new StringBuilder(COLUMNS).append(" AND a.idx < ?");
        List<Object> params = new ArrayList<>(List.of(patient.value(), before));
        where(filter, sql, params);
        sql.append(" ORDER BY a.idx DESC LIMIT ?");
        params.add(size + 1);
        List<ActivityEntry> rows = query(sql.toString(), params);
        if (rows.size() <= size) {
            return new ActivityPage(rows, OptionalLong.empty());
        }
        List<ActivityEntry> page = rows.subList(0, size);
        return new ActivityPage(page, OptionalLong.of(page.get(size - 1).index()));
    }

    /** Every entry about the patient recorded in [from, to), oldest first: a letter's period. */
    public List<ActivityEntry> between(NhsNumber patient, Instant from, Instant to) {
        requireNonNull(patient, "patient is null");
        StringBuilder sql = new StringBuilder(COLUMNS);
        List<Object> params = new ArrayList<>(List.of(patient.value()));
        where(new ActivityFilter(from, to, null, null), sql, params);
        sql.append(" ORDER BY a.idx");
        return query(sql.toString(), params);
    }

    /** How many entries match (for "12 of 340"). */
    public long count(NhsNumber patient, ActivityFilter filter) {
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM patient_activity a WHERE a.nhs_number = ?");
        List<Object> params = new ArrayList<>(List.of(patient.value()));
        where(filter, sql, params);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql.toString(), params);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new ActivityUnavailableException("cannot count the entries about a patient", e);
        }
    }

    /**
     * The distinct values of one column among a patient's entries, in order, found by skipping through
     * the column's index ({@code V10__patient_activity_faster.sql}): one probe per value for the next
     * larger one, so the cost follows the number of values (a handful), not of entries (thousands).
     * PostgreSQL has no skip scan for DISTINCT; this recursive query is the usual stand-in.
     */
    private static String distinct(String column) {
        return "array(WITH RECURSIVE v(x) AS ("
                + "(SELECT " + column + " FROM patient_activity WHERE nhs_number = ? AND " + column + " IS NOT NULL ORDER BY " + column + " LIMIT 1)"
                + " UNION ALL SELECT (SELECT " + column + " FROM patient_activity WHERE nhs_number = ? AND " + column + " > v.x ORDER BY " + column
                + " LIMIT 1) FROM v WHERE v.x IS NOT NULL) SELECT x FROM v WHERE x IS NOT NULL)";
    }

    private static final String FACETS = "SELECT " + distinct("organisation") + ", " + distinct("purpose");

    /** The organisations and purposes that appear in the patient's entries: what the filters offer. */
    public Facets facets(NhsNumber patient) {
        String n = patient.value();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, FACETS, List.of(n, n, n, n));
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Facets(List.of((String[]) rs.getArray(1).getArray()), List.of((String[]) rs.getArray(2).getArray()));
        } catch (SQLException e) {
            throw new ActivityUnavailableException("cannot read the organisations in a patient's entries", e);
        }
    }

    /** Whether the entry at this index is in the patient's list. */
    public boolean concerns(NhsNumber patient, long index) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = prepare(c, "SELECT 1 FROM patient_activity WHERE nhs_number = ? AND idx = ?", List.of(patient.value(), index));
                ResultSet rs = ps.executeQuery()) {
            return rs.next();
        } catch (SQLException e) {
            throw new ActivityUnavailableException("cannot read the entries about a patient", e);
        }
    }

    /** Organisation ids and purpose codes, each sorted. */
    public record Facets(List<String> organisations, List<String> purposes) {}

    /** Patients with at least one entry recorded in [from, to): whom a period's letters go to. */
    public List<NhsNumber> patientsWithActivity(Instant from, Instant to) {
        String sql = "SELECT DISTINCT nhs_number FROM patient_activity WHERE at >= ? AND at < ? ORDER BY 1";
        List<NhsNumber> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, List.of(Timestamp.from(from), Timestamp.from(to)));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new NhsNumber(rs.getString(1)));
            }
            return out;
        } catch (SQLException e) {
            throw new ActivityUnavailableException("cannot list the patients with activity in a period", e);
        }
    }

    private static void where(ActivityFilter f, StringBuilder sql, List<Object> params) {
        if (f.from() != null) {
            sql.append(" AND a.at >= ?");
            params.add(Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            sql.append(" AND a.at < ?");
            params.add(Timestamp.from(f.to()));
        }
        if (f.organisation() != null) {
            sql.append(" AND a.organisation = ?");
            params.add(f.organisation());
        }
        if (f.purpose() != null) {
            sql.append(" AND a.purpose = ?");
            params.add(f.purpose());
        }
    }

    private List<ActivityEntry> query(String sql, List<Object> params) {
        List<ActivityEntry> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ActivityEntry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getBoolean(7), fields(rs.getBytes(8))));
            }
            return out;
        } catch (SQLException e) {
            throw new ActivityUnavailableException("cannot read the entries about a patient", e);
        }
    }

    private static Optional<Map<String, Object>> fields(byte[] content) {
        if (content == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LedgerEntry.parse(content).fields());
        } catch (EntryException e) {
            // Stored contents are canonical by construction; one that is not is listed without its details, as an erased one is.
            return Optional.empty();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
        return ps;
    }
}
