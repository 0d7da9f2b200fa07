package org.custodian.core.decisions;

import static org.custodian.core.decisions.GateFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.custodian.core.consent.ConsentChoices;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Project;
import org.custodian.core.rules.GovernedRuleSet;
import org.custodian.core.rules.Reason;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.PurposeGroup;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The campaign documents' scenarios, one row each, through the real gate with the default rules. */
class TestSeedScenarios {

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("a private company asking for research data is refused",
                        request(COMPANY_ANALYST, COMPANY, Purpose.HRESCH, ALICE, DataForm.PSEUDONYMISED, COMPANY_STUDY.id()),
                        "deny", "statutory.no-private-secondary-use"),
                Arguments.of("a private company asking for aggregate research data is refused too",
                        request(COMPANY_ANALYST, COMPANY, Purpose.HRESCH, ALICE, DataForm.AGGREGATE, COMPANY_STUDY.id()),
                        "deny", "statutory.no-private-secondary-use"),
                Arguments.of("a non-health government department asking for pseudonymised data is refused",
                        request(OFFICIAL, HOME_OFFICE, Purpose.GOV, ALICE, DataForm.PSEUDONYMISED, GOV_PROJECT.id()),
                        "deny", "statutory.no-other-government-secondary-use"),
                Arguments.of("a non-health government department asking for identifiable data for legal use is refused",
                        request(OFFICIAL, HOME_OFFICE, Purpose.LEGAL, ALICE, DataForm.IDENTIFIABLE, null),
                        "deny", "statutory.no-other-government-secondary-use"),
                Arguments.of("a GP with a care relationship reading for TREAT is permitted",
                        request(GP_DOCTOR, GP, Purpose.TREAT, ALICE, DataForm.IDENTIFIABLE, null),
                        "permit", "care.relationship"),
                Arguments.of("a university with an approved project gets pseudonymised data",
                        request(RESEARCHER, UNIVERSITY, Purpose.HRESCH, ALICE, DataForm.PSEUDONYMISED, STUDY.id()),
                        "permit", "governed.public-interest-research"),
                Arguments.of("a university without a project is refused",
                        request(RESEARCHER, UNIVERSITY, Purpose.HRESCH, ALICE, DataForm.PSEUDONYMISED, null),
                        "deny", "project.required"),
                Arguments.of("a university asking for identifiable data for research is refused",
                        request(RESEARCHER, UNIVERSITY, Purpose.HRESCH, ALICE, DataForm.IDENTIFIABLE, STUDY.id()),
                        "deny", "governed.no-rule"),
                Arguments.of("a clinician with no relationship is refused for TREAT",
                        request(HOSPITAL_DOCTOR, HOSPITAL, Purpose.TREAT, BOB, DataForm.IDENTIFIABLE, null),
                        "deny", "statutory.care-needs-relationship"),
                Arguments.of("a clinician with no relationship is permitted, flagged, for ETREAT",
                        request(HOSPITAL_DOCTOR, HOSPITAL, Purpose.ETREAT, BOB, DataForm.IDENTIFIABLE, null),
                        "permit", "care.break-glass"),
                Arguments.of("reception staff cannot break glass",
                        request(GP_RECEPTION, GP, Purpose.ETREAT, BOB, DataForm.IDENTIFIABLE, null),
                        "deny", "statutory.care-needs-relationship"),
                Arguments.of("a patient reads their own record",
                        request(ALICE_PERSON, GP, Purpose.PATRQT, ALICE, DataForm.IDENTIFIABLE, null),
                        "permit", "access.own-record"),
                Arguments.of("one patient can never read another's record",
                        request(BOB_PERSON, GP, Purpose.PATRQT, ALICE, DataForm.IDENTIFIABLE, null),
                        "deny", "access.own-record-only"),
                Arguments.of("a registered carer reads for the patient",
                        request(CARER, GP, Purpose.PWATRNY, ALICE, DataForm.IDENTIFIABLE, null),
                        "permit", "access.proxy"),
                Arguments.of("a carer cannot read for someone they do not act for",
                        request(CARER, GP, Purpose.PWATRNY, BOB, DataForm.IDENTIFIABLE, null),
                        "deny", "access.proxy-only"),
                Arguments.of("an ICB gets aggregate planning data through its project",
                        request(ANALYST, ICB, Purpose.HOPERAT, ALICE, DataForm.AGGREGATE, PLANNING.id()),
                        "permit", "governed.nhs-planning"),
                Arguments.of("an ICB cannot exceed its project's form",
                        request(ANALYST, ICB, Purpose.HOPERAT, ALICE, DataForm.PSEUDONYMISED, PLANNING.id()),
                        "deny", "project.form-exceeded"),
                Arguments.of("a project of another organisation does not count",
                        request(ANALYST, ICB, Purpose.HRESCH, ALICE, DataForm.PSEUDONYMISED, STUDY.id()),
                        "deny", "project.other-organisation"),
                Arguments.of("coverage decisions by 'value' are refused, NHS included",
                        request(ANALYST, ICB, Purpose.COVAUTH, ALICE, DataForm.AGGREGATE, null),
                        "deny", "statutory.no-value-rationing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenario(String name, AccessRequest request, String effect, String reasonCode) {
        Decision d = gate(new Consents()).decide(request).decision();
        assertEquals(effect, d.effect().code(), name + ": " + d);
        assertTrue(codes(d).contains(reasonCode), name + ": expected reason " + reasonCode + " in " + codes(d));
    }

