package org.custodian.core.decisions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.custodian.core.registers.Relationship;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.rules.GovernedRule;
import org.custodian.core.rules.GovernedRuleSet;
import org.custodian.core.rules.Reason;
import org.custodian.core.rules.StatutoryRule;
import org.custodian.core.rules.StatutoryRules;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.PurposeGroup;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.junit.jupiter.api.Test;

/**
 * Invariant 4: the statutory rules cannot be configured away. Enumerates the entire finite request
 * space (sector x role x purpose x form x requested-category set x relationship x project state),
 * and for every request a statutory rule forbids, every configurable state (the patient's refused
 * purposes, refused organisation, withheld categories; the most permissive governed rules possible
 * as well as the defaults; every data-sharing agreement state, in turn) and checks the decision is a denial citing that statutory rule.
 */
class TestStatutoryRulesCannotBeConfiguredAway {

    private static final Sector[] SECTORS = Sector.values();
    private static final Role[] ROLES = Role.values();
    private static final Purpose[] PURPOSES = Purpose.values();
    private static final DataForm[] FORMS = DataForm.values();
    private static final Relationship[] RELATIONSHIPS = Relationship.values();
    private static final ProjectState[] PROJECT_STATES = ProjectState.values();
    private static final List<Set<SensitiveCategory>> CATEGORY_SETS = allSubsets(SensitiveCategory.class);
    /** Every agreement state, and an agreement in force covering no sensitive category (all left out). */
    static final List<AgreementMatch> AGREEMENTS = List.of(AgreementMatch.NONE,
            new AgreementMatch(AgreementState.IN_FORCE, "a1", Set.of()),
            new AgreementMatch(AgreementState.IN_FORCE, "a1", EnumSet.allOf(SensitiveCategory.class)),
            new AgreementMatch(AgreementState.NOT_IN_FORCE, "a1", Set.of()),
            new AgreementMatch(AgreementState.FORM_EXCEEDED, "a1", Set.of()),
            new AgreementMatch(AgreementState.DATA_EXCEEDED, "a1", Set.of()));
    private static final List<Set<PurposeGroup>> REFUSAL_SETS = allSubsets(PurposeGroup.class).stream()
            .filter(s -> org.custodian.core.consent.ConsentChoices.CHOOSABLE.containsAll(s)).toList();

    /** The most permissive governed rules a panel could ever adopt: every sector, secondary purpose and form. */
    static GovernedRuleSet permitEverything() {
        EnumSet<Purpose> secondary = EnumSet.noneOf(Purpose.class);
        for (Purpose p : PURPOSES) {
            if (p.group().isSecondary()) {
                secondary.add(p);
            }
        }
        List<GovernedRule> rules = new ArrayList<>();
        rules.add(new GovernedRule("everything-with-project", "all", EnumSet.allOf(Sector.class), secondary,
                EnumSet.allOf(DataForm.class), true, false, 1));
        rules.add(new GovernedRule("everything-else", "all", EnumSet.allOf(Sector.class), secondary,
                EnumSet.of(DataForm.IDENTIFIABLE, DataForm.AGGREGATE), false, false, 1));
        return new GovernedRuleSet(99, rules);
    }

