package org.custodian.core.registers;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.entry.CanonicalJson;

/**
 * The SQL of the register tables (db/migration/V2__registers.sql, V12__agreements.sql, V16__project_details.sql,
 * V18__register_hosting.sql), on a connection the caller manages.
 */
final class RegisterTables {
    private RegisterTables() {}

    /** Every stored item. The caller chooses the transaction (one consistent snapshot for a reload). */
    static RegisterSnapshot load(Connection c) throws SQLException {
        RegisterSnapshot.Builder b = RegisterSnapshot.builder();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id, name, sector FROM register_organisations ORDER BY id")) {
                while (rs.next()) {
                    b.organisation(new Organisation(rs.getString(1), rs.getString(2),
                            code(rs.getString(3), Sector::fromCode, "sector")));
                }
            }
            try (ResultSet rs = s.executeQuery(
                    "SELECT id, name, role, organisation, nhs_number FROM register_people ORDER BY id")) {
                while (rs.next()) {
                    String nhs = rs.getString(5);
                    b.person(new Person(rs.getString(1), rs.getString(2), code(rs.getString(3), Role::fromCode, "role"),
                            rs.getString(4), nhs == null ? null : new NhsNumber(nhs)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT patient, organisation, kind, valid_from, valid_to "
                    + "FROM register_care_relationships ORDER BY patient, organisation, valid_from")) {
                while (rs.next()) {
                    b.careRelationship(new CareRelationship(new NhsNumber(rs.getString(1)), rs.getString(2),
                            code(rs.getString(3), CareRelationship.Kind::fromCode, "kind"),
                            date(rs, 4), date(rs, 5)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT proxy, patient, scope, valid_from, valid_to "
                    + "FROM register_proxies ORDER BY patient, proxy, valid_from")) {
                while (rs.next()) {
                    b.proxy(new Proxy(rs.getString(1), new NhsNumber(rs.getString(2)),
                            code(rs.getString(3), Proxy.Scope::fromCode, "scope"), date(rs, 4), date(rs, 5)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT " + PROJECT_COLUMNS + " FROM register_projects ORDER BY id")) {
                while (rs.next()) {
                    b.project(project(rs));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT id, item::text FROM register_agreements ORDER BY id")) {
                while (rs.next()) {
                    b.agreement(agreement(rs.getString(1), rs.getString(2)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT " + HOSTING_COLUMNS + " FROM register_hosting ORDER BY id")) {
                while (rs.next()) {
                    b.hostingSite(hostingSite(rs));
                }
            }
        }
        return b.build();
    }

    /** The columns {@link #project} reads, in its order, for a SELECT that may add its own after them. */
    static final String PROJECT_COLUMNS = "id, organisation, purpose, form, status, approved_from, approved_until, ethics_reference, "
            + "lead_name, lead_role, public_benefit, outputs::text";

    /** The project in the current row of a SELECT that begins with {@link #PROJECT_COLUMNS}. */
    static Project project(ResultSet rs) throws SQLException {
        String id = rs.getString(1);
        String leadName = rs.getString(9);
        try {
            Project.Lead lead = leadName == null ? null : new Project.Lead(leadName, rs.getString(10));
            return new Project(id, rs.getString(2), code(rs.getString(3), Purpose::fromCode, "purpose"),
                    code(rs.getString(4), DataForm::fromCode, "form"), code(rs.getString(5), Project.Status::fromCode, "status"),
                    date(rs, 6), date(rs, 7), rs.getString(8), lead, rs.getString(11), outputs(rs.getString(12)));
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            // A row this version's checks refuse (written by a newer one?) makes the registers unreadable, not half-read.
            throw new SQLException("the registers hold project \"" + id + "\" in a form this version cannot read: " + e.getMessage(), e);
        }
    }

    /** A project's stored outputs, their wire form ({@link RegisterWire#outputs}). */
    private static List<Project.Output> outputs(String json) {
        List<Project.Output> outputs = new ArrayList<>();
        for (Object o : (List<?>) CanonicalJson.parse(json)) {
            Map<?, ?> m = (Map<?, ?>) o;
            outputs.add(new Project.Output((String) m.get("title"), (String) m.get("url")));
        }
        return outputs;
    }

    /** The columns {@link #hostingSite} reads, in its order, for a SELECT that may add its own after them. */
    static final String HOSTING_COLUMNS = "id, role, country, provider, organisation, description";

    /** The hosting site in the current row of a SELECT that begins with {@link #HOSTING_COLUMNS}. */
    static HostingSite hostingSite(ResultSet rs) throws SQLException {
        String id = rs.getString(1);
        try {
            return new HostingSite(id, code(rs.getString(2), HostingSite.SiteRole::fromCode, "hosting role"), rs.getString(3), rs.getString(4),
                    rs.getString(5), rs.getString(6));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SQLException("the registers hold hosting site \"" + id + "\" in a form this version cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * A stored agreement, read back from its wire form by the register file's own reader, so that the two can never
     * read it differently; one it refuses (written by a newer version?) makes the registers unreadable.
     */
    static Agreement agreement(String id, String item) throws SQLException {
        byte[] file = ("{\"agreements\":[" + item + "]}").getBytes(StandardCharsets.UTF_8);
        RegisterDocument d = RegisterDocument.parse(file);
        if (!d.problems().isEmpty() || d.agreements().size() != 1) {
            throw new SQLException("the registers hold agreement \"" + id + "\" in a form this version cannot read: " + d.problems());
        }
        return d.agreements().get(0);
    }

    private static LocalDate date(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, LocalDate.class);
    }

    /** A stored code this version does not know (written by a newer one?) makes the registers unreadable. */
    static <E> E code(String stored, Function<String, Optional<E>> lookup, String what) throws SQLException {
        return lookup.apply(stored).orElseThrow(() -> new SQLException("the registers hold an unknown " + what
                + " \"" + stored + "\" (written by a newer version of Custodian?)"));
    }

    /**
     * Takes the NHS numbers of these people away before they are rewritten, so that numbers moving
     * between people in one file never meet the unique constraint half-way. (Numbers that stored
     * relationships or proxies refer to cannot move; see {@link References}.)
     */
    static void releaseNhsNumbers(Connection c, Collection<String> personIds) throws SQLException {
        if (personIds.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE register_people SET nhs_number = NULL WHERE id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", personIds.toArray()));
            ps.executeUpdate();
        }
    }

    /** Inserts or replaces one item, recording the ledger entry that wrote it. */
    static void write(Connection c, Object item, long ledgerIndex, Instant at) throws SQLException {
        if (item instanceof Organisation o) {
            upsert(c, "INSERT INTO register_organisations (id, name, sector, ledger_index, updated_at) VALUES (?, ?, ?, ?, ?) "
                    + "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, sector = EXCLUDED.sector, "
                    + "ledger_index = EXCLUDED.ledger_index, updated_at = EXCLUDED.updated_at",
                    ledgerIndex, at, o.id(), o.name(), o.sector().code());
        } else if (item instanceof Person p) {
            upsert(c, "INSERT INTO register_people (id, name, role, organisation, nhs_number, ledger_index, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, "
                    + "role = EXCLUDED.role, organisation = EXCLUDED.organisation, nhs_number = EXCLUDED.nhs_number, "
                    + "ledger_index = EXCLUDED.ledger_index, updated_at = EXCLUDED.updated_at",
                    ledgerIndex, at, p.id(), p.name(), p.role().code(), p.organisation(),
                    p.nhsNumber() == null ? null : p.nhsNumber().value());
        } else if (item instanceof CareRelationship r) {
            upsert(c, "INSERT INTO register_care_relationships (patient, organisation, valid_from, valid_to, kind, "
                    + "ledger_index, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (patient, organisation, valid_from) DO UPDATE SET valid_to = EXCLUDED.valid_to, "
                    + "kind = EXCLUDED.kind, ledger_index = EXCLUDED.ledger_index, updated_at = EXCLUDED.updated_at",
                    ledgerIndex, at, r.patient().value(), r.organisation(), r.from(), r.to(), r.kind().code());
        } else if (item instanceof Proxy p) {
            upsert(c, "INSERT INTO register_proxies (proxy, patient, valid_from, valid_to, scope, ledger_index, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (proxy, patient, valid_from) DO UPDATE SET "
                    + "valid_to = EXCLUDED.valid_to, scope = EXCLUDED.scope, ledger_index = EXCLUDED.ledger_index, "
                    + "updated_at = EXCLUDED.updated_at",
                    ledgerIndex, at, p.proxy(), p.patient().value(), p.from(), p.to(), p.scope().code());
        } else if (item instanceof Project p) {
            upsert(c, "INSERT INTO register_projects (id, organisation, purpose, form, status, approved_from, approved_until, "
                    + "ethics_reference, lead_name, lead_role, public_benefit, outputs, ledger_index, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?) "
                    + "ON CONFLICT (id) DO UPDATE SET organisation = EXCLUDED.organisation, purpose = EXCLUDED.purpose, "
                    + "form = EXCLUDED.form, status = EXCLUDED.status, approved_from = EXCLUDED.approved_from, "
                    + "approved_until = EXCLUDED.approved_until, ethics_reference = EXCLUDED.ethics_reference, "
                    + "lead_name = EXCLUDED.lead_name, lead_role = EXCLUDED.lead_role, public_benefit = EXCLUDED.public_benefit, "
                    + "outputs = EXCLUDED.outputs, ledger_index = EXCLUDED.ledger_index, updated_at = EXCLUDED.updated_at",
                    ledgerIndex, at, p.id(), p.organisation(), p.purpose().code(), p.form().code(), p.status().code(),
                    p.approvedFrom(), p.approvedUntil(), p.ethicsReference(), p.lead() == null ? null : p.lead().name(),
                    p.lead() == null ? null : p.lead().role(), p.publicBenefit(),
                    CanonicalJson.canonicalString(RegisterWire.outputs(p.outputs())));
        } else if (item instanceof Agreement a) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO register_agreements (id, partner, status, valid_from, valid_to, "
                    + "item, ledger_index, updated_at) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                    + "partner = EXCLUDED.partner, status = EXCLUDED.status, valid_from = EXCLUDED.valid_from, "
                    + "valid_to = EXCLUDED.valid_to, item = EXCLUDED.item, ledger_index = EXCLUDED.ledger_index, "
                    + "updated_at = EXCLUDED.updated_at")) {
                ps.setString(1, a.id());
                ps.setString(2, a.partner());
                ps.setString(3, a.status().code());
                ps.setObject(4, a.from());
                ps.setObject(5, a.to());
                ps.setString(6, new String(CanonicalJson.canonicalize(RegisterWire.agreement(a)), StandardCharsets.UTF_8));
                ps.setLong(7, ledgerIndex);
                ps.setTimestamp(8, Timestamp.from(at));
                ps.executeUpdate();
            }
        } else if (item instanceof HostingSite h) {
            upsert(c, "INSERT INTO register_hosting (id, role, country, provider, organisation, description, ledger_index, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET role = EXCLUDED.role, country = EXCLUDED.country, "
                    + "provider = EXCLUDED.provider, organisation = EXCLUDED.organisation, description = EXCLUDED.description, "
                    + "ledger_index = EXCLUDED.ledger_index, updated_at = EXCLUDED.updated_at",
                    ledgerIndex, at, h.id(), h.role().code(), h.country(), h.provider(), h.organisation(), h.description());
        } else {
            throw new IllegalArgumentException("not a register item: " + item.getClass().getName());
        }
    }

    /** Binds {@code values}, then the ledger index and time, in that order. */
    private static void upsert(Connection c, String sql, long ledgerIndex, Instant at, Object... values)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (Object value : values) {
                if (value == null) {
                    ps.setNull(i++, Types.NULL);
                } else if (value instanceof LocalDate d) {
                    ps.setObject(i++, d);
                } else {
                    ps.setString(i++, (String) value);
                }
            }
            ps.setLong(i++, ledgerIndex);
            ps.setTimestamp(i, Timestamp.from(at));
            ps.executeUpdate();
        }
    }
}
