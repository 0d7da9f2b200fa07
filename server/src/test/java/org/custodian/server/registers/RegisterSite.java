package org.custodian.server.registers;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import org.custodian.core.registers.Agreement;
import org.custodian.core.vocabulary.SensitiveCategory;
import java.util.Map;
import javax.sql.DataSource;
import org.custodian.core.registers.CareRelationship;
import org.custodian.core.registers.HostingSite;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Project;
import org.custodian.core.registers.Proxy;
import org.custodian.core.registers.PublicRegisters;
import org.custodian.core.registers.RegisterDocument;
import org.custodian.core.registers.RegisterStore;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.log.LogConfig;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.testing.Eventually;
import org.custodian.server.CustodianServer;
import org.custodian.server.home.HomePage;
import org.custodian.server.pages.Stylesheet;
import org.custodian.server.receipts.ReceiptRoutes;

/**
 * A real server on a real PostgreSQL whose registers were loaded through {@link RegisterStore#apply}:
 * organisations of several sectors (some with hostile names), people, patients with NHS numbers, care
 * relationships and a proxy (none of which may ever be published), and projects in every status.
 */
final class RegisterSite implements AutoCloseable {
    static final String ORIGIN = "registers.test/log";

    /** What must never appear in a public register: people's ids and names, and patients' NHS numbers. */
    static final List<String> PRIVATE = List.of("dr-okafor", "Ngozi Okafor", "patient-ada", "Ada Quillfeather", "patient-ben",
            "Benedict Marrowby", "9848506950", "984 850 6950", "9284308860", "928 430 8860");

    static final List<Organisation> ORGANISATIONS = List.of(
            new Organisation("A99001", "Riverside Medical Practice", Sector.NHS_CARE),
            new Organisation("RX1", "Ysbyty Gwynedd \u2013 Bwrdd Iechyd Prifysgol Betsi Cadwaladr", Sector.NHS_CARE),
            new Organisation("QHM", "North East and North Cumbria ICB", Sector.NHS_COMMISSIONER),
            new Organisation("univ-northfield", "University of Northfield", Sector.PUBLIC_RESEARCH),
            new Organisation("la-northfield", "Northfield City Council, Adult Social Care", Sector.LOCAL_AUTHORITY),
            new Organisation("home-office", "Home Office", Sector.OTHER_GOVERNMENT),
            new Organisation("acme-analytics", "=HYPERLINK(\"http://evil.example/\",\"Click\")", Sector.PRIVATE_COMPANY),
            new Organisation("plus-data", "+44 Data \"Insights\", Ltd <script>alert(1)</script>", Sector.PRIVATE_COMPANY),
            new Organisation("minus", "-2+3 Consulting", Sector.PRIVATE_COMPANY),
            new Organisation("at-corp", "@SUM(1+1) Corp", Sector.PRIVATE_COMPANY),
            new Organisation("cqc", "Care Quality Commission", Sector.REGULATOR));

    /**
     * Projects in every status. Two state every public detail (one with hostile text in each, for the CSV's formula guard
     * and the page's escaping); the rest were registered before the details existed and state none.
     */
    static final List<Project> PROJECTS = List.of(
            new Project("diabetes-outcomes", "univ-northfield", Purpose.HRESCH, DataForm.PSEUDONYMISED, Project.Status.APPROVED,
                    LocalDate.parse("2025-10-01"), LocalDate.parse("2027-12-31"), "REC 25/NW/0123",
                    new Project.Lead("Professor Rhiannon Price", "Chief investigator"),
                    "Which missed diabetes checks come before sight loss and amputation, and who misses them.\n\n"
                            + "Findings go to GP practices, \"openly\", to invite those most at risk first.",
                    List.of(new Project.Output("Study protocol, version 2.1", "https://research.northfield.example/diabetes/protocol.pdf"),
                            new Project.Output("Interim findings", "https://research.northfield.example/diabetes/interim?year=2026&format=pdf"),
                            new Project.Output("Final report (expected 2028)", null))),
            new Project("frailty-planning", "QHM", Purpose.POPHLTH, DataForm.AGGREGATE, Project.Status.APPROVED, null,
                    LocalDate.parse("2026-09-30"), null, null, null, List.of()),
            new Project("asthma-trial", "univ-northfield", Purpose.CLINTRCH, DataForm.IDENTIFIABLE, Project.Status.PENDING,
                    LocalDate.parse("2026-04-01"), LocalDate.parse("2028-03-31"), "=cmd|' /C calc'!A0",
                    new Project.Lead("=HYPERLINK(\"https://evil.example/\",\"Lead\")", "-1+2 Responsible officer"),
                    "+Benefit <script>alert(1)</script>, for everyone",
                    List.of(new Project.Output("@SUM(1+1) results <b>bold</b>", "https://evil.example/r?a=1&b=%22x%22'y"),
                            new Project.Output("-Second | output", null))),
            new Project("care-homes", "la-northfield", Purpose.PUBHLTH, DataForm.AGGREGATE, Project.Status.SUSPENDED, null,
                    LocalDate.parse("2026-12-31"), "IRAS 301234", null, null, List.of()),
            new Project("old-audit", "A99001", Purpose.HQUALIMP, DataForm.PSEUDONYMISED, Project.Status.ENDED, null,
                    LocalDate.parse("2025-01-31"), "REC 22/YH/0001", null, null, List.of()),
            new Project("acme-insights", "acme-analytics", Purpose.HRESCH, DataForm.PSEUDONYMISED, Project.Status.REFUSED, null,
                    LocalDate.parse("2026-06-30"), "REC, \"withdrawn\"", null, null, List.of()));

