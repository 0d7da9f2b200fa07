package org.custodian.records.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.records.fhir.FhirJson;
import org.custodian.records.store.StoredVersion;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Age;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Ratio;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SampledData;
import org.hl7.fhir.r4.model.SimpleQuantity;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.TimeType;
import org.hl7.fhir.r4.model.Type;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sparse and odd but valid FHIR, generated from seeded randomness (each seed a reproducible record):
 * missing codes, codes without a display, partial dates, every value[x] type, missing statuses. A summary
 * of it never throws, reads every resource, says "Unknown" exactly where the record says nothing, keeps
 * the categories it was given, and orders and cuts every section as it promises.
 */
class TestSummaryOddResources {
    static final String PATIENT = "p1";
    static final Set<String> CONDITION_STATUSES = Set.of("Active", "Came back", "Relapsed", "Inactive", "In remission", "Resolved",
            "Ruled out", "Recorded in error", "Unknown");
    static final Set<String> MEDICINE_STATUSES = Set.of("Current", "Paused", "Stopped", "Finished", "Cancelled", "Not started yet",
            "Recorded in error", "Unknown");
    static final Set<String> CRITICALITIES = Set.of("High risk", "Low risk", "Risk not known", "Unknown");
    static final Set<String> ALLERGY_STATUSES = Set.of("Active", "Inactive", "Resolved", "Ruled out", "Recorded in error", "Unknown");
    static final Set<String> IMMUNISATION_STATUSES = Set.of("Given", "Not given", "Recorded in error", "Unknown");
    static final Set<String> RESULT_STATUSES = Set.of("Final", "Preliminary", "Not available yet", "Amended", "Corrected", "Cancelled",
            "Recorded in error", "Unknown");
    static final Set<String> GENDERS = Set.of("Female", "Male", "Other", "Unknown");

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void oddButValidRecordsAreSummarisedInWords(long seed) {
        Generator g = new Generator(new SplittableRandom(seed));
        List<StoredVersion> record = g.record();
        SummaryLimits limits = new SummaryLimits(g.r.nextInt(1, 6), g.r.nextInt(1, 6), g.r.nextInt(1, 6), g.r.nextInt(1, 6));

        RecordSummary s = RecordSummaries.of(record, limits);

        assertEquals(List.of(), s.unreadable(), "every resource is read");
        checkSection(s.conditions(), limits.others(), g.count("Condition"), g);
        checkSection(s.medicines(), limits.medicines(), g.count("MedicationRequest"), g);
        checkSection(s.allergies(), limits.others(), g.count("AllergyIntolerance"), g);
        checkSection(s.immunisations(), limits.others(), g.count("Immunization"), g);
        checkSection(s.results(), limits.results(), g.valuedObservations, g);
        checkSection(s.encounters(), limits.encounters(), g.count("Encounter"), g);
        checkOrder(s.conditions().items(), ConditionItem::current);
        checkOrder(s.medicines().items(), MedicineItem::current);
        checkOrder(s.allergies().items(), AllergyItem::active);
        checkOrder(s.immunisations().items(), i -> false);
        checkOrder(s.results().items(), i -> false);
        checkOrder(s.encounters().items(), i -> false);

        for (ConditionItem c : s.conditions().items()) {
            assertEquals(g.expectedName.get(c.reference()), c.name());
            assertTrue(CONDITION_STATUSES.contains(c.status()), c.status());
        }
        for (MedicineItem m : s.medicines().items()) {
            assertEquals(g.expectedName.get(m.reference()), m.name());
            assertTrue(MEDICINE_STATUSES.contains(m.status()), m.status());
            m.dosage().ifPresent(TestSummaryOddResources::words);
        }
        for (AllergyItem a : s.allergies().items()) {
            assertEquals(g.expectedName.get(a.reference()), a.substance());
            assertTrue(CRITICALITIES.contains(a.criticality()), a.criticality());
            assertTrue(ALLERGY_STATUSES.contains(a.status()), a.status());
            a.reaction().ifPresent(TestSummaryOddResources::words);
        }
        for (ImmunisationItem i : s.immunisations().items()) {
            assertEquals(g.expectedName.get(i.reference()), i.vaccine());
            assertTrue(IMMUNISATION_STATUSES.contains(i.status()), i.status());
        }
        for (ResultItem r : s.results().items()) {
            assertEquals(g.expectedName.get(r.reference()), r.name());
            words(r.value());
            words(r.kind());
            assertTrue(RESULT_STATUSES.contains(r.status()), r.status());
            r.interpretation().ifPresent(TestSummaryOddResources::words);
        }
        for (EncounterItem e : s.encounters().items()) {
            words(e.description());
            e.setting().ifPresent(TestSummaryOddResources::words);
            e.organisation().ifPresent(TestSummaryOddResources::words);
        }
        PatientDetails p = s.patient().orElseThrow();
        words(p.name());
        assertTrue(GENDERS.contains(p.gender()), p.gender());
        assertEquals(g.birthDateWords, p.born());
        p.address().forEach(TestSummaryOddResources::words);
    }

