package org.custodian.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.custodian.core.consent.ConsentChoices;
import org.custodian.core.decisions.AccessRequest;
import org.custodian.core.decisions.Decision;
import org.custodian.core.decisions.Facts;
import org.custodian.core.decisions.Gate;
import org.custodian.core.decisions.Policy;
import org.custodian.core.decisions.ProjectState;
import org.custodian.core.registers.Relationship;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.rules.GovernedRuleSet;
import org.custodian.core.rules.Reason;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.PurposeGroup;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.junit.jupiter.api.Test;

/**
 * The benchmark compares like with like only if {@code gate.cedar} decides as {@link Policy} does.
 * Points of (sector x role x purpose x form x relationship x project state), with the patient's
 * choices (refused purposes, refused organisation, requested and withheld categories), go through
 * both; then part of the benchmark's own request mix goes through both gates, look-ups included.
 */
class TestCedarPoliciesMatchThePolicy {
    private static final GovernedRuleSet RULES = GovernedRuleSet.defaults();
    private static final List<Set<SensitiveCategory>> CATEGORY_SETS = subsets(SensitiveCategory.class);
    /** Without -Dcustodian.cedar.full=true, one permitted point in this many goes to Cedar (some 8,200 decisions in all), and one denied point in that many. */
    private static final int PERMITS_ONE_IN = 8;
    private static final int DENIALS_ONE_IN = 60;
    private static final PurposeGroup[] CHOOSABLE = ConsentChoices.CHOOSABLE.toArray(new PurposeGroup[0]);