    static final List<Agreement> AGREEMENTS = List.of(
            new Agreement("dsa-univ-research", "Research on long-term conditions", "univ-northfield", List.of(), Set.of(Purpose.HRESCH),
                    DataForm.PSEUDONYMISED, List.of("Observation", "Condition"), Set.of(SensitiveCategory.PSY),
                    "UK GDPR Article 6(1)(e); Article 9(2)(j)", true, LocalDate.parse("2025-10-01"), LocalDate.parse("2027-12-31"),
                    Agreement.Status.ACTIVE, List.of()),
            new Agreement("dsa-icb-platform", "Planning platform, \"phase 2\"", "QHM", List.of("acme-analytics", "plus-data"),
                    Set.of(Purpose.HOPERAT, Purpose.POPHLTH), DataForm.AGGREGATE, List.of("Encounter"), Set.of(),
                    "NHS Act 2006 s.14Z61", true, LocalDate.parse("2026-04-01"), null, Agreement.Status.SUSPENDED,
                    List.of(new Agreement.Payment(Agreement.Payment.Direction.TO_PARTNER, "Platform licence", "GBP 240,000 a year"),
                            new Agreement.Payment(Agreement.Payment.Direction.FROM_PARTNER, "Free analytics training", null))));

    /**
     * Where the operator declares the data is hosted: a site of its own with no organisation, a private company's (a processor,
     * whose registered name is hostile), and hostile text in a provider and a description.
     */
    static final List<HostingSite> HOSTING = List.of(
            new HostingSite("northfield-dc", HostingSite.SiteRole.PRIMARY, "United Kingdom", "Northfield City Council data centre", null,
                    "Run by the council's own staff.\n\nNo other tenant."),
            new HostingSite("acme-backup", HostingSite.SiteRole.BACKUP, "United Kingdom", "Acme cloud, London region", "acme-analytics", null),
            new HostingSite("dr-site", HostingSite.SiteRole.DISASTER_RECOVERY, "Ireland", "=HYPERLINK(\"https://evil.example/\",\"DR\")",
                    "cqc", "+Standby <script>alert(1)</script>"));

    final PostgresForTests postgres;
    final DataSource database;
    final TransparencyLog log;
    final CustodianServer server;

    private RegisterSite(PostgresForTests postgres, DataSource database, TransparencyLog log, CustodianServer server) {
        this.postgres = postgres;
        this.database = database;
        this.log = log;
        this.server = server;
    }

    static RegisterSite start(Path dir) throws Exception {
        PostgresForTests postgres = PostgresForTests.start(dir.resolve("pg"));
        DataSource ds = postgres.newDatabase();
        NhsNumber ada = new NhsNumber("9848506950");
        NhsNumber ben = new NhsNumber("9284308860");
        try (RegisterStore store = RegisterStore.open(ds)) {
            store.apply(RegisterDocument.of(ORGANISATIONS,
                    List.of(new Person("dr-okafor", "Dr Ngozi Okafor", Role.CLINICIAN, "A99001", null),
                            new Person("patient-ada", "Ada Quillfeather", Role.PATIENT, "A99001", ada),
                            new Person("patient-ben", "Benedict Marrowby", Role.PATIENT, "A99001", ben)),
                    List.of(new CareRelationship(ada, "A99001", CareRelationship.Kind.REGISTERED, LocalDate.parse("2015-04-01"), null),
                            new CareRelationship(ben, "RX1", CareRelationship.Kind.EPISODE, LocalDate.parse("2026-01-01"),
                                    LocalDate.parse("2026-01-09"))),
                    List.of(new Proxy("patient-ben", ada, Proxy.Scope.FULL, LocalDate.parse("2025-06-01"), null)),
                    PROJECTS, AGREEMENTS, HOSTING));
            // A second change, so that rows carry different ledger entries: the practice is renamed.
            store.apply(RegisterDocument.of(List.of(new Organisation("A99001", "Riverside Medical Practice (merged)",
                    Sector.NHS_CARE)), List.of(), List.of(), List.of(), List.of()));
        }
        NoteSigner key = NoteSigner.generate(ORIGIN);
        TransparencyLog log = TransparencyLog.open(new PostgresLogStore(ds), key, new LogConfig(ORIGIN, Duration.ofMillis(50), 256, 4096, true));
        long appended = log.appendedSize();
        Eventually.await("a checkpoint of every register change", Duration.ofSeconds(20),
                () -> log.latestCheckpoint().map(c -> c.size() == appended).orElse(false));
        CustodianServer server = CustodianServer.start("127.0.0.1", 0, List.of(
                new HomePage(log)::register, Stylesheet::register, new ReceiptRoutes(log)::register,
                new RegisterPages(new PublicRegisters(ds), log, Clock.systemUTC())::register));
        return new RegisterSite(postgres, ds, log, server);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** A table's rows straight from SQL, each column by name (timestamps as ISO instants), in the order given. */
    List<Map<String, String>> rows(String sql) throws SQLException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Connection c = database.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    row.put(rs.getMetaData().getColumnLabel(i), v == null ? null
                            : v instanceof java.sql.Timestamp t ? t.toInstant().toString() : v.toString());
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Override
    public void close() {
        server.close();
        log.close();
        postgres.close();
    }
}