    /** Sizes, "more", references, categories, dates in words, and newest first within each group. */
    static <T extends SummaryItem> void checkSection(Section<T> section, int limit, int given, Generator g) {
        assertEquals(Math.min(limit, given), section.items().size());
        assertEquals(given > limit, section.more());
        Set<String> seen = new java.util.HashSet<>();
        for (T item : section.items()) {
            assertTrue(seen.add(item.reference()), "each resource once: " + item.reference());
            assertTrue(g.categories.containsKey(item.reference()), item.reference());
            assertTrue(item.categories().containsAll(g.categories.get(item.reference())), "its categories are kept");
            assertEquals(g.expectedWhen.get(item.reference()), item.when(), item.reference());
            words(item.when());
        }
    }

    /** The current group comes first; within a group, newest first and undated last. */
    static <T extends SummaryItem> void checkOrder(List<T> items, Predicate<T> current) {
        for (int i = 1; i < items.size(); i++) {
            T before = items.get(i - 1);
            T after = items.get(i);
            assertFalse(current.test(after) && !current.test(before), "current lines come first: " + items);
            if (current.test(after) == current.test(before)) {
                Instant b = before.date().map(SummaryDate::instant).orElse(null);
                Instant a = after.date().map(SummaryDate::instant).orElse(null);
                assertFalse(b == null && a != null, "undated lines come last: " + items);
                assertFalse(b != null && a != null && a.isAfter(b), "newest first: " + before + " then " + after);
            }
        }
    }

    /** Text fit for a page: something, with no Java or FHIR leftovers. */
    static void words(String s) {
        assertFalse(s == null || s.isBlank(), "blank text");
        assertFalse(s.contains("null") || s.contains("Optional") || s.contains("@") || s.contains("org.hl7"), s);
    }

    /** Builds one random record, and what its summary should say where that is simple to know. */
    static final class Generator {
        final SplittableRandom r;
        final List<StoredVersion> versions = new ArrayList<>();
        final Map<String, String> expectedName = new HashMap<>();
        final Map<String, String> expectedWhen = new HashMap<>();
        final Map<String, Set<SensitiveCategory>> categories = new HashMap<>();
        int valuedObservations;
        String birthDateWords;
        private int next;

        Generator(SplittableRandom r) {
            this.r = r;
        }

        int count(String type) {
            return (int) versions.stream().filter(v -> v.type().equals(type)).count();
        }

        List<StoredVersion> record() {
            patient();
            repeat(this::condition);
            repeat(this::medicine);
            repeat(this::allergy);
            repeat(this::immunisation);
            repeat(this::observation);
            repeat(this::encounter);
            // Stored order says nothing about dates: shuffle.
            for (int i = versions.size() - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                StoredVersion t = versions.get(i);
                versions.set(i, versions.get(j));
                versions.set(j, t);
            }
            return versions;
        }

        private void repeat(Runnable add) {
            int n = r.nextInt(0, 9);
            for (int i = 0; i < n; i++) {
                add.run();
            }
        }

        private <T> T pick(List<T> choices) {
            return choices.get(r.nextInt(choices.size()));
        }

        private boolean maybe() {
            return r.nextBoolean();
        }

        // ------------------------------------------------------------ values

        /** A concept in one of the shapes records use, and the name a summary should give it. */
        record Concept(CodeableConcept cc, String name) {}