    /**
     * Every point of (sector x role x purpose x form x relationship x project state) is decided by
     * the policy with no choices of the patient. Where that is a permit, each of the patient's choices
     * that could turn it into a denial is tried on its own (and a random mix); where it is a denial,
     * the plain facts and a random mix. By default a seeded sample of the points goes to Cedar (its
     * answer costs a few hundred microseconds here, and the build must stay quick);
     * {@code -Dcustodian.cedar.full=true} sends every point (about 250,000 decisions, minutes).
     */
    @Test
    void cedarAllowsExactlyWhatThePolicyPermitsAcrossTheRequestSpace() {
        CedarGate cedar = new CedarGate(BenchWorld.generate(1, 10, 1, BenchWorld.fixedClock()).registers,
                patient -> { throw new AssertionError("not used"); }, BenchWorld.fixedClock());
        SplittableRandom random = new SplittableRandom(42);
        boolean full = Boolean.getBoolean("custodian.cedar.full");
        int checked = 0;
        int permitted = 0;
        List<String> mismatches = new ArrayList<>();
        for (Sector sector : Sector.values()) {
            for (Role role : Role.values()) {
                for (Purpose purpose : Purpose.values()) {
                    for (DataForm form : DataForm.values()) {
                        for (Relationship relationship : Relationship.values()) {
                            for (ProjectState project : ProjectState.values()) {
                                String projectId = project == ProjectState.NONE ? null : "p1";
                                Facts plain = new Facts(sector, role, purpose, form, Set.of(), relationship, project, projectId,
                                        Set.of(), false, Set.of());
                                boolean permitable = Policy.decide(plain, RULES).permitted();
                                if (!full && random.nextInt(permitable ? PERMITS_ONE_IN : DENIALS_ONE_IN) != 0) {
                                    continue;
                                }
                                for (Facts f : variants(plain, permitable, random)) {
                                    boolean expected = Policy.decide(f, RULES).permitted();
                                    Set<String> refusedOrganisations = f.organisationRefused() ? Set.of("ORG", "OTHER") : Set.of("OTHER");
                                    boolean actual = cedar.allowed("person", role, "ORG", sector, purpose, "9434765919", form, relationship,
                                            project, f.refusedPurposes(), refusedOrganisations, f.requestedCategories(), f.withheldCategories());
                                    checked++;
                                    if (expected) {
                                        permitted++;
                                    }
                                    if (expected != actual && mismatches.size() < 20) {
                                        mismatches.add(f + " policy=" + Policy.decide(f, RULES) + " cedar=" + actual);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), mismatches);
        assertTrue(checked > (full ? 200_000 : 3_000), checked + " decisions checked");
        assertTrue(permitted > checked / 20, "the sample holds permits as well as denials: " + permitted + " of " + checked);
    }

    /** The facts to try at one point: see above. */
    private static List<Facts> variants(Facts plain, boolean permitable, SplittableRandom random) {
        List<Facts> out = new ArrayList<>();
        out.add(plain);
        out.add(randomChoices(plain, random));
        if (permitable) {
            for (PurposeGroup g : CHOOSABLE) {
                out.add(with(plain, Set.of(), EnumSet.of(g), false, Set.of()));
            }
            out.add(with(plain, Set.of(), Set.of(), true, Set.of()));
            SensitiveCategory one = SensitiveCategory.values()[random.nextInt(SensitiveCategory.values().length)];
            SensitiveCategory other = SensitiveCategory.values()[(one.ordinal() + 1) % SensitiveCategory.values().length];
            out.add(with(plain, EnumSet.of(one), Set.of(), false, EnumSet.of(one)));
            out.add(with(plain, EnumSet.of(one, other), Set.of(), false, EnumSet.of(one)));
            out.add(with(plain, Set.of(), Set.of(), false, EnumSet.allOf(SensitiveCategory.class)));
        }
        return out;
    }

    private static Facts with(Facts f, Set<SensitiveCategory> requested, Set<PurposeGroup> refused, boolean organisationRefused,
            Set<SensitiveCategory> withheld) {
        return new Facts(f.sector(), f.role(), f.purpose(), f.form(), requested, f.relationship(), f.projectState(), f.projectId(),
                refused, organisationRefused, withheld);
    }

    /** The patient's choices at random: withheld categories none, all, exactly those requested, or a random set. */
    private static Facts randomChoices(Facts f, SplittableRandom random) {
        EnumSet<PurposeGroup> refused = EnumSet.noneOf(PurposeGroup.class);
        for (PurposeGroup g : CHOOSABLE) {
            if (random.nextInt(3) == 0) {
                refused.add(g);
            }
        }
        Set<SensitiveCategory> requested = random.nextBoolean() ? Set.of() : CATEGORY_SETS.get(random.nextInt(CATEGORY_SETS.size()));
        Set<SensitiveCategory> withheld = switch (random.nextInt(4)) {
            case 0 -> Set.of();
            case 1 -> EnumSet.allOf(SensitiveCategory.class);
            case 2 -> requested;
            default -> CATEGORY_SETS.get(random.nextInt(CATEGORY_SETS.size()));
        };
        return with(f, requested, refused, random.nextInt(4) == 0, withheld);
    }

    @Test
    void bothGatesDecideTheBenchmarksRequestMixAlikeAndItCoversEveryKindOfRequest() {
        BenchWorld world = BenchWorld.generate(20261123L, 5_000, 1 << 12, BenchWorld.fixedClock());
        Gate gate = new Gate(world.registers, world.consents, () -> RULES, world.clock);
        CedarGate cedar = new CedarGate(world.registers, world.consents, world.clock);
        Map<String, Integer> reasons = new TreeMap<>();
        int permits = 0;
        for (AccessRequest r : world.requests) {
            Decision d = gate.decide(r).decision();
            assertEquals(d.permitted(), cedar.decide(r), () -> r + " -> " + d);
            permits += d.permitted() ? 1 : 0;
            for (Reason reason : d.reasons()) {
                reasons.merge(reason.code(), 1, Integer::sum);
            }
        }
        for (String code : List.of("care.relationship", "care.break-glass", "access.own-record", "access.proxy",
                "governed.public-interest-research", "governed.nhs-planning", "consent.categories-left-out",
                "statutory.no-private-secondary-use", "statutory.no-other-government-secondary-use", "statutory.no-sale-or-marketing",
                "statutory.no-value-rationing", "statutory.care-needs-relationship", "access.own-record-only", "access.proxy-only",
                "governed.no-rule", "project.required", "project.not-in-force", "project.other-organisation",
                "project.ethics-approval-required", "project.form-exceeded", "consent.research-opt-out", "consent.planning-opt-out",
                "consent.organisation-refused", "consent.categories-withheld")) {
            assertTrue(reasons.containsKey(code), "the request mix never gives " + code + ": " + reasons);
        }
        int share = permits * 100 / world.requests.length;
        assertTrue(share > 40 && share < 85, "permits are " + share + "% of the mix: " + reasons);
    }

    @Test
    void aChangeOfConsentReachesTheNextDecisionOfBothGates() {
        BenchWorld world = BenchWorld.generate(7, 200, 1, BenchWorld.fixedClock());
        Gate gate = new Gate(world.registers, world.consents, () -> RULES, world.clock);
        CedarGate cedar = new CedarGate(world.registers, world.consents, world.clock);
        AccessRequest own = null;
        for (var p : world.registers.people()) {
            if (p.nhsNumber() != null) {
                own = new AccessRequest(p, world.registers.organisation(p.organisation()).orElseThrow(), Purpose.PATRQT, p.nhsNumber(),
                        DataForm.IDENTIFIABLE, Set.of(SensitiveCategory.HIV), List.of(), null, "test");
                world.consents.record(p.nhsNumber(), ConsentChoices.NOTHING_REFUSED);
                break;
            }
        }
        // The patient's own request for one category, then a clinician of their practice asking for the same.
        AccessRequest request = own;
        assertTrue(gate.decide(request).decision().permitted());
        assertTrue(cedar.decide(request));
        long loads = world.consents.loads();
        gate.decide(request);
        assertEquals(loads, world.consents.loads(), "a warm cache answers without loading");
        world.consents.record(request.patient(), new ConsentChoices(Set.of(), Set.of(request.organisation().id()),
                new HashMap<>(Map.of(SensitiveCategory.HIV, Set.of()))));
        // Withheld categories never bind the patient reading their own record; a refused organisation does not either.
        assertTrue(gate.decide(request).decision().permitted());
        assertTrue(cedar.decide(request));
        assertEquals(loads + 1, world.consents.loads(), "the change dropped the cached copy");
        AccessRequest gp = null;
        for (var p : world.registers.people()) {
            if (p.organisation().equals(request.organisation().id()) && p.role() == Role.CLINICIAN) {
                gp = new AccessRequest(p, request.organisation(), Purpose.TREAT, request.patient(), DataForm.IDENTIFIABLE,
                        Set.of(SensitiveCategory.HIV), List.of(), null, "test");
                break;
            }
        }
        assertFalse(gate.decide(gp).decision().permitted(), "the patient refused the practice and withheld what it asks for");
        assertFalse(cedar.decide(gp));
    }

    private static <E extends Enum<E>> List<Set<E>> subsets(Class<E> type) {
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
        return subsets;
    }
}
