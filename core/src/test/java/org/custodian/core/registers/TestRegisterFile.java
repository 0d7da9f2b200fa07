package org.custodian.core.registers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.junit.jupiter.api.Test;

/** Reading register files on their own: every problem reported, naming the item; the wire form round-trips. */
class TestRegisterFile {
    static final String ROLES = "clinician, reception, caldicott-guardian, researcher, analyst, auditor, admin, patient";

    /** JSON written with single quotes, for readable tables. */
    static byte[] json(String singleQuoted) {
        return singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    record Bad(String document, List<String> problems) {}

    static final List<Bad> BAD = List.of(
            new Bad("{'people':[{'id':'dr-jones','name':'Dr Jones','role':'nurse','organisation':'A1'}]}",
                    List.of("people[0] (\"dr-jones\"): unknown role \"nurse\" (one of: " + ROLES + ")")),
            new Bad("{'careRelationships':[{'patient':'1234567890','organisation':'A1','from':'2024-01-01'}]}",
                    List.of("careRelationships[0]: patient \"1234567890\" is not a valid NHS number (its check digit is wrong)")),
            new Bad("{'careRelationships':[{'patient':'94347659','organisation':'A1','from':'2024-01-01'}]}",
                    List.of("careRelationships[0]: patient \"94347659\" is not a valid NHS number (an NHS number is 10 digits)")),
            new Bad("{'organisations':[{'id':'A1','name':'A','sector':'charity'}]}",
                    List.of("organisations[0] (\"A1\"): unknown sector \"charity\" (one of: nhs-care, nhs-commissioner, "
                            + "public-research, local-authority, other-government, private-company, regulator)")),
            new Bad("{'organisations':[{'id':'A1','name':'A','sector':'nhs-care','ods':'A1'}]}",
                    List.of("organisations[0] (\"A1\"): unknown field \"ods\" (fields: id, name, sector)")),
            new Bad("{'patients':[]}",
                    List.of("unknown section \"patients\" (sections: organisations, people, careRelationships, proxies, projects, agreements, hosting)")),
            new Bad("{'organisations':{}}", List.of("\"organisations\" must be an array, not an object")),
            new Bad("{'organisations':['A1']}", List.of("organisations[0]: must be an object, not a string")),
            new Bad("{'organisations':[{'id':'A1','name':42,'sector':true}]}",
                    List.of("organisations[0] (\"A1\"): \"name\" must be a string, not a number",
                            "organisations[0] (\"A1\"): \"sector\" must be a string, not true or false")),
            new Bad("{'organisations':[{'name':'A','sector':'nhs-care'}]}",
                    List.of("organisations[0]: missing required field \"id\"")),
            new Bad("{'organisations':[{'id':'A1','name':null,'sector':'nhs-care'}]}",
                    List.of("organisations[0] (\"A1\"): missing required field \"name\"")),
            new Bad("{'organisations':[{'id':'A 1','name':' ','sector':'nhs-care'}]}",
                    List.of("organisations[0] (\"A 1\"): \"id\" must be 1 to 100 letters, digits or . _ : @ / - starting with a letter or digit, not \"A 1\"",
                            "organisations[0] (\"A 1\"): \"name\" must not be empty")),
            new Bad("{'organisations':[{'id':'A1','name':'Two\\nlines','sector':'nhs-care'}]}",
                    List.of("organisations[0] (\"A1\"): \"name\" must not contain control characters (such as new lines)")),
            new Bad("{'careRelationships':[{'patient':'9434765919','organisation':'A1','from':'2024-02-30'}]}",
                    List.of("careRelationships[0]: \"from\" must be a date in the form yyyy-MM-dd, not \"2024-02-30\"")),
            new Bad("{'proxies':[{'proxy':'p','patient':'9434765919','scope':'read','from':'2024-1-5'}]}",
                    List.of("proxies[0]: \"from\" must be a date in the form yyyy-MM-dd, not \"2024-1-5\"")),
            new Bad("{'proxies':[{'proxy':'p','patient':'9434765919','scope':'write','from':'2024-01-05','to':'2024-01-04'}]}",
                    List.of("proxies[0]: unknown scope \"write\" (one of: read, consent, full)",
                            "proxies[0]: \"to\" (2024-01-04) is before \"from\" (2024-01-05)")),
            new Bad("{'careRelationships':[{'patient':'9434765919','organisation':'A1','kind':'visit','from':'2024-01-01'}]}",
                    List.of("careRelationships[0]: unknown kind \"visit\" (one of: registered, referral, episode)")),
            new Bad("{'organisations':[{'id':'A1','name':'A','sector':'nhs-care'},{'id':'A1','name':'B','sector':'nhs-care'}]}",
                    List.of("organisations[1] (\"A1\"): id \"A1\" is already used by organisations[0] (\"A1\")")),
            new Bad("{'careRelationships':[{'patient':'9434765919','organisation':'A1','from':'2024-01-01'},"
                    + "{'patient':'943 476 5919','organisation':'A1','from':'2024-01-01','to':'2024-06-01'}]}",
                    List.of("careRelationships[1]: the same patient, organisation and from as careRelationships[0]")),
            new Bad("{'people':[{'id':'dr-jones','name':'Dr Jones','role':'clinician','organisation':'A1','nhsNumber':'9434765919'}]}",
                    List.of("people[0] (\"dr-jones\"): only a patient has an NHS number here (role is \"clinician\")")),
            new Bad("{'projects':[{'id':'p1','organisation':'U1','purpose':'SELL','form':'raw','status':'ok'}]}",
                    List.of("projects[0] (\"p1\"): unknown purpose \"SELL\" (one of: TREAT, ETREAT, BTG, PATRQT, PWATRNY, FAMRQT, "
                            + "HRESCH, CLINTRCH, HOPERAT, POPHLTH, PUBHLTH, HQUALIMP, HMARKT, MARKT, COVAUTH, ELIGDTRM, GOV, LEGAL, HLEGAL)",
                            "projects[0] (\"p1\"): unknown form \"raw\" (one of: aggregate, pseudonymised, identifiable)",
                            "projects[0] (\"p1\"): unknown status \"ok\" (one of: pending, approved, suspended, ended, refused)",
                            "projects[0] (\"p1\"): missing required field \"approvedUntil\"")),
            // Projects' public details: dates in order, a bounded statement, https links only, nothing that identifies a patient.
            new Bad(project("'approvedFrom':'2028-01-01','publicBenefit':'" + "x".repeat(Project.MAX_PUBLIC_BENEFIT + 1) + "'"),
                    List.of("projects[0] (\"p1\"): \"approvedFrom\" (2028-01-01) is after \"approvedUntil\" (2027-12-31)",
                            "projects[0] (\"p1\"): \"publicBenefit\" is 2001 characters long; it may be at most 2000")),
            new Bad(project("'outputs':[{'title':'Paper','url':'http://example.org/paper'},{'title':'Click','url':'javascript:alert(1)'},"
                    + "{'title':'Page','url':'data:text/html,hi'},{'title':'Login','url':'https://nhs.uk@evil.example/'},"
                    + "{'title':'Nowhere','url':'https://'},{'title':'Spaced','url':'https://example.org/a b'},{'url':'https://example.org/'},"
                    + "{'title':'T','url':'https://example.org/','doi':'10.1/x'},{'title':'Upper','url':'HTTPS://example.org/'},"
                    + "{'title':'Number','url':42},'Just a title']"),
                    List.of("projects[0] (\"p1\"): outputs[0]: the \"url\" must be an https:// address, not \"http://example.org/paper\"",
                            "projects[0] (\"p1\"): outputs[1]: the \"url\" must be an https:// address, not \"javascript:alert(1)\"",
                            "projects[0] (\"p1\"): outputs[2]: the \"url\" must be an https:// address, not \"data:text/html,hi\"",
                            "projects[0] (\"p1\"): outputs[3]: the \"url\" must not hold a user name or password: \"https://nhs.uk@evil.example/\"",
                            "projects[0] (\"p1\"): outputs[4]: the \"url\" is not a valid address (Expected authority): \"https://\"",
                            "projects[0] (\"p1\"): outputs[5]: the \"url\" must be printable ASCII without spaces (percent-encode any other character)",
                            "projects[0] (\"p1\"): outputs[6]: missing required field \"title\"",
                            "projects[0] (\"p1\"): outputs[7]: unknown field \"doi\" (fields: title, url)",
                            "projects[0] (\"p1\"): outputs[8]: the \"url\" must be an https:// address, not \"HTTPS://example.org/\"",
                            "projects[0] (\"p1\"): outputs[9]: the \"url\" must be a string, not a number",
                            "projects[0] (\"p1\"): \"outputs[10]\" must be an object, not a string")),
            new Bad(project("'lead':'Prof Price','publicBenefit':'Tabbed\\ttext','outputs':{}"),
                    List.of("projects[0] (\"p1\"): \"lead\" must be an object {\"name\": ..., \"role\": ...}, not a string",
                            "projects[0] (\"p1\"): \"publicBenefit\" must not contain control characters other than line feeds (\\n) between paragraphs",
                            "projects[0] (\"p1\"): \"outputs\" must be an array, not an object")),
            new Bad(project("'lead':{'name':'Prof Price','team':'x'},'publicBenefit':' '"),
                    List.of("projects[0] (\"p1\"): lead: unknown field \"team\" (fields: name, role)",
                            "projects[0] (\"p1\"): lead: missing required field \"role\"",
                            "projects[0] (\"p1\"): \"publicBenefit\" must not be empty")),
            new Bad(project("'lead':{'name':'Patient 9434765919','role':'Chief investigator'},'publicBenefit':'Ask about 943 476 5919.',"
                    + "'outputs':[{'title':'Case of 943 476 5919','url':'https://example.org/?nhs=9434765919'}]"),
                    List.of("projects[0] (\"p1\"): \"lead.name\" holds an NHS number (9434765919); nothing in a public register may identify a patient",
                            "projects[0] (\"p1\"): \"publicBenefit\" holds an NHS number (943 476 5919); nothing in a public register may identify a patient",
                            "projects[0] (\"p1\"): \"outputs[0].title\" holds an NHS number (943 476 5919); nothing in a public register may identify a patient",
                            "projects[0] (\"p1\"): \"outputs[0].url\" holds an NHS number (9434765919); nothing in a public register may identify a patient")),
            new Bad(project("'outputs':[" + "{'title':'Report'},".repeat(Project.MAX_OUTPUTS) + "{'title':'One more'}]"),
                    List.of("projects[0] (\"p1\"): \"outputs\" lists 51 outputs; a project may list at most 50")),
            // Agreements: lists, codes, a care purpose, patients' choices set aside, payments, dates.
            new Bad("{'agreements':[{'id':'dsa-1','title':'T','partner':'U1','processors':['U1','X 1'],'purposes':['TREAT','HRESCH','SELL'],"
                    + "'form':'aggregate','data':['Observation','observation'],'categories':['PSY','XYZ'],'legalBasis':'Art 6(1)(e)',"
                    + "'optOutsApply':false,'from':'2026-01-01','to':'2025-12-31','status':'live',"
                    + "'payments':[{'direction':'sideways','description':'x'},{'direction':'to-partner','cost':'1'}]}]}",
                    List.of("agreements[0] (\"dsa-1\"): \"processors\"[1] must be an organisation id, not \"X 1\"",
                            "agreements[0] (\"dsa-1\"): \"purposes\"[2] must be one of: TREAT, ETREAT, BTG, PATRQT, PWATRNY, FAMRQT, HRESCH, CLINTRCH,"
                                    + " HOPERAT, POPHLTH, PUBHLTH, HQUALIMP, HMARKT, MARKT, COVAUTH, ELIGDTRM, GOV, LEGAL, HLEGAL, not \"SELL\"",
                            "agreements[0] (\"dsa-1\"): purpose \"TREAT\" is direct care, which needs no agreement (only secondary uses have one)",
                            "agreements[0] (\"dsa-1\"): \"data\"[1] must be a FHIR resource type such as \"Observation\", not \"observation\"",
                            "agreements[0] (\"dsa-1\"): \"categories\"[1] must be one of: PSY, SEX, HIV, ETH, SDV, GDIS, not \"XYZ\"",
                            "agreements[0] (\"dsa-1\"): \"optOutsApply\" cannot be false: in Custodian patients' choices apply to every use,"
                                    + " and no agreement sets them aside",
                            "agreements[0] (\"dsa-1\"): \"to\" (2025-12-31) is before \"from\" (2026-01-01)",
                            "agreements[0] (\"dsa-1\"): unknown status \"live\" (one of: pending, active, suspended, ended)",
                            "agreements[0] (\"dsa-1\"): payments[0]: \"direction\" must be \"to-partner\" or \"from-partner\"",
                            "agreements[0] (\"dsa-1\"): payments[1]: unknown field \"cost\" (fields: direction, description, amount)",
                            "agreements[0] (\"dsa-1\"): payments[1]: missing required field \"description\"",
                            "agreements[0] (\"dsa-1\"): the partner \"U1\" cannot also be its own processor")),
            // Hosting: the operator's declaration of where the data is, every member checked and named.
            new Bad("{'hosting':[{'id':'dc 1','role':'main','country':'','provider':'P','organisation':'x y','colour':'blue'}]}",
                    List.of("hosting[0] (\"dc 1\"): unknown field \"colour\" (fields: id, role, country, provider, organisation, description)",
                            "hosting[0] (\"dc 1\"): \"id\" must be 1 to 100 letters, digits or . _ : @ / - starting with a letter or digit, not \"dc 1\"",
                            "hosting[0] (\"dc 1\"): unknown role \"main\" (one of: primary, backup, disaster-recovery)",
                            "hosting[0] (\"dc 1\"): \"country\" must not be empty",
                            "hosting[0] (\"dc 1\"): \"organisation\" must be 1 to 100 letters, digits or . _ : @ / - starting with a letter or digit,"
                                    + " not \"x y\"")),
            new Bad("{'hosting':[{'id':'dc1'}]}",
                    List.of("hosting[0] (\"dc1\"): missing required field \"role\"", "hosting[0] (\"dc1\"): missing required field \"country\"",
                            "hosting[0] (\"dc1\"): missing required field \"provider\"")),
            new Bad("{'hosting':[{'id':'dc1','role':'backup','country':'" + "U".repeat(101) + "','provider':'" + "P".repeat(301)
                    + "','organisation':42,'description':'" + "d".repeat(1001) + "'}]}",
                    List.of("hosting[0] (\"dc1\"): \"country\" is longer than 100 characters (write the country's plain name, e.g. \"United Kingdom\")",
                            "hosting[0] (\"dc1\"): \"provider\" is longer than 300 characters",
                            "hosting[0] (\"dc1\"): \"organisation\" must be a string, not a number",
                            "hosting[0] (\"dc1\"): \"description\" is 1001 characters long; it may be at most 1000")),
            new Bad("{'hosting':[{'id':'dc1','role':'primary','country':'United\\nKingdom','provider':'Cloud for 943 476 5919',"
                    + "'description':'Tab\\there'},{'id':'dc1','role':'backup','country':'UK','provider':'P','description':'Ring 9434765919'}]}",
                    List.of("hosting[0] (\"dc1\"): \"country\" must not contain control characters (such as new lines)",
                            "hosting[0] (\"dc1\"): \"provider\" holds an NHS number (943 476 5919); nothing in a public register may identify a patient",
                            "hosting[0] (\"dc1\"): \"description\" must not contain control characters other than line feeds (\\n) between paragraphs",
                            "hosting[1] (\"dc1\"): \"description\" holds an NHS number (9434765919); nothing in a public register may identify a patient",
                            "hosting[1] (\"dc1\"): id \"dc1\" is already used by hosting[0] (\"dc1\")")),
            new Bad("{'hosting':{}}", List.of("\"hosting\" must be an array, not an object")),
            // Whole-file problems: the JSON itself.
            new Bad("{'organisations':[{'id':'A1',\n  'id':'A2'}]}",
                    List.of("invalid JSON at line 2, column 3: duplicate member name \"id\"")),
            new Bad("{'organisations':[\n{'id':'A1' 'name':'A'}]}", List.of("invalid JSON at line 2, column 12: expected '}'")),
            new Bad("{'organisations':[{'id':1.5}]}",
                    List.of("invalid JSON at line 1, column 26: numbers with a fraction or exponent are not accepted (no register field is a number)")),
            new Bad("[]", List.of("the file must hold a JSON object with the sections organisations, people, careRelationships, proxies, projects, agreements, hosting")),
            new Bad("", List.of("invalid JSON at line 1, column 1: unexpected end of text, expected a value")));

    /** A project file whose project "p1" has these members besides the required ones (approved until 2027-12-31). */
    static String project(String members) {
        return "{'projects':[{'id':'p1','organisation':'U1','purpose':'HRESCH','form':'aggregate','status':'approved',"
                + "'approvedUntil':'2027-12-31'," + members + "}]}";
    }

    @Test
    void everyBadDocumentIsRefusedWithEveryProblemNamingItsItem() {
        for (Bad bad : BAD) {
            RegisterDocument document = RegisterDocument.parse(json(bad.document()));
            assertEquals(bad.problems(), document.problems(), bad.document());
        }
    }

    @Test
    void problemsInSeveralItemsAreAllReportedNotJustTheFirst() {
        RegisterDocument document = RegisterDocument.parse(json("""
                {'organisations':[{'id':'A1','name':'A','sector':'nhs-care'},{'id':'B1','name':'B','sector':'bank'}],
                 'people':[{'id':'dr-jones','name':'Dr Jones','role':'nurse','organisation':'A1'},
                           {'id':'p1','name':'P','role':'patient','organisation':'A1','nhsNumber':'9434765918'}],
                 'proxies':[{'proxy':'p1','patient':'9434765919','scope':'read'}]}"""));
        assertEquals(List.of(
                "organisations[1] (\"B1\"): unknown sector \"bank\" (one of: nhs-care, nhs-commissioner, public-research, "
                        + "local-authority, other-government, private-company, regulator)",
                "people[0] (\"dr-jones\"): unknown role \"nurse\" (one of: " + ROLES + ")",
                "people[1] (\"p1\"): nhsNumber \"9434765918\" is not a valid NHS number (its check digit is wrong)",
                "proxies[0]: missing required field \"from\""), document.problems());
        assertEquals(List.of("A1"), document.organisations().stream().map(Organisation::id).toList(),
                "items read cleanly are kept, so that references to them are not reported as unresolved");
    }

    @Test
    void invalidUtf8IsRefusedAsAWhole() {
        RegisterDocument document = RegisterDocument.parse(new byte[] {'{', (byte) 0xC3, '}'});
        assertEquals(List.of("the file is not valid UTF-8 text"), document.problems());
    }

    @Test
    void anEmptyDocumentIsValidAndEverySectionIsOptional() {
        for (String empty : List.of("{}", "{'organisations':[]}", "\uFEFF{'people':[], 'projects':[]}\n")) {
            RegisterDocument document = RegisterDocument.parse(json(empty));
            assertEquals(List.of(), document.problems(), empty);
            assertEquals(0, document.size());
        }
    }

    @Test
    void aRelationshipWithoutKindIsARegistrationWhenOpenEndedAndAnEpisodeWhenItEnds() {
        RegisterDocument document = RegisterDocument.parse(json("""
                {'careRelationships':[
                  {'patient':'9434765919','organisation':'A1','from':'2024-01-01'},
                  {'patient':'943 476 5919','organisation':'R1','from':'2024-01-01','to':'2024-02-01'},
                  {'patient':'9434765919','organisation':'R2','kind':'referral','from':'2024-01-01','to':null}]}"""));
        assertEquals(List.of(), document.problems());
        NhsNumber ada = new NhsNumber("9434765919");
        assertEquals(List.of(
                new CareRelationship(ada, "A1", CareRelationship.Kind.REGISTERED, LocalDate.of(2024, 1, 1), null),
                new CareRelationship(ada, "R1", CareRelationship.Kind.EPISODE, LocalDate.of(2024, 1, 1), LocalDate.of(2024, 2, 1)),
                new CareRelationship(ada, "R2", CareRelationship.Kind.REFERRAL, LocalDate.of(2024, 1, 1), null)),
                document.careRelationships());
    }

    @Test
    void theExampleFileReadsCleanly() throws IOException {
        RegisterDocument document = RegisterDocument.parse(Files.readAllBytes(exampleFile()));
        assertEquals(List.of(), document.problems());
        assertEquals(9, document.organisations().size());
        assertTrue(document.people().stream().map(Person::role).distinct().count() >= 7, "people in (nearly) every role");
        assertTrue(document.people().stream().anyMatch(p -> p.role() == Role.PATIENT && p.nhsNumber() != null));
    }

    @Test
    void hostingSitesReadFromTheFileAndRoundTripThroughTheirWireForm() {
        RegisterDocument document = RegisterDocument.parse(json("""
                {'hosting':[{'id':'dc1','role':'primary','country':'United Kingdom','provider':'Northfield City Council data centre'},
                            {'id':'cloud-dr','role':'disaster-recovery','country':'Éire','provider':'Example Cloud Ltd, Dublin region',
                             'organisation':'example-cloud','description':'Standby copy.\\n\\nEncrypted; the council holds the key.'},
                            {'id':'b1','role':'backup','country':'United Kingdom','provider':'P','organisation':null,'description':null}]}"""));
        assertEquals(List.of(), document.problems());
        List<HostingSite> expected = List.of(
                new HostingSite("dc1", HostingSite.SiteRole.PRIMARY, "United Kingdom", "Northfield City Council data centre", null, null),
                new HostingSite("cloud-dr", HostingSite.SiteRole.DISASTER_RECOVERY, "Éire", "Example Cloud Ltd, Dublin region", "example-cloud",
                        "Standby copy.\n\nEncrypted; the council holds the key."),
                new HostingSite("b1", HostingSite.SiteRole.BACKUP, "United Kingdom", "P", null, null));
        assertEquals(expected, document.hosting());
        assertEquals(java.util.Map.of("id", "dc1", "role", "primary", "country", "United Kingdom", "provider", "Northfield City Council data centre"),
                RegisterWire.hostingSite(expected.get(0)), "absent optional members are omitted, never null");
        RegisterDocument again = RegisterDocument.of(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), expected);
        assertEquals(List.of(), again.problems());
        assertEquals(expected, again.hosting());
    }