        Concept concept() {
            CodeableConcept cc = new CodeableConcept();
            switch (r.nextInt(7)) {
                case 0 -> {
                    return new Concept(null, "Unknown");
                }
                case 1 -> {
                    cc.setText("Fatigue (finding)");
                    return new Concept(cc, "Fatigue");
                }
                case 2 -> {
                    cc.addCoding().setSystem("http://snomed.info/sct").setCode("44054006");
                    return new Concept(cc, "Unknown (code 44054006)");
                }
                case 3 -> {
                    cc.addCoding().setSystem("http://snomed.info/sct").setCode("44054006");
                    cc.addCoding().setDisplay("Diabetes type 2");
                    return new Concept(cc, "Diabetes type 2");
                }
                case 4 -> {
                    cc.addCoding().setDisplay("Hay fever").setCode("21719001");
                    cc.setText("Hay fever (seasonal)");
                    return new Concept(cc, "Hay fever (seasonal)");
                }
                case 5 -> {
                    // A coding with only a system: nothing to show
                    cc.addCoding().setSystem("http://snomed.info/sct");
                    return new Concept(cc, "Unknown");
                }
                default -> {
                    cc.addCoding().setSystem("http://loinc.org").setCode("8867-4").setDisplay("Heart rate");
                    return new Concept(cc, "Heart rate");
                }
            }
        }

        /** A date at any precision FHIR allows (or none), and its words. */
        record When(String fhir, String words) {}

        When when() {
            int day = r.nextInt(1, 29);
            int month = r.nextInt(1, 13);
            int year = r.nextInt(1950, 2030);
            String ym = year + "-" + (month < 10 ? "0" : "") + month;
            String ymd = ym + "-" + (day < 10 ? "0" : "") + day;
            String monthName = MONTHS.get(month - 1);
            return switch (r.nextInt(8)) {
                case 0 -> new When(null, "Unknown");
                case 1 -> new When(Integer.toString(year), Integer.toString(year));
                case 2 -> new When(ym, monthName + " " + year);
                case 3 -> new When(ymd, day + " " + monthName + " " + year);
                // The day as written, whatever the zone: 23:30 in Paris is still the 29th there.
                case 4 -> new When(ymd + "T23:30:00+01:00", day + " " + monthName + " " + year);
                case 5 -> new When(ymd + "T00:15:00-05:00", day + " " + monthName + " " + year);
                case 6 -> new When(ymd + "T12:00:00.123Z", day + " " + monthName + " " + year);
                default -> new When(ymd + "T08:00:00Z", day + " " + monthName + " " + year);
            };
        }

        static final List<String> MONTHS = List.of("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December");

        static String words(When w) {
            return w.words();
        }

        Quantity quantity() {
            Quantity q = new Quantity();
            if (r.nextInt(5) != 0) {
                q.setValue(new BigDecimal(r.nextInt(-50, 500) + "." + r.nextInt(100)));
            }
            if (maybe()) {
                q.setUnit(pick(List.of("mm[Hg]", "kg", "%", "{score}", "Cel", "mmol/L")));
            }
            if (maybe()) {
                q.setSystem("http://unitsofmeasure.org").setCode(pick(List.of("mm[Hg]", "kg", "/min")));
            }
            if (r.nextInt(4) == 0) {
                q.setComparator(pick(List.of(Quantity.QuantityComparator.LESS_THAN, Quantity.QuantityComparator.GREATER_OR_EQUAL)));
            }
            if (q.isEmpty()) {
                // An element with nothing in it is not written at all: give it a unit, and no number.
                q.setUnit("mmol/L");
            }
            return q;
        }

