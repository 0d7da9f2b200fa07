package org.custodian.core.registers;

import static org.custodian.core.registers.TestRegisterFile.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Applying register documents to PostgreSQL: all or nothing, idempotent, every change in the ledger. */
class TestRegisterStore {
    private static final String[] TABLES = {"register_organisations", "register_people", "register_care_relationships",
        "register_proxies", "register_projects", "register_agreements", "register_hosting", "ledger_entries"};
    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30.123Z");

    @TempDir
    static Path dir;
    private static PostgresForTests postgres;

    private HikariDataSource database;
    private RegisterStore store;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresForTests.start(dir.resolve("pg"));
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void newDatabase() {
        database = postgres.newDatabase();
        store = RegisterStore.open(database, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @org.junit.jupiter.api.AfterEach
    void closeStore() {
        store.close();
    }

    private static RegisterDocument example() throws Exception {
        return RegisterDocument.parse(Files.readAllBytes(TestRegisterFile.exampleFile()));
    }

    private ApplyResult apply(String singleQuoted) throws RegisterRefusedException {
        return store.apply(RegisterDocument.parse(json(singleQuoted)));
    }

    record Bad(String document, List<String> problems) {}

    /** Refused against the example registers: references, NHS numbers in use, and file problems alongside. */
    static final List<Bad> BAD = List.of(
            new Bad("{'people':[{'id':'dr-new','name':'Dr New','role':'clinician','organisation':'NOPE'}]}",
                    List.of("people[0] (\"dr-new\"): organisation \"NOPE\" is neither in this file nor in the registers")),
            new Bad("{'careRelationships':[{'patient':'9434765013','organisation':'A99001','from':'2024-01-01'}]}",
                    List.of("careRelationships[0]: patient 9434765013 is not the NHS number of a person in this file or in the registers")),
            new Bad("{'careRelationships':[{'patient':'9434765919','organisation':'B1','from':'2024-01-01'}]}",
                    List.of("careRelationships[0]: organisation \"B1\" is neither in this file nor in the registers")),
            new Bad("{'proxies':[{'proxy':'nobody','patient':'9434765013','scope':'read','from':'2024-01-01'}]}",
                    List.of("proxies[0]: proxy \"nobody\" is neither a person in this file nor in the registers",
                            "proxies[0]: patient 9434765013 is not the NHS number of a person in this file or in the registers")),
            new Bad("{'proxies':[{'proxy':'patient-ada','patient':'9434765919','scope':'read','from':'2024-01-01'}]}",
                    List.of("proxies[0]: \"patient-ada\" cannot be their own proxy")),
            new Bad("{'projects':[{'id':'p1','organisation':'nope','purpose':'HRESCH','form':'aggregate','status':'pending',"
                    + "'approvedUntil':'2030-01-01'}]}",
                    List.of("projects[0] (\"p1\"): organisation \"nope\" is neither in this file nor in the registers")),
            new Bad("{'hosting':[{'id':'dc1','role':'primary','country':'United Kingdom','provider':'Nope Ltd','organisation':'nope'}]}",
                    List.of("hosting[0] (\"dc1\"): organisation \"nope\" is neither in this file nor in the registers")),
            new Bad("{'hosting':[{'id':'northfield-dc','role':'primary','country':'United Kingdom','provider':'P','description':'" + "x".repeat(1001)
                    + "'}]}", List.of("hosting[0] (\"northfield-dc\"): \"description\" is 1001 characters long; it may be at most 1000")),
            new Bad("{'people':[{'id':'patient-eve','name':'Eve','role':'patient','organisation':'A99001','nhsNumber':'9434765919'}]}",
                    List.of("people[0] (\"patient-eve\"): NHS number 9434765919 is also that of \"patient-ada\" in the registers")),
            new Bad("{'people':[{'id':'p1','name':'P1','role':'patient','organisation':'A99001','nhsNumber':'9434765013'},"
                    + "{'id':'p2','name':'P2','role':'patient','organisation':'A99001','nhsNumber':'943 476 5013'}]}",
                    List.of("people[0] (\"p1\"): NHS number 9434765013 is also that of people[1] (\"p2\")",
                            "people[1] (\"p2\"): NHS number 9434765013 is also that of people[0] (\"p1\")")),
            new Bad("{'people':[{'id':'patient-ada','name':'Ada Lovelace','role':'patient','organisation':'A99001',"
                    + "'nhsNumber':'9434765013'}]}",
                    List.of("people[0] (\"patient-ada\"): the NHS number cannot change from 9434765919 while "
                            + "2 care relationships and 1 proxy in the registers refer to it")),
            new Bad("{'people':[{'id':'patient-ada','name':'Ada Lovelace','role':'clinician','organisation':'A99001'}]}",
                    List.of("people[0] (\"patient-ada\"): the NHS number cannot change from 9434765919 while "
                            + "2 care relationships and 1 proxy in the registers refer to it")),
            // A file problem and a reference problem: both reported; the valid organisation is not written either.
            new Bad("{'organisations':[{'id':'N1','name':'New','sector':'nhs-care'},{'id':'N2','name':'Bad','sector':'bank'}],"
                    + "'people':[{'id':'dr-x','name':'X','role':'clinician','organisation':'N3'},"
                    + "{'id':'dr-y','name':'Y','role':'clinician','organisation':'N2'}]}",
                    List.of("organisations[1] (\"N2\"): unknown sector \"bank\" (one of: nhs-care, nhs-commissioner, public-research, "
                            + "local-authority, other-government, private-company, regulator)",
                            "people[0] (\"dr-x\"): organisation \"N3\" is neither in this file nor in the registers")),
            new Bad("{'organisations':[{'id':'N1','name':'New','sector':'nhs-care'}],'people':[{'id':'x'}]}",
                    List.of("people[0] (\"x\"): missing required field \"name\"", "people[0] (\"x\"): missing required field \"role\"",
                            "people[0] (\"x\"): missing required field \"organisation\"")),
            new Bad("{'organisations':[{'id':'N1','name':'New','sector':'nhs-care'}]", List.of(
                    "invalid JSON at line 1, column 64: expected '}'")),
            // A project's public details, each wrong on its own, in an update of the example's project: nothing of it is written.
            new Bad(diabetesOutcomes("'publicBenefit':'" + "x".repeat(2001) + "'"),
                    List.of("projects[0] (\"diabetes-outcomes\"): \"publicBenefit\" is 2001 characters long; it may be at most 2000")),
            new Bad(diabetesOutcomes("'approvedFrom':'2028-01-01'"),
                    List.of("projects[0] (\"diabetes-outcomes\"): \"approvedFrom\" (2028-01-01) is after \"approvedUntil\" (2027-12-31)")),
            new Bad(diabetesOutcomes("'outputs':[{'title':'Protocol','url':'http://research.northfield.example/protocol.pdf'}]"),
                    List.of("projects[0] (\"diabetes-outcomes\"): outputs[0]: the \"url\" must be an https:// address, "
                            + "not \"http://research.northfield.example/protocol.pdf\"")));

    /** The example's project with these members instead of its public details. */
    static String diabetesOutcomes(String members) {
        return "{'projects':[{'id':'diabetes-outcomes','organisation':'univ-northfield','purpose':'HRESCH','form':'pseudonymised',"
                + "'status':'approved','approvedUntil':'2027-12-31','ethicsReference':'REC 25/NW/0123'"
                + (members.isEmpty() ? "" : "," + members) + "}]}";
    }

    @Test
    void badDocumentsAreRefusedNamingEachItemAndNothingIsWritten() throws Exception {
        store.apply(example());
        Map<String, String> before = dump(database);
        long sequence = ledgerSequence(database);
        for (Bad bad : BAD) {
            RegisterRefusedException refused = assertThrows(RegisterRefusedException.class,
                    () -> apply(bad.document()), bad.document());
            assertEquals(bad.problems(), refused.problems(), bad.document());
            assertEquals(before, dump(database), "nothing written: " + bad.document());
            assertEquals(sequence, ledgerSequence(database), "not even a ledger index taken: " + bad.document());
        }
        assertTrue(store.organisation("N1").isEmpty());
    }

    @Test
    void aValidDocumentIsAppliedAndApplyingItAgainAppendsNothing() throws Exception {
        ApplyResult first = store.apply(example());
        assertEquals(new ApplyResult.Counts(9, 0, 0), first.counts(Register.ORGANISATIONS));
        assertEquals(new ApplyResult.Counts(13, 0, 0), first.counts(Register.PEOPLE));
        assertEquals(new ApplyResult.Counts(3, 0, 0), first.counts(Register.CARE_RELATIONSHIPS));
        assertEquals(new ApplyResult.Counts(1, 0, 0), first.counts(Register.PROXIES));
        assertEquals(new ApplyResult.Counts(1, 0, 0), first.counts(Register.PROJECTS));
        assertEquals(new ApplyResult.Counts(3, 0, 0), first.counts(Register.AGREEMENTS));
        assertEquals(new ApplyResult.Counts(3, 0, 0), first.counts(Register.HOSTING));
        assertEquals(33, first.ledgerIndexes().size());
        assertEquals(33L, count(database, "ledger_entries"));

        // Each change is a register.change entry naming the register, the key and the new values.
        PostgresLogStore ledger = new PostgresLogStore(database);
        LedgerEntry firstEntry = LedgerEntry.parse(ledger.content(first.ledgerIndexes().get(0)).orElseThrow());
        assertEquals("register.change", firstEntry.type());
        assertEquals(NOW.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), firstEntry.time());
        assertEquals(Map.of("register", "organisations", "action", "added", "id", "A99001",
                "item", Map.of("id", "A99001", "name", "Riverside Medical Practice", "sector", "nhs-care")), firstEntry.fields());
        LedgerEntry relationship = LedgerEntry.parse(ledger.content(first.ledgerIndexes().get(22)).orElseThrow());
        assertEquals(Map.of("register", "careRelationships", "action", "added", "patient", "9434765919",
                "organisation", "A99001", "from", "2015-04-01", "item", Map.of("patient", "9434765919",
                        "organisation", "A99001", "kind", "registered", "from", "2015-04-01")), relationship.fields());

        // This process sees its own change at once.
        NhsNumber ada = new NhsNumber("9434765919");
        assertEquals("patient-ada", store.patient(ada).orElseThrow().id());
        assertEquals(2, store.careRelationships(ada).size());
        assertEquals(Proxy.Scope.FULL, store.proxies(ada).get(0).scope());
        assertEquals(Sector.PRIVATE_COMPANY, store.organisation("acme-analytics").orElseThrow().sector());
        assertTrue(store.project("diabetes-outcomes").orElseThrow().inForce(LocalDate.of(2027, 1, 1)));

        Map<String, String> stored = dump(database);
        ApplyResult again = store.apply(example());
        assertFalse(again.changedAnything());
        assertEquals(new ApplyResult.Counts(0, 0, 13), again.counts(Register.PEOPLE));
        assertEquals(new ApplyResult.Counts(0, 0, 3), again.counts(Register.CARE_RELATIONSHIPS));
        assertEquals(new ApplyResult.Counts(0, 0, 3), again.counts(Register.AGREEMENTS));
        assertEquals(new ApplyResult.Counts(0, 0, 3), again.counts(Register.HOSTING));
        assertEquals(stored, dump(database), "applying the same file again changes nothing, not even updated_at");
        assertEquals(33L, count(database, "ledger_entries"));
    }

    @Test
    void anUpdateIsOneLedgerEntrySayingWhatChanged() throws Exception {
        store.apply(example());
        ApplyResult result = apply("""
                {'people':[{'id':'dr-okafor','name':'Dr Ngozi Okafor-Bell','role':'caldicott-guardian','organisation':'A99001'},
                           {'id':'reception-jones','name':'Carys Jones','role':'reception','organisation':'A99001'}],
                 'careRelationships':[{'patient':'9434765870','organisation':'A99001','from':'2019-09-12','to':'2026-02-28',
                                       'kind':'registered'}]}""");
        assertEquals(new ApplyResult.Counts(0, 1, 1), result.counts(Register.PEOPLE));
        assertEquals(new ApplyResult.Counts(0, 1, 0), result.counts(Register.CARE_RELATIONSHIPS));
        assertEquals(2, result.ledgerIndexes().size());

        PostgresLogStore ledger = new PostgresLogStore(database);
        LedgerEntry person = LedgerEntry.parse(ledger.content(result.ledgerIndexes().get(0)).orElseThrow());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("register", "people");
        expected.put("action", "updated");
        expected.put("id", "dr-okafor");
        expected.put("changed", List.of("name", "role"));
        expected.put("item", Map.of("id", "dr-okafor", "name", "Dr Ngozi Okafor-Bell", "role", "caldicott-guardian",
                "organisation", "A99001"));
        expected.put("previous", Map.of("id", "dr-okafor", "name", "Dr Ngozi Okafor", "role", "clinician",
                "organisation", "A99001"));
        assertEquals(expected, person.fields());
        LedgerEntry ended = LedgerEntry.parse(ledger.content(result.ledgerIndexes().get(1)).orElseThrow());
        assertEquals(List.of("to"), ended.fields().get("changed"));

        assertEquals(result.ledgerIndexes().get(0), queryLong(database,
                "SELECT ledger_index FROM register_people WHERE id = 'dr-okafor'"), "the row names the entry that wrote it");
        assertEquals(Role.CALDICOTT_GUARDIAN, store.person("dr-okafor").orElseThrow().role());
        assertEquals(LocalDate.of(2026, 2, 28), store.careRelationships(new NhsNumber("9434765870")).get(0).to());
    }

    @Test
    void referencesResolveFromTheDatabaseOnASecondFile() throws Exception {
        apply("""
                {'organisations':[{'id':'A1','name':'Practice','sector':'nhs-care'},{'id':'U1','name':'University','sector':'public-research'}],
                 'people':[{'id':'ada','name':'Ada','role':'patient','organisation':'A1','nhsNumber':'9434765919'},
                           {'id':'ben','name':'Ben','role':'patient','organisation':'A1'}]}""");
        ApplyResult second = apply("""
                {'careRelationships':[{'patient':'9434765919','organisation':'A1','from':'2020-01-01'}],
                 'proxies':[{'proxy':'ben','patient':'9434765919','scope':'consent','from':'2020-01-01'}],
                 'projects':[{'id':'study','organisation':'U1','purpose':'HRESCH','form':'aggregate','status':'approved',
                              'approvedUntil':'2030-12-31'}],
                 'people':[{'id':'dr-who','name':'Dr Who','role':'clinician','organisation':'A1'}]}""");
        assertEquals(4, second.ledgerIndexes().size());
        assertEquals("ben", store.proxies(new NhsNumber("9434765919")).get(0).proxy());
    }

    @Test
    void nhsNumbersMayMoveBetweenPeopleWhenNothingRefersToThem() throws Exception {
        apply("""
                {'organisations':[{'id':'A1','name':'Practice','sector':'nhs-care'}],
                 'people':[{'id':'p1','name':'P1','role':'patient','organisation':'A1','nhsNumber':'9434765919'},
                           {'id':'p2','name':'P2','role':'patient','organisation':'A1','nhsNumber':'9434765870'}]}""");
        ApplyResult swapped = apply("""
                {'people':[{'id':'p1','name':'P1','role':'patient','organisation':'A1','nhsNumber':'9434765870'},
                           {'id':'p2','name':'P2','role':'patient','organisation':'A1','nhsNumber':'9434765919'}]}""");
        assertEquals(new ApplyResult.Counts(0, 2, 0), swapped.counts(Register.PEOPLE));
        assertEquals("p2", store.patient(new NhsNumber("9434765919")).orElseThrow().id());
        assertEquals("p1", store.patient(new NhsNumber("9434765870")).orElseThrow().id());
    }

    @Test
    void concurrentAppliesOfOneFileWriteItOnce() throws Exception {
        RegisterDocument document = example();
        List<RegisterStore> stores = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ApplyResult>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                // Separate stores on separate pools, as separate processes would be.
                RegisterStore other = RegisterStore.open(postgres.pool(database.getJdbcUrl()));
                stores.add(other);
                results.add(pool.submit((Callable<ApplyResult>) () -> other.apply(document)));
            }
            int written = 0;
            for (Future<ApplyResult> r : results) {
                written += r.get().ledgerIndexes().size();
            }
            assertEquals(33, written, "the changes were written once, by whichever apply came first");
            assertEquals(33L, count(database, "ledger_entries"));
            assertEquals(13L, count(database, "register_people"));
        } finally {
            pool.shutdownNow();
            stores.forEach(RegisterStore::close);
        }
    }

    @Test
    void aDocumentBuiltInCodeIsAppliedLikeAFile() throws Exception {
        NhsNumber ada = new NhsNumber("9434765919");
        ApplyResult result = store.apply(RegisterDocument.of(
                List.of(new Organisation("A1", "Practice", Sector.NHS_CARE)),
                List.of(new Person("ada", "Ada", Role.PATIENT, "A1", ada)),
                List.of(new CareRelationship(ada, "A1", CareRelationship.Kind.REGISTERED, LocalDate.of(2020, 1, 1), null)),
                List.of(), List.of()));
        assertEquals(3, result.ledgerIndexes().size());
        RegisterDocument invalid = RegisterDocument.of(List.of(), List.of(new Person("bob", "Bob", Role.PATIENT, "A2", null)),
                List.of(), List.of(), List.of());
        RegisterRefusedException refused = assertThrows(RegisterRefusedException.class, () -> store.apply(invalid));
        assertEquals(List.of("people[0] (\"bob\"): organisation \"A2\" is neither in this file nor in the registers"),
                refused.problems());
    }

    // ---- projects' public details ----

    @Test
    void aProjectsPublicDetailsRoundTripThroughTheDatabaseToTheGateAndThePublicRegisters() throws Exception {
        RegisterDocument example = example();
        store.apply(example);
        store.apply(RegisterDocument.of(List.of(new Organisation("U1", "University", Sector.PUBLIC_RESEARCH)), List.of(), List.of(), List.of(),
                List.of(TestRegisterFile.DETAILED)));
        Project documented = example.projects().get(0);
        assertTrue(documented.lead() != null && documented.publicBenefit().contains("\n\n") && documented.outputs().size() > 2
                && documented.outputs().stream().anyMatch(o -> o.url() == null), "the example states every detail: " + documented);
        for (Project expected : List.of(documented, TestRegisterFile.DETAILED)) {
            assertEquals(expected, store.project(expected.id()).orElseThrow(), "the gate's snapshot");
            assertEquals(expected, new PublicRegisters(database).read().projects().stream().map(PublicRegisters.Recorded::item)
                    .filter(p -> p.id().equals(expected.id())).findFirst().orElseThrow(), "the public registers");
        }
        // A fresh store reads exactly what was written: applying the same again changes nothing.
        try (RegisterStore reopened = RegisterStore.open(database)) {
            assertEquals(TestRegisterFile.DETAILED, reopened.project("p3").orElseThrow());
            ApplyResult again = reopened.apply(example);
            assertEquals(new ApplyResult.Counts(0, 0, 1), again.counts(Register.PROJECTS));
            assertFalse(again.changedAnything());
        }
    }

    @Test
    void aChangeToAProjectsPublicDetailsIsOneLedgerEntrySayingWhatChanged() throws Exception {
        store.apply(example());
        Project before = store.project("diabetes-outcomes").orElseThrow();
        Project changed = new Project(before.id(), before.organisation(), before.purpose(), before.form(), before.status(),
                before.approvedFrom(), before.approvedUntil(), before.ethicsReference(),
                new Project.Lead("Dr Tomasz Wilk", "Chief investigator (from March 2026)"), before.publicBenefit(),
                List.of(new Project.Output("Study protocol, version 3", "https://research.northfield.example/diabetes-outcomes/protocol-v3.pdf")));
        ApplyResult result = store.apply(RegisterDocument.of(List.of(), List.of(), List.of(), List.of(), List.of(changed)));
        assertEquals(new ApplyResult.Counts(0, 1, 0), result.counts(Register.PROJECTS));
        assertEquals(1, result.ledgerIndexes().size());

        LedgerEntry entry = LedgerEntry.parse(new PostgresLogStore(database).content(result.ledgerIndexes().get(0)).orElseThrow());
        assertEquals("register.change", entry.type());
        assertEquals("projects", entry.fields().get("register"));
        assertEquals("updated", entry.fields().get("action"));
        assertEquals("diabetes-outcomes", entry.fields().get("id"));
        assertEquals(List.of("lead", "outputs"), entry.fields().get("changed"));
        Map<?, ?> item = (Map<?, ?>) entry.fields().get("item");
        Map<?, ?> previous = (Map<?, ?>) entry.fields().get("previous");
        assertEquals(Map.of("name", "Dr Tomasz Wilk", "role", "Chief investigator (from March 2026)"), item.get("lead"));
        assertEquals(Map.of("name", before.lead().name(), "role", before.lead().role()), previous.get("lead"));
        assertEquals(List.of(Map.of("title", "Study protocol, version 3",
                "url", "https://research.northfield.example/diabetes-outcomes/protocol-v3.pdf")), item.get("outputs"));
        assertEquals(before.outputs().size(), ((List<?>) previous.get("outputs")).size());
        assertEquals(before.publicBenefit(), item.get("publicBenefit"));
        assertEquals(result.ledgerIndexes().get(0), queryLong(database,
                "SELECT ledger_index FROM register_projects WHERE id = 'diabetes-outcomes'"), "the row names the entry that wrote it");
        assertEquals("Dr Tomasz Wilk", store.project("diabetes-outcomes").orElseThrow().lead().name());

        // Taking the details away again is a change too, recorded the same way.
        ApplyResult cleared = apply(diabetesOutcomes("'approvedFrom':'2025-10-01'"));
        LedgerEntry clearing = LedgerEntry.parse(new PostgresLogStore(database).content(cleared.ledgerIndexes().get(0)).orElseThrow());
        assertEquals(List.of("lead", "outputs", "publicBenefit"), clearing.fields().get("changed"));
        Project now = store.project("diabetes-outcomes").orElseThrow();
        assertEquals(List.of(), now.outputs());
        assertEquals(null, now.lead());
    }

    @Test
    void aProjectStoredBeforeTheDetailsMigrationReadsWithNoneStatedAndItsFileStillAppliesUnchanged() throws Exception {
        // A database as version 15 left it, holding the example's project without any of the details.
        String name = "before_v16_" + System.nanoTime();
        PostgresForTests.sql(database, "CREATE DATABASE " + name);
        HikariDataSource old = postgres.pool(database.getJdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1"));
        org.flywaydb.core.Flyway.configure().dataSource(old).locations("classpath:db/migration").target("15").load().migrate();
        PostgresForTests.sql(old, "INSERT INTO register_organisations (id, name, sector, ledger_index, updated_at) "
                + "VALUES ('univ-northfield', 'University of Northfield', 'public-research', 0, now())");
        PostgresForTests.sql(old, "INSERT INTO register_projects (id, organisation, purpose, form, status, approved_until, ethics_reference, "
                + "ledger_index, updated_at) VALUES ('diabetes-outcomes', 'univ-northfield', 'HRESCH', 'pseudonymised', 'approved', "
                + "'2027-12-31', 'REC 25/NW/0123', 1, now())");

        org.flywaydb.core.Flyway.configure().dataSource(old).locations("classpath:db/migration").load().migrate();
        try (RegisterStore migrated = RegisterStore.open(old, Clock.fixed(NOW, ZoneOffset.UTC))) {
            Project p = migrated.project("diabetes-outcomes").orElseThrow();
            assertEquals(new Project("diabetes-outcomes", "univ-northfield", Purpose.HRESCH, DataForm.PSEUDONYMISED, Project.Status.APPROVED,
                    null, LocalDate.of(2027, 12, 31), "REC 25/NW/0123", null, null, List.of()), p);
            assertTrue(p.inForce(LocalDate.of(2026, 1, 1)), "no start stated: in force as before");
            ApplyResult same = migrated.apply(RegisterDocument.parse(json(diabetesOutcomes(""))));
            assertFalse(same.changedAnything(), "the old file describes the migrated row exactly");
            // and the constraints keep what no version may store out of it.
            SQLException backwards = assertThrows(SQLException.class, () -> execute(old,
                    "UPDATE register_projects SET approved_from = '2028-01-01'"));
            assertTrue(backwards.getMessage().contains("register_projects_approval_order"), backwards.getMessage());
            SQLException halfLead = assertThrows(SQLException.class, () -> execute(old, "UPDATE register_projects SET lead_name = 'X'"));
            assertTrue(halfLead.getMessage().contains("register_projects_lead_whole"), halfLead.getMessage());
        }
    }

    // ---- hosting ----

    @Test
    void hostingSitesRoundTripThroughTheDatabaseAndEachChangeIsOneRegisterChangeEntry() throws Exception {
        ApplyResult first = store.apply(example());
        List<HostingSite> declared = example().hosting();
        assertEquals(3, declared.size());
        assertEquals(declared.stream().sorted(java.util.Comparator.comparing(HostingSite::id)).toList(), store.snapshot().hosting(), "the snapshot");
        PublicRegisters.Reading reading = new PublicRegisters(database).read();
        assertEquals(declared.stream().sorted(java.util.Comparator.comparing(HostingSite::id)).toList(),
                reading.hosting().stream().map(PublicRegisters.Recorded::item).toList(), "the public registers");
        // The last three entries of the example are its sites, in file order, each a register.change like any other's.
        PostgresLogStore ledger = new PostgresLogStore(database);
        LedgerEntry added = LedgerEntry.parse(ledger.content(first.ledgerIndexes().get(30)).orElseThrow());
        assertEquals("register.change", added.type());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("register", "hosting");
        expected.put("action", "added");
        expected.put("id", "northfield-dc");
        expected.put("item", RegisterWire.hostingSite(declared.get(0)));
        assertEquals(expected, added.fields());
        assertEquals(first.ledgerIndexes().get(30), queryLong(database, "SELECT ledger_index FROM register_hosting WHERE id = 'northfield-dc'"));

        // The operator moves the backups abroad: one entry, naming what changed, with the values before.
        ApplyResult moved = apply("{'hosting':[{'id':'pennine-leeds','role':'backup','country':'Ireland',"
                + "'provider':'Pennine Cloud Services Ltd, Dublin data centre','organisation':'pennine-cloud'}]}");
        assertEquals(new ApplyResult.Counts(0, 1, 0), moved.counts(Register.HOSTING));
        assertEquals(1, moved.ledgerIndexes().size());
        LedgerEntry update = LedgerEntry.parse(ledger.content(moved.ledgerIndexes().get(0)).orElseThrow());
        assertEquals("hosting", update.fields().get("register"));
        assertEquals("updated", update.fields().get("action"));
        assertEquals("pennine-leeds", update.fields().get("id"));
        assertEquals(List.of("country", "description", "provider"), update.fields().get("changed"));
        assertEquals("United Kingdom", ((Map<?, ?>) update.fields().get("previous")).get("country"));
        assertEquals("Ireland", ((Map<?, ?>) update.fields().get("item")).get("country"));
        assertFalse(((Map<?, ?>) update.fields().get("item")).containsKey("description"), "a description taken away is absent, not null");
        try (RegisterStore reopened = RegisterStore.open(database)) {
            HostingSite now = reopened.snapshot().hosting().stream().filter(h -> h.id().equals("pennine-leeds")).findFirst().orElseThrow();
            assertEquals(new HostingSite("pennine-leeds", HostingSite.SiteRole.BACKUP, "Ireland", "Pennine Cloud Services Ltd, Dublin data centre",
                    "pennine-cloud", null), now);
        }
    }

    @Test
    void aRegisterFileWithoutHostingStillLoadsOnAMigratedDatabaseAndChangesNothingThere() throws Exception {
        // A database as version 16 left it, with the example's registers but no hosting table yet.
        String name = "before_v18_" + System.nanoTime();
        PostgresForTests.sql(database, "CREATE DATABASE " + name);
        HikariDataSource old = postgres.pool(database.getJdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1"));
        org.flywaydb.core.Flyway.configure().dataSource(old).locations("classpath:db/migration").target("16").load().migrate();
        PostgresForTests.sql(old, "INSERT INTO register_organisations (id, name, sector, ledger_index, updated_at) "
                + "VALUES ('univ-northfield', 'University of Northfield', 'public-research', 0, now())");
        org.flywaydb.core.Flyway.configure().dataSource(old).locations("classpath:db/migration").load().migrate();
        try (RegisterStore migrated = RegisterStore.open(old, Clock.fixed(NOW, ZoneOffset.UTC))) {
            assertEquals(List.of(), migrated.snapshot().hosting(), "nothing declared");
            assertEquals(List.of(), new PublicRegisters(old).read().hosting());
            String oldFile = "{'organisations':[{'id':'univ-northfield','name':'University of Northfield','sector':'public-research'}]}";
            ApplyResult same = migrated.apply(RegisterDocument.parse(json(oldFile)));
            assertFalse(same.changedAnything(), "an old file without the section changes nothing");
            assertEquals(new ApplyResult.Counts(0, 0, 0), same.counts(Register.HOSTING));
            assertEquals(0L, count(old, "register_hosting"));
            SQLException empty = assertThrows(SQLException.class, () -> execute(old, "INSERT INTO register_hosting (id, role, country, provider, "
                    + "ledger_index, updated_at) VALUES ('x', 'primary', '', 'P', 0, now())"));
            assertTrue(empty.getMessage().contains("register_hosting_country_check"), empty.getMessage());
        }
    }

    private static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    // ---- helpers ----

    /** Every row of every register table and of the ledger, as text, to compare before and after. */
    static Map<String, String> dump(DataSource ds) throws SQLException {
        Map<String, String> dump = new LinkedHashMap<>();
        for (String table : TABLES) {
            dump.put(table, queryString(ds, "SELECT coalesce(string_agg(t::text, '\n' ORDER BY t::text), '') FROM " + table + " t"));
        }
        return dump;
    }

    static long count(DataSource ds, String table) throws SQLException {
        return queryLong(ds, "SELECT count(*) FROM " + table);
    }

    private static long ledgerSequence(DataSource ds) throws SQLException {
        return queryLong(ds, "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM ledger_index");
    }

    static long queryLong(DataSource ds, String sql) throws SQLException {
        return Long.parseLong(queryString(ds, sql));
    }

    static String queryString(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