    @Test
    void theExampleDeclaresWhereItsDataIsHosted() throws IOException {
        List<HostingSite> sites = RegisterDocument.parse(Files.readAllBytes(exampleFile())).hosting();
        assertTrue(sites.stream().anyMatch(h -> h.role() == HostingSite.SiteRole.PRIMARY), sites.toString());
        assertTrue(sites.stream().allMatch(h -> h.country().equals("United Kingdom")), sites.toString());
        assertTrue(sites.stream().anyMatch(h -> "pennine-cloud".equals(h.organisation())), "a private company hosting as a processor: " + sites);
    }

    static Path exampleFile() {
        return Path.of("..", "docs", "examples", "registers.json");
    }

    @Test
    void everyItemRoundTripsThroughItsWireForm() {
        NhsNumber ada = new NhsNumber("9434765919");
        List<Organisation> organisations = List.of(
                new Organisation("A1", "Practice \"One\" \u2014 Siân's", Sector.NHS_CARE),
                new Organisation("U1", "University", Sector.PUBLIC_RESEARCH));
        List<Person> people = List.of(
                new Person("dr-jones", "Dr Jones", Role.CLINICIAN, "A1", null),
                new Person("ada@example.org", "Ada", Role.PATIENT, "A1", ada),
                new Person("carer", "A carer without an NHS number", Role.PATIENT, "A1", null));
        List<CareRelationship> relationships = List.of(
                new CareRelationship(ada, "A1", CareRelationship.Kind.REGISTERED, LocalDate.of(2020, 2, 29), null),
                new CareRelationship(ada, "U1", CareRelationship.Kind.REGISTERED, LocalDate.of(2020, 1, 1), LocalDate.of(2020, 1, 1)),
                new CareRelationship(ada, "A1", CareRelationship.Kind.EPISODE, LocalDate.of(2021, 1, 1), null));
        List<Proxy> proxies = List.of(
                new Proxy("carer", ada, Proxy.Scope.CONSENT, LocalDate.of(2024, 1, 1), LocalDate.of(2025, 1, 1)),
                new Proxy("dr-jones", ada, Proxy.Scope.READ, LocalDate.of(2024, 1, 1), null));
        List<Project> projects = List.of(
                new Project("p1", "U1", Purpose.HRESCH, DataForm.AGGREGATE, Project.Status.PENDING, null, LocalDate.of(2030, 1, 1), null,
                        null, null, List.of()),
                new Project("p2", "U1", Purpose.POPHLTH, DataForm.PSEUDONYMISED, Project.Status.APPROVED, null,
                        LocalDate.of(2030, 1, 1), "IRAS 123456", null, null, List.of()),
                DETAILED);
        RegisterDocument document = RegisterDocument.of(organisations, people, relationships, proxies, projects);
        assertEquals(List.of(), document.problems());
        assertEquals(organisations, document.organisations());
        assertEquals(people, document.people());
        assertEquals(relationships, document.careRelationships());
        assertEquals(proxies, document.proxies());
        assertEquals(projects, document.projects());
    }

