package org.custodian.app.serve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.custodian.app.cli.CommandFailure;
import org.custodian.core.changes.DatabaseNotifications;
import org.custodian.core.consent.ConsentChoices;
import org.custodian.core.consent.ConsentRecord;
import org.custodian.core.consent.ConsentStore;
import org.custodian.core.decisions.AccessRequest;
import org.custodian.core.decisions.RecordingGate;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.RegisterDocument;
import org.custodian.core.registers.RegisterSnapshot;
import org.custodian.core.registers.RegisterStore;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.PurposeGroup;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.records.fhir.FhirJson;
import org.custodian.records.store.RecordStore;
import org.custodian.records.write.Author;
import org.custodian.records.write.RecordWriter;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

/**
 * The demonstration's population beyond Ada and Ben: four Synthea patients (copied into the product with
 * their licence note, {@code demo/synthea/NOTICE.md}) given UK-style demographics and valid NHS numbers,
 * registered with the practice (a child with her mother as proxy), and a history of uses so that every
 * page has something true to show: care, research allowed and refused, planning, a Home Office request
 * and a company's marketing refused by statute, and a hospital clinician's emergency break-glass.
 *
 * <p>Loaded once: a second demo run finds the patients and adds nothing (and no second history).
 */
final class DemoPopulation {
    private static final String DIR = "/org/custodian/app/demo/synthea/";
    private static final List<String> PROVIDERS = List.of("0-hospitalInformation1625911868739.json", "0-practitionerInformation1625911868739.json");

    /** One Synthea patient and who they become. */
    private record Demo(String file, String personId, NhsNumber nhs, String line, String postcode, String phone) {}

    private static final List<Demo> PATIENTS = List.of(
            new Demo("18be282b-67b9-d958-226a-c5510e5ef0c2.json", "patient-trinidad", new NhsNumber("9991000011"), "4 Mill Lane", "NF2 3CD",
                    "+44 7700 900101"),
            new Demo("53eac4c0-8d6b-72da-2768-a6d08e687f48.json", "patient-dexter", new NhsNumber("9991000054"), "27 Station Road", "NF3 1EF",
                    "+44 7700 900102"),
            new Demo("6c8f3e83-c351-ed33-c38d-6be101c275d2.json", "patient-maximo", new NhsNumber("9991000038"), "Flat 2, 9 Market Street",
                    "NF1 4GH", "+44 7700 900103"),
            new Demo("8a4c9c04-1524-9f1c-d65b-9b17e4520fef.json", "patient-zandra", new NhsNumber("9991000046"), "15 Orchard Close",
                    "NF4 2JK", "+44 7700 900104"));

    private DemoPopulation() {}

    /** Loads, registers and gives a history to the demo's Synthea patients, unless an earlier run did. */
    static void load(Startup.Started started) {
        for (Demo d : PATIENTS) {
            if (!NhsNumber.isValid(d.nhs().value())) {
                throw new IllegalStateException("demo NHS number fails modulus 11: " + d.nhs().value());
            }
        }
        DataSource ds = started.database().dataSource();
        List<String> held = new RecordStore(ds, new PostgresLogStore(ds), Clock.systemUTC())
                .patientIds(PATIENTS.get(0).nhs());
        if (!held.isEmpty()) {
            System.out.println("Demo patients (Synthea, made British): already in place");
            return;
        }
        RecordWriter.Context ctx = new RecordWriter.Context(Author.operator("custodian demo"), null, "demo");
        long created = 0;
        for (String provider : PROVIDERS) {
            started.node().records().importBundle(ctx, bundle(provider));
        }
        List<String> names = new ArrayList<>();
        for (Demo d : PATIENTS) {
            Bundle b = bundle(d.file());
            names.add(britishise(b, d));
            created += started.node().records().importBundle(ctx, b).response().getEntry().stream()
                    .filter(e -> e.getResponse().getStatus().startsWith("201")).count();
        }
        register(ds, names);
        history(started, ds);
        System.out.println("Demo patients (Synthea, made British): " + String.join(", ", names) + "; " + created
                + " FHIR resources stored, registered with Riverside Medical Practice, and a history of uses recorded");
    }