    @Test
    void marketingIsRefusedForEveryoneNhsIncluded() {
        Map<Person, Organisation> everyone = Map.of(GP_DOCTOR, GP, ANALYST, ICB, RESEARCHER, UNIVERSITY, COUNCIL_ANALYST, COUNCIL,
                OFFICIAL, HOME_OFFICE, COMPANY_ANALYST, COMPANY, REGULATOR_AUDITOR, REGULATOR);
        Gate gate = gate(new Consents());
        for (var e : everyone.entrySet()) {
            for (Purpose marketing : List.of(Purpose.HMARKT, Purpose.MARKT)) {
                for (DataForm form : DataForm.values()) {
                    Decision d = gate.decide(request(e.getKey(), e.getValue(), marketing, ALICE, form, null)).decision();
                    assertFalse(d.permitted(), e.getValue().name() + " " + marketing + " " + form);
                    assertTrue(codes(d).contains("statutory.no-sale-or-marketing"));
                }
            }
        }
    }

    @Test
    void gpIsPermittedWithoutMentalHealthOnceThePatientWithholdsIt() {
        Consents consents = new Consents();
        Gate gate = gate(consents);
        consents.set(ALICE, new ConsentChoices(Set.of(), Set.of(), Map.of(SensitiveCategory.PSY, Set.of())));
        Decision d = gate.decide(request(GP_DOCTOR, GP, Purpose.TREAT, ALICE, DataForm.IDENTIFIABLE, null)).decision();
        assertTrue(d.permitted());
        assertEquals(List.of(new Obligation.WithholdCategories(EnumSet.of(SensitiveCategory.PSY))), d.obligations());
        // Asking for mental health only is refused outright.
        Decision onlyPsy = gate.decide(request(GP_DOCTOR, GP, Purpose.TREAT, ALICE, DataForm.IDENTIFIABLE, null,
                SensitiveCategory.PSY)).decision();
        assertFalse(onlyPsy.permitted());
        assertTrue(codes(onlyPsy).contains("consent.categories-withheld"));
        // A clinician the patient names still sees it.
        consents.set(ALICE, new ConsentChoices(Set.of(), Set.of(), Map.of(SensitiveCategory.PSY, Set.of(GP_DOCTOR.id()))));
        assertEquals(List.of(), gate.decide(request(GP_DOCTOR, GP, Purpose.TREAT, ALICE, DataForm.IDENTIFIABLE, null))
                .decision().obligations());
    }

    @Test
    void aProjectIsRefusedBeforeItsApprovalStartsAndAfterItEndsAndPermittedBetween() {
        record Case(LocalDate from, LocalDate until, boolean permitted) {}
        for (Case c : List.of(
                new Case(TODAY.plusDays(1), TODAY.plusYears(1), false),
                new Case(TODAY, TODAY.plusYears(1), true),
                new Case(TODAY.minusYears(1), TODAY, true),
                new Case(TODAY.minusYears(1), TODAY.minusDays(1), false))) {
            Project study = new Project(STUDY.id(), STUDY.organisation(), STUDY.purpose(), STUDY.form(), STUDY.status(), c.from(), c.until(),
                    STUDY.ethicsReference(), new Project.Lead("Professor Rhiannon Price", "Chief investigator"), "Public benefit.", List.of());
            Gate gate = new Gate(registers(study), new Consents(), GovernedRuleSet::defaults, CLOCK);
            Decision d = gate.decide(request(RESEARCHER, UNIVERSITY, Purpose.HRESCH, ALICE, DataForm.PSEUDONYMISED, STUDY.id())).decision();
            assertEquals(c.permitted(), d.permitted(), c + ": " + d);
            assertEquals(!c.permitted(), codes(d).contains("project.not-in-force"), c + ": " + codes(d));
        }
    }