    /** A project stating every public detail, with text that must survive the wire form exactly. */
    static final Project DETAILED = new Project("p3", "U1", Purpose.HRESCH, DataForm.PSEUDONYMISED, Project.Status.APPROVED,
            LocalDate.of(2025, 10, 1), LocalDate.of(2027, 12, 31), "REC 25/NW/0123",
            new Project.Lead("Professor Siân Ó Briain", "Chief investigator"),
            "Who misses diabetes checks, and what follows.\n\nFindings go to GP practices \u2014 \"openly\"; grant 9434765918.",
            List.of(new Project.Output("Protocol v2", "https://research.example/p3/protocol.pdf?v=2&lang=cy#s1"),
                    new Project.Output("Final report (expected 2028)", null)));

    @Test
    void aProjectWithEveryPublicDetailReadsThemAllFromTheFile() {
        RegisterDocument document = RegisterDocument.parse(json(project("'approvedFrom':'2025-10-01','ethicsReference':'REC 25/NW/0123',"
                + "'lead':{'name':'Professor Rhiannon Price','role':'Chief investigator'},"
                + "'publicBenefit':'First paragraph.\\n\\nSecond, citing grant 9434765918 (not an NHS number).',"
                + "'outputs':[{'title':'Protocol','url':'https://research.northfield.example/p1/protocol.pdf'},{'title':'Final report','url':null}]")));
        assertEquals(List.of(), document.problems());
        assertEquals(List.of(new Project("p1", "U1", Purpose.HRESCH, DataForm.AGGREGATE, Project.Status.APPROVED, LocalDate.of(2025, 10, 1),
                LocalDate.of(2027, 12, 31), "REC 25/NW/0123", new Project.Lead("Professor Rhiannon Price", "Chief investigator"),
                "First paragraph.\n\nSecond, citing grant 9434765918 (not an NHS number).",
                List.of(new Project.Output("Protocol", "https://research.northfield.example/p1/protocol.pdf"),
                        new Project.Output("Final report", null)))), document.projects());
    }