    private static Bundle bundle(String file) {
        try (InputStream in = DemoPopulation.class.getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new CommandFailure("the demo's patient " + file + " is missing from the application jar");
            }
            return (Bundle) FhirJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CommandFailure("cannot read the demo's patient " + file + ": " + e.getMessage());
        }
    }

    /** UK-style demographics in place; returns the patient's name as the registers will hold it. */
    private static String britishise(Bundle b, Demo d) {
        Patient p = b.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(Patient.class::isInstance)
                .map(Patient.class::cast).findFirst().orElseThrow(() -> new CommandFailure("no Patient in " + d.file()));
        // Synthea's digits make its names unique; the people here are few.
        for (HumanName n : p.getName()) {
            n.setFamily(n.getFamily() == null ? null : n.getFamily().replaceAll("[0-9]", ""));
            List<StringType> given = new ArrayList<>();
            n.getGiven().forEach(g -> given.add(new StringType(g.getValue().replaceAll("[0-9]", ""))));
            n.setGiven(given);
            n.setPrefix(new ArrayList<>());
        }
        // US identifiers and US Core extensions have no place in an English record; the NHS number does.
        p.getIdentifier().removeIf(i -> !"https://github.com/synthetichealth/synthea".equals(i.getSystem()));
        p.addIdentifier(new Identifier().setSystem(NhsNumber.SYSTEM).setValue(d.nhs().value()));
        p.setExtension(new ArrayList<>());
        p.setAddress(List.of(new Address().addLine(d.line()).setCity("Northfield").setPostalCode(d.postcode()).setCountry("GB")));
        p.setTelecom(List.of(new ContactPoint().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(d.phone())
                .setUse(ContactPoint.ContactPointUse.MOBILE)));
        p.setMaritalStatus(null);
        p.setCommunication(new ArrayList<>());
        HumanName n = p.getNameFirstRep();
        return n.getGivenAsSingleString() + " " + n.getFamily();
    }

    /** Each patient registered at the practice; Dexter also referred to the hospital; Zandra's mother as her proxy. */
    private static void register(DataSource ds, List<String> names) {
        List<Object> people = new ArrayList<>();
        List<Object> care = new ArrayList<>();
        for (int i = 0; i < PATIENTS.size(); i++) {
            Demo d = PATIENTS.get(i);
            people.add(Map.of("id", d.personId(), "name", names.get(i), "role", "patient", "organisation", "A99001", "nhsNumber", d.nhs().value()));
            care.add(Map.of("patient", d.nhs().value(), "organisation", "A99001", "from", "2020-01-06"));
        }
        people.add(Map.of("id", "parent-maeve", "name", "Maeve O'Hara", "role", "patient", "organisation", "A99001"));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("organisations", List.of());
        doc.put("people", people);
        doc.put("careRelationships", care);
        doc.put("proxies", List.of(Map.of("proxy", "parent-maeve", "patient", PATIENTS.get(3).nhs().value(), "scope", "full", "from", "2021-04-03")));
        doc.put("projects", List.of());
        try (RegisterStore store = RegisterStore.open(ds)) {
            store.apply(RegisterDocument.parse(CanonicalJson.canonicalize(doc)));
        } catch (org.custodian.core.registers.RegisterRefusedException e) {
            throw new CommandFailure("the demo's patients were refused by the registers: " + e.getMessage());
        }
    }

    /**
     * A history of uses through the real gate, each decided and recorded like any other: Maximo has said no
     * to research, so the university's request for his data is refused; the Home Office and a company's
     * marketing are refused by statute; a hospital doctor breaks the glass for Dexter.
     */
    private static void history(Startup.Started started, DataSource ds) {
        Clock clock = Clock.systemUTC();
        try (DatabaseNotifications notifications = new DatabaseNotifications(ds); RegisterStore registers = RegisterStore.open(ds)) {
            new ConsentStore(ds, notifications, clock).replace(PATIENTS.get(2).nhs(), new ConsentChoices(Set.of(PurposeGroup.RESEARCH), Set.of(),
                    Map.of()), PATIENTS.get(2).personId(), ConsentRecord.Channel.PATIENT);
            RegisterSnapshot r = registers.snapshot();
            RecordingGate gate = started.node().gate();
            for (Demo d : PATIENTS) {
                ask(gate, r, "dr-okafor", Purpose.TREAT, d.nhs(), DataForm.IDENTIFIABLE, null, List.of("Patient", "Observation", "MedicationRequest"));
                ask(gate, r, "prof-nguyen", Purpose.HRESCH, d.nhs(), DataForm.PSEUDONYMISED, "diabetes-outcomes", List.of("Observation", "Condition"));
                ask(gate, r, "analyst-khan", Purpose.HOPERAT, d.nhs(), DataForm.AGGREGATE, null, List.of("Encounter"));
            }
            ask(gate, r, "officer-grey", Purpose.GOV, PATIENTS.get(1).nhs(), DataForm.IDENTIFIABLE, null, List.of("Patient"));
            ask(gate, r, "analyst-smith", Purpose.MARKT, PATIENTS.get(0).nhs(), DataForm.PSEUDONYMISED, null, List.of("MedicationRequest"));
            ask(gate, r, "dr-patel", Purpose.ETREAT, PATIENTS.get(1).nhs(), DataForm.IDENTIFIABLE, null, List.of("*"));
        }
    }

    private static void ask(RecordingGate gate, RegisterSnapshot r, String personId, Purpose purpose, NhsNumber patient, DataForm form,
            String project, List<String> resources) {
        Person person = r.person(personId).orElseThrow(() -> new CommandFailure("the demo's registers have no " + personId));
        Organisation org = r.organisation(person.organisation()).orElseThrow();
        gate.decide(new AccessRequest(person, org, purpose, patient, form, Set.of(), resources, project, "demo"));
    }
}