        /** Every value[x] type Observation allows (and none). */
        Type value() {
            return switch (r.nextInt(12)) {
                case 0 -> null;
                case 1 -> quantity();
                case 2 -> {
                    CodeableConcept cc = concept().cc();
                    yield cc == null ? new CodeableConcept().setText("Negative") : cc;
                }
                case 3 -> new StringType(pick(List.of("trace", "see report", "  padded  ")));
                case 4 -> new BooleanType(maybe());
                case 5 -> new IntegerType(r.nextInt(-5, 100));
                case 6 -> {
                    Range range = new Range();
                    if (maybe()) {
                        range.setLow((SimpleQuantity) new SimpleQuantity().setValue(4).setUnit("mmol/L"));
                    }
                    if (maybe()) {
                        range.setHigh((SimpleQuantity) new SimpleQuantity().setValue(6.5).setUnit(pick(List.of("mmol/L", "mg/dL"))));
                    }
                    yield range.isEmpty() ? new Range().setLow((SimpleQuantity) new SimpleQuantity().setValue(1)) : range;
                }
                case 7 -> new Ratio().setNumerator(new Quantity(1)).setDenominator(maybe() ? new Quantity(128) : null);
                case 8 -> new SampledData().setOrigin((SimpleQuantity) new SimpleQuantity().setValue(0)).setPeriod(10).setDimensions(1)
                        .setData("1 2 3");
                case 9 -> new TimeType("0" + r.nextInt(10) + ":30:00");
                case 10 -> new DateTimeType(pick(List.of("2019", "2019-04", "2019-04-03T10:00:00Z")));
                default -> maybe() ? new Period().setStartElement(new DateTimeType("2019-04")) : new Period().setEndElement(new DateTimeType("2020"));
            };
        }

        StoredVersion store(Resource res, String type) {
            String id = type.toLowerCase() + (next++);
            res.setId(id);
            EnumSet<SensitiveCategory> cats = EnumSet.noneOf(SensitiveCategory.class);
            for (SensitiveCategory c : SensitiveCategory.values()) {
                if (r.nextInt(8) == 0) {
                    cats.add(c);
                }
            }
            StoredVersion v = new StoredVersion(next, type, id, 1, Instant.EPOCH, type.equals("Medication") ? null : PATIENT, null, cats,
                    FhirJson.encode(res));
            categories.put(v.reference(), cats);
            versions.add(v);
            return v;
        }

        // ------------------------------------------------------------ resources

        void patient() {
            Patient p = new Patient();
            if (maybe()) {
                HumanName n = p.addName();
                if (maybe()) {
                    n.setFamily("Lovelace");
                }
                if (maybe() || !n.hasFamily()) {
                    n.addGiven("Ada");
                }
                if (maybe()) {
                    n.setUse(pick(List.of(HumanName.NameUse.OFFICIAL, HumanName.NameUse.USUAL, HumanName.NameUse.OLD)));
                }
            }
            When born = when();
            if (born.fhir() != null) {
                if (born.fhir().length() <= 10) {
                    p.setBirthDateElement(new DateType(born.fhir()));
                    birthDateWords = words(born);
                } else {
                    p.setBirthDateElement(new DateType("1985-12-10"));
                    birthDateWords = "10 December 1985";
                }
            } else {
                birthDateWords = "Unknown";
            }
            if (maybe()) {
                p.setGender(pick(List.of(AdministrativeGender.FEMALE, AdministrativeGender.MALE, AdministrativeGender.OTHER,
                        AdministrativeGender.UNKNOWN)));
            }
            if (maybe()) {
                Address a = p.addAddress();
                if (maybe()) {
                    a.addLine("1 High Street");
                }
                if (maybe()) {
                    a.setPostalCode("LS1 1AA");
                }
                if (a.isEmpty()) {
                    a.setText("1 High Street\nLeeds");
                }
            }
            p.setId(PATIENT);
            StoredVersion v = new StoredVersion(next++, "Patient", PATIENT, 1, Instant.EPOCH, PATIENT, null, Set.of(), FhirJson.encode(p));
            versions.add(v);
        }