    @Test
    void aProjectWrittenBeforeThePublicDetailsStillReadsWithNoneStated() {
        RegisterDocument document = RegisterDocument.parse(json("""
                {'projects':[{'id':'diabetes-outcomes','organisation':'univ-northfield','purpose':'HRESCH','form':'pseudonymised',
                              'status':'approved','approvedUntil':'2027-12-31','ethicsReference':'REC 25/NW/0123'}]}"""));
        assertEquals(List.of(), document.problems());
        assertEquals(List.of(new Project("diabetes-outcomes", "univ-northfield", Purpose.HRESCH, DataForm.PSEUDONYMISED,
                Project.Status.APPROVED, null, LocalDate.of(2027, 12, 31), "REC 25/NW/0123", null, null, List.of())), document.projects());
        // Its wire form (what a register.change entry holds) is what it was before the details existed.
        assertEquals(java.util.Map.of("id", "diabetes-outcomes", "organisation", "univ-northfield", "purpose", "HRESCH",
                "form", "pseudonymised", "status", "approved", "approvedUntil", "2027-12-31", "ethicsReference", "REC 25/NW/0123"),
                RegisterWire.project(document.projects().get(0)));
    }

    @Test
    void theExampleProjectStatesEveryPublicDetail() throws IOException {
        for (Project p : RegisterDocument.parse(Files.readAllBytes(exampleFile())).projects()) {
            assertTrue(p.approvedFrom() != null && p.lead() != null && p.publicBenefit() != null && !p.outputs().isEmpty()
                    && p.ethicsReference() != null, "the documented example is a serious register: " + p);
        }
    }
}