    @Test
    void universityIsRefusedOnceThePatientOptsOutOfResearchInEveryForm() {
        Consents consents = new Consents();
        Gate gate = gate(consents);
        AccessRequest pseudonymised = request(RESEARCHER, UNIVERSITY, Purpose.HRESCH, ALICE, DataForm.PSEUDONYMISED, STUDY.id());
        Decision before = gate.decide(pseudonymised).decision();
        assertTrue(before.permitted());
        assertEquals(List.of(new Obligation.Pseudonymise(STUDY.id())), before.obligations());
        consents.set(ALICE, new ConsentChoices(Set.of(PurposeGroup.RESEARCH), Set.of(), Map.of()));
        Decision after = gate.decide(pseudonymised).decision();
        assertFalse(after.permitted(), "the very next decision honours the opt-out");
        assertTrue(codes(after).contains("consent.research-opt-out"));
        assertFalse(gate.decide(request(RESEARCHER, UNIVERSITY, Purpose.HRESCH, ALICE, DataForm.AGGREGATE, STUDY.id()))
                .decision().permitted(), "the opt-out covers aggregate data too");
        assertTrue(gate.decide(request(RESEARCHER, UNIVERSITY, Purpose.HRESCH, BOB, DataForm.PSEUDONYMISED, STUDY.id()))
                .decision().permitted(), "another patient's choice is their own");
    }

    @Test
    void breakGlassIsFlaggedAndOverridesOrganisationRefusalButNotWithheldCategories() {
        Consents consents = new Consents();
        Gate gate = gate(consents);
        Decision flagged = gate.decide(request(HOSPITAL_DOCTOR, HOSPITAL, Purpose.ETREAT, BOB, DataForm.IDENTIFIABLE, null)).decision();
        assertTrue(flagged.permitted() && flagged.breakGlass());
        Decision withRelationship = gate.decide(request(GP_DOCTOR, GP, Purpose.ETREAT, BOB, DataForm.IDENTIFIABLE, null)).decision();
        assertTrue(withRelationship.permitted() && !withRelationship.breakGlass(), "emergency care by the patient's own GP is not break-glass");
        consents.set(ALICE, new ConsentChoices(Set.of(PurposeGroup.DIRECT_CARE), Set.of(HOSPITAL.id()), Map.of(SensitiveCategory.HIV, Set.of())));
        assertFalse(gate.decide(request(HOSPITAL_DOCTOR, HOSPITAL, Purpose.TREAT, ALICE, DataForm.IDENTIFIABLE, null)).decision().permitted());
        Decision emergency = gate.decide(request(HOSPITAL_DOCTOR, HOSPITAL, Purpose.ETREAT, ALICE, DataForm.IDENTIFIABLE, null)).decision();
        assertTrue(emergency.permitted() && emergency.breakGlass());
        assertEquals(List.of(new Obligation.WithholdCategories(EnumSet.of(SensitiveCategory.HIV))), emergency.obligations());
    }

    @Test
    void sharingBeyondThePracticeCanBeRefused() {
        Consents consents = new Consents();
        Gate gate = gate(consents);
        consents.set(ALICE, new ConsentChoices(Set.of(PurposeGroup.DIRECT_CARE), Set.of(), Map.of()));
        assertTrue(gate.decide(request(GP_DOCTOR, GP, Purpose.TREAT, ALICE, DataForm.IDENTIFIABLE, null)).decision().permitted());
        Decision hospital = gate.decide(request(HOSPITAL_DOCTOR, HOSPITAL, Purpose.TREAT, ALICE, DataForm.IDENTIFIABLE, null)).decision();
        assertFalse(hospital.permitted());
        assertTrue(codes(hospital).contains("consent.direct-care-sharing-refused"));
    }

    @Test
    void aGateThatCannotReadConsentDenies() {
        Gate gate = new Gate(registers(), patient -> {
            throw new IllegalStateException("database gone");
        }, org.custodian.core.rules.GovernedRuleSet::defaults, CLOCK);
        Decision d = gate.decide(request(GP_DOCTOR, GP, Purpose.TREAT, ALICE, DataForm.IDENTIFIABLE, null)).decision();
        assertFalse(d.permitted());
        assertEquals(List.of("gate.unavailable"), codes(d));
    }

    private static List<String> codes(Decision d) {
        return d.reasons().stream().map(Reason::code).toList();
    }
}