        void condition() {
            Condition c = new Condition();
            Concept code = concept();
            c.setCode(code.cc());
            if (maybe()) {
                c.setClinicalStatus(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical",
                        pick(List.of("active", "recurrence", "relapse", "inactive", "remission", "resolved")), null)));
            }
            if (r.nextInt(4) == 0) {
                c.setVerificationStatus(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/condition-ver-status",
                        pick(List.of("confirmed", "refuted", "entered-in-error", "unconfirmed")), null)));
            }
            When w = when();
            String when;
            switch (r.nextInt(6)) {
                case 0 -> {
                    Age age = new Age();
                    age.setValue(45).setUnit("years").setSystem("http://unitsofmeasure.org").setCode("a");
                    c.setOnset(age);
                    when = "Aged 45 years";
                }
                case 1 -> {
                    c.setOnset(new StringType("in childhood"));
                    when = "in childhood";
                }
                case 2 -> {
                    c.setOnset(new Range().setLow((SimpleQuantity) new SimpleQuantity().setValue(40).setUnit("years"))
                            .setHigh((SimpleQuantity) new SimpleQuantity().setValue(45).setUnit("years")));
                    when = "Aged 40 to 45 years";
                }
                case 3 -> {
                    if (w.fhir() == null) {
                        when = "Unknown";
                    } else {
                        c.setOnset(new Period().setStartElement(new DateTimeType(w.fhir())));
                        when = words(w);
                    }
                }
                case 4 -> {
                    c.setOnset(new Period().setEndElement(new DateTimeType("2020-05")));
                    when = "Until May 2020";
                }
                default -> {
                    if (w.fhir() != null) {
                        c.setOnset(new DateTimeType(w.fhir()));
                    }
                    when = words(w);
                }
            }
            StoredVersion v = store(c, "Condition");
            expectedName.put(v.reference(), code.name());
            expectedWhen.put(v.reference(), when);
        }

        void medicine() {
            MedicationRequest m = new MedicationRequest();
            if (maybe()) {
                m.setStatus(pick(List.of(MedicationRequest.MedicationRequestStatus.ACTIVE, MedicationRequest.MedicationRequestStatus.ONHOLD,
                        MedicationRequest.MedicationRequestStatus.STOPPED, MedicationRequest.MedicationRequestStatus.COMPLETED,
                        MedicationRequest.MedicationRequestStatus.ENTEREDINERROR, MedicationRequest.MedicationRequestStatus.UNKNOWN)));
            }
            String name;
            switch (r.nextInt(5)) {
                case 0 -> {
                    Concept c = concept();
                    m.setMedication(c.cc());
                    name = c.name();
                }
                case 1 -> {
                    // A stored Medication, by reference.
                    Medication med = new Medication();
                    med.setCode(new CodeableConcept().setText("Amoxicillin 500 mg capsules"));
                    StoredVersion mv = store(med, "Medication");
                    m.setMedication(new Reference(mv.reference()));
                    name = "Amoxicillin 500 mg capsules";
                }
                case 2 -> {
                    // A contained Medication.
                    Medication med = new Medication();
                    med.setId("med1");
                    med.setCode(new CodeableConcept().addCoding(new Coding("http://snomed.info/sct", "322236009", "Paracetamol 500 mg tablets")));
                    m.addContained(med);
                    m.setMedication(new Reference("#med1"));
                    name = "Paracetamol 500 mg tablets";
                }
                case 3 -> {
                    // A reference to a Medication not given: only its display, if any.
                    boolean display = maybe();
                    m.setMedication(new Reference("Medication/gone").setDisplay(display ? "Ibuprofen" : null));
                    name = display ? "Ibuprofen" : "Unknown";
                }
                default -> name = "Unknown";
            }
            if (maybe()) {
                Dosage d = m.addDosageInstruction();
                if (maybe()) {
                    d.setText("One tablet twice a day");
                } else {
                    d.setSequence(1);
                }
            }
            When w = when();
            if (w.fhir() != null) {
                m.setAuthoredOnElement(new DateTimeType(w.fhir()));
            }
            StoredVersion v = store(m, "MedicationRequest");
            expectedName.put(v.reference(), name);
            expectedWhen.put(v.reference(), words(w));
        }

        void allergy() {
            AllergyIntolerance a = new AllergyIntolerance();
            Concept code = concept();
            a.setCode(code.cc());
            String name = code.name();
            if (code.cc() == null && maybe()) {
                a.addReaction().setSubstance(new CodeableConcept().setText("Peanut"));
                name = "Peanut";
            }
            if (maybe()) {
                // A reaction named, or coded without a name (then not shown)
                a.addReaction().addManifestation(maybe() ? new CodeableConcept().setText("Hives")
                        : new CodeableConcept().addCoding(new Coding("http://snomed.info/sct", "247472004", null)));
            }
            if (maybe()) {
                a.setCriticality(pick(List.of(AllergyIntolerance.AllergyIntoleranceCriticality.HIGH,
                        AllergyIntolerance.AllergyIntoleranceCriticality.LOW, AllergyIntolerance.AllergyIntoleranceCriticality.UNABLETOASSESS)));
            }
            if (maybe()) {
                a.setClinicalStatus(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                        pick(List.of("active", "inactive", "resolved")), null)));
            }
            When w = when();
            if (w.fhir() != null) {
                a.setRecordedDateElement(new DateTimeType(w.fhir()));
            }
            StoredVersion v = store(a, "AllergyIntolerance");
            expectedName.put(v.reference(), name);
            expectedWhen.put(v.reference(), words(w));
        }

        void immunisation() {
            Immunization i = new Immunization();
            Concept code = concept();
            i.setVaccineCode(code.cc());
            if (maybe()) {
                i.setStatus(pick(List.of(Immunization.ImmunizationStatus.COMPLETED, Immunization.ImmunizationStatus.NOTDONE,
                        Immunization.ImmunizationStatus.ENTEREDINERROR)));
            }
            When w = when();
            String when = words(w);
            if (w.fhir() != null) {
                i.setOccurrence(new DateTimeType(w.fhir()));
            } else if (maybe()) {
                i.setOccurrence(new StringType("as a child"));
                when = "as a child";
            }
            StoredVersion v = store(i, "Immunization");
            expectedName.put(v.reference(), code.name());
            expectedWhen.put(v.reference(), when);
        }

        void observation() {
            Observation o = new Observation();
            Concept code = concept();
            o.setCode(code.cc());
            if (maybe()) {
                o.setStatus(pick(List.of(Observation.ObservationStatus.FINAL, Observation.ObservationStatus.PRELIMINARY,
                        Observation.ObservationStatus.CANCELLED, Observation.ObservationStatus.ENTEREDINERROR)));
            }
            Type value = value();
            boolean valued = value != null;
            if (valued) {
                o.setValue(value);
            }
            if (maybe()) {
                // Parts, with or without values of their own
                for (int k = r.nextInt(1, 3); k > 0; k--) {
                    Observation.ObservationComponentComponent c = o.addComponent().setCode(concept().cc());
                    Type part = value();
                    if (part != null) {
                        c.setValue(part);
                        valued = true;
                    }
                }
            }
            if (maybe()) {
                o.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/observation-category",
                        pick(List.of("vital-signs", "laboratory", "survey", "made-up")), null)));
            }
            if (maybe()) {
                o.addInterpretation(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                        pick(List.of("H", "LL", "N", "POS", "WEIRD")), null)));
            }
            When w = when();
            String when = words(w);
            if (w.fhir() != null) {
                switch (r.nextInt(3)) {
                    case 0 -> o.setEffective(new DateTimeType(w.fhir()));
                    case 1 -> o.setEffective(new Period().setStartElement(new DateTimeType(w.fhir())));
                    default -> {
                        if (w.fhir().length() > 10) {
                            o.setEffective(new InstantType(w.fhir()));
                        } else {
                            o.setEffective(new DateTimeType(w.fhir()));
                        }
                    }
                }
            }
            StoredVersion v = store(o, "Observation");
            if (valued) {
                valuedObservations++;
            }
            expectedName.put(v.reference(), code.name());
            expectedWhen.put(v.reference(), when);
        }

        void encounter() {
            Encounter e = new Encounter();
            if (maybe()) {
                e.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", pick(List.of("AMB", "EMER", "IMP", "XYZ")), null));
            }
            if (maybe()) {
                e.addType(concept().cc());
            }
            if (maybe()) {
                e.setServiceProvider(new Reference("Organization/o1").setDisplay(maybe() ? "Leeds General Infirmary" : null));
            }
            if (maybe()) {
                e.addParticipant().setIndividual(new Reference().setDisplay("Dr Okafor"));
            }
            if (maybe()) {
                e.setStatus(Encounter.EncounterStatus.FINISHED);
            }
            When w = when();
            String when = words(w);
            if (w.fhir() != null) {
                e.setPeriod(new Period().setStartElement(new DateTimeType(w.fhir())));
            } else if (maybe()) {
                e.setPeriod(new Period().setEndElement(new DateTimeType("2020-05-01")));
                when = "Until 1 May 2020";
            }
            StoredVersion v = store(e, "Encounter");
            expectedWhen.put(v.reference(), when);
        }
    }
}