    @Test
    void noConfigurationPermitsWhatAStatutoryRuleForbids() {
        List<GovernedRuleSet> configurations = List.of(permitEverything(), GovernedRuleSet.defaults());
        AtomicLong forbiddenRequests = new AtomicLong();
        AtomicLong decisions = new AtomicLong();
        IntStream.range(0, SECTORS.length * ROLES.length).parallel().forEach(sr -> {
            Sector sector = SECTORS[sr / ROLES.length];
            Role role = ROLES[sr % ROLES.length];
            SplittableRandom random = new SplittableRandom(sr);
            long local = 0;
            long localForbidden = 0;
            for (Purpose purpose : PURPOSES) {
                for (DataForm form : FORMS) {
                    for (Relationship relationship : RELATIONSHIPS) {
                        EnumSet<StatutoryRule> forbidden = StatutoryRules.forbidding(sector, role, purpose, form, relationship);
                        if (forbidden.isEmpty()) {
                            continue;
                        }
                        localForbidden++;
                        Set<String> expected = forbidden.stream().map(StatutoryRule::code).collect(Collectors.toSet());
                        int agreementTurn = 0;
                        for (ProjectState project : PROJECT_STATES) {
                            String projectId = project == ProjectState.NONE ? null : "p1";
                            for (Set<SensitiveCategory> requested : CATEGORY_SETS) {
                                for (Set<SensitiveCategory> withheld : withheldChoices(requested, random)) {
                                    for (Set<PurposeGroup> refused : REFUSAL_SETS) {
                                        for (boolean organisationRefused : new boolean[] {false, true}) {
                                            // The agreement (a configurable state, like the rules) in turn, so that
                                            // each forbidden point meets every agreement state.
                                            AgreementMatch agreement = AGREEMENTS.get(agreementTurn++ % AGREEMENTS.size());
                                            Facts facts = new Facts(sector, role, purpose, form, requested, relationship, project,
                                                    projectId, refused, organisationRefused, withheld, agreement);
                                            for (GovernedRuleSet governed : configurations) {
                                                Decision d = Policy.decide(facts, governed);
                                                local++;
                                                if (d.permitted() || !codes(d).containsAll(expected)) {
                                                    fail("statutory rule " + expected + " configured away: " + facts + " under governed rules v"
                                                            + governed.version() + " -> " + d);
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            decisions.addAndGet(local);
            forbiddenRequests.addAndGet(localForbidden);
        });
        // The space really was enumerated: every forbidden (sector, role, purpose, form, relationship)
        // point, times 7 project states x 64 category sets x 4 withheld sets x 8 refusal sets x 2 x 2 rule sets.
        assertEquals(forbiddenRequests.get() * 7 * 64 * 4 * 8 * 2 * 2, decisions.get());
        assertTrue(forbiddenRequests.get() > 1000, "the statutory rules forbid a large part of the space");
    }

    /** Withheld categories, relative to those requested: none, all, exactly those requested, and a random set. */
    private static List<Set<SensitiveCategory>> withheldChoices(Set<SensitiveCategory> requested, SplittableRandom random) {
        return List.of(Set.of(), EnumSet.allOf(SensitiveCategory.class), requested, CATEGORY_SETS.get(random.nextInt(CATEGORY_SETS.size())));
    }

    private static Set<String> codes(Decision d) {
        return d.reasons().stream().map(Reason::code).collect(Collectors.toSet());
    }

    /**
     * The statutory rules are exactly DESIGN.md's table: an oracle written from the table's words,
     * compared with the code over the whole (sector x role x purpose x form x relationship) space.
     */
    @Test
    void statutoryRulesAreExactlyTheTableInDesign() {
        int checked = 0;
        for (Sector sector : SECTORS) {
            for (Role role : ROLES) {
                for (Purpose purpose : PURPOSES) {
                    for (DataForm form : FORMS) {
                        for (Relationship relationship : RELATIONSHIPS) {
                            EnumSet<StatutoryRule> expected = EnumSet.noneOf(StatutoryRule.class);
                            boolean staff = role != Role.PATIENT;
                            boolean directCare = purpose == Purpose.TREAT || purpose == Purpose.ETREAT || purpose == Purpose.BTG;
                            boolean ownOrProxy = purpose == Purpose.PATRQT || purpose == Purpose.PWATRNY || purpose == Purpose.FAMRQT;
                            boolean secondary = !directCare && !ownOrProxy;
                            // "any purpose other than direct care of the patient, by a private company"
                            if (staff && sector == Sector.PRIVATE_COMPANY && !directCare) {
                                expected.add(StatutoryRule.NO_PRIVATE_SECONDARY_USE);
                            }
                            // "secondary use of identifiable or pseudonymised data by non-health government bodies"
                            if (staff && sector == Sector.OTHER_GOVERNMENT && secondary
                                    && (form == DataForm.IDENTIFIABLE || form == DataForm.PSEUDONYMISED)) {
                                expected.add(StatutoryRule.NO_OTHER_GOVERNMENT_SECONDARY_USE);
                            }
                            // "commercial or marketing purposes, for everyone"
                            if (purpose == Purpose.HMARKT || purpose == Purpose.MARKT) {
                                expected.add(StatutoryRule.NO_SALE_OR_MARKETING);
                            }
                            // "deciding where or on whom care money is spent by 'value'"
                            if (purpose == Purpose.COVAUTH || purpose == Purpose.ELIGDTRM) {
                                expected.add(StatutoryRule.NO_VALUE_RATIONING);
                            }
                            // "direct-care reads need a care relationship, or break-glass"
                            boolean careRelationship = (relationship == Relationship.CARE_REGISTERED || relationship == Relationship.CARE_OTHER)
                                    && (role == Role.CLINICIAN || role == Role.CALDICOTT_GUARDIAN);
                            boolean breakGlass = (purpose == Purpose.ETREAT || purpose == Purpose.BTG) && role == Role.CLINICIAN;
                            if (directCare && !careRelationship && !breakGlass) {
                                expected.add(StatutoryRule.CARE_NEEDS_RELATIONSHIP);
                            }
                            assertEquals(expected, StatutoryRules.forbidding(sector, role, purpose, form, relationship),
                                    sector + " " + role + " " + purpose + " " + form + " " + relationship);
                            checked++;
                        }
                    }
                }
            }
        }
        assertEquals(SECTORS.length * ROLES.length * PURPOSES.length * FORMS.length * RELATIONSHIPS.length, checked);
    }

    @Test
    void humanReviewAndPanelRulesHold() {
        assertFalse(StatutoryRules.mayTakeEffect(null, null), "an unreviewed algorithm output takes no effect");
        assertFalse(StatutoryRules.mayTakeEffect(Role.ANALYST, "a1"), "only a clinician's review counts");
        assertTrue(StatutoryRules.mayTakeEffect(Role.CLINICIAN, "dr-1"));
        for (Sector s : SECTORS) {
            assertEquals(s != Sector.PRIVATE_COMPANY, StatutoryRules.mayJoinPanel(List.of(s)), s.code());
            assertFalse(StatutoryRules.mayJoinPanel(List.of(s, Sector.PRIVATE_COMPANY)), "any private affiliation excludes");
        }
    }

    private static <E extends Enum<E>> List<Set<E>> allSubsets(Class<E> type) {
        E[] values = type.getEnumConstants();
        List<Set<E>> subsets = new ArrayList<>();
        for (int mask = 0; mask < 1 << values.length; mask++) {
            EnumSet<E> s = EnumSet.noneOf(type);
            for (int i = 0; i < values.length; i++) {
                if ((mask & 1 << i) != 0) {
                    s.add(values[i]);
                }
            }
            subsets.add(s);
        }
        return List.copyOf(subsets);
    }
}
