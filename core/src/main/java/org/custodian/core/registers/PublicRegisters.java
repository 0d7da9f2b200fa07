package org.custodian.core.registers;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The registers the public may read (DESIGN.md invariant 5), each item with the {@code register.change}
 * ledger entry that recorded its current version: organisations, projects, agreements and the hosting sites the
 * operator declares.
 *
 * <p>People, care relationships and proxies are private (they name staff and patients, and link
 * patients to their carers and care teams): this class MUST NOT read them, so that nothing built on it
 * can publish them by mistake.
 *
 * <p>Reads go to the database rather than to {@link RegisterStore}'s snapshot, because the snapshot does
 * not keep each row's ledger index and time; every read is one read-only, repeatable-read transaction, so
 * a project's organisation is always in the same reading.
 */
public final class PublicRegisters {
    /**
     * A register item as published, with the ledger entry that recorded its current version.
     *
     * @param ledgerIndex the index of that {@code register.change} entry
     * @param updatedAt that entry's time
     */
    public record Recorded<T>(T item, long ledgerIndex, Instant updatedAt) {
        public Recorded {
            requireNonNull(item, "item is null");
            requireNonNull(updatedAt, "updatedAt is null");
            if (ledgerIndex < 0) {
                throw new IllegalArgumentException("ledgerIndex is negative: " + ledgerIndex);
            }
        }
    }

    /** One consistent reading of the public registers, each in its key's order. */
    public record Reading(List<Recorded<Organisation>> organisations, List<Recorded<Project>> projects,
            List<Recorded<Agreement>> agreements, List<Recorded<HostingSite>> hosting) {
        public Reading {
            organisations = List.copyOf(organisations);
            projects = List.copyOf(projects);
            agreements = List.copyOf(agreements);
            hosting = List.copyOf(hosting);
        }

        /** A reading with no hosting sites declared. */
        public Reading(List<Recorded<Organisation>> organisations, List<Recorded<Project>> projects, List<Recorded<Agreement>> agreements) {
            this(organisations, projects, agreements, List.of());
        }

        /** The organisation with this id in this reading. */
        public Optional<Organisation> organisation(String id) {
            return organisations.stream().map(Recorded::item).filter(o -> o.id().equals(id)).findFirst();
        }
    }

    private final DataSource dataSource;

    public PublicRegisters(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
    }

    /**
     * The public registers as committed now.
     *
     * @throws RegistersUnavailableException when the database cannot be read
     */
    public Reading read() {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                c.setReadOnly(true);
                Reading reading = read(c);
                c.commit();
                return reading;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setReadOnly(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new RegistersUnavailableException("cannot read the public registers: " + e.getMessage(), e);
        }
    }

    private static Reading read(Connection c) throws SQLException {
        List<Recorded<Organisation>> organisations = new ArrayList<>();
        List<Recorded<Project>> projects = new ArrayList<>();
        List<Recorded<Agreement>> agreements = new ArrayList<>();
        List<Recorded<HostingSite>> hosting = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(
                    "SELECT id, name, sector, ledger_index, updated_at FROM register_organisations ORDER BY id")) {
                while (rs.next()) {
                    organisations.add(new Recorded<>(new Organisation(rs.getString(1), rs.getString(2),
                            RegisterTables.code(rs.getString(3), Sector::fromCode, "sector")), rs.getLong(4), rs.getTimestamp(5).toInstant()));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT " + RegisterTables.PROJECT_COLUMNS + ", ledger_index, updated_at "
                    + "FROM register_projects ORDER BY id")) {
                while (rs.next()) {
                    projects.add(new Recorded<>(RegisterTables.project(rs), rs.getLong(13), rs.getTimestamp(14).toInstant()));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT id, item::text, ledger_index, updated_at FROM register_agreements ORDER BY id")) {
                while (rs.next()) {
                    agreements.add(new Recorded<>(RegisterTables.agreement(rs.getString(1), rs.getString(2)), rs.getLong(3),
                            rs.getTimestamp(4).toInstant()));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT " + RegisterTables.HOSTING_COLUMNS + ", ledger_index, updated_at "
                    + "FROM register_hosting ORDER BY id")) {
                while (rs.next()) {
                    hosting.add(new Recorded<>(RegisterTables.hostingSite(rs), rs.getLong(7), rs.getTimestamp(8).toInstant()));
                }
            }
        }
        return new Reading(organisations, projects, agreements, hosting);
    }
}
