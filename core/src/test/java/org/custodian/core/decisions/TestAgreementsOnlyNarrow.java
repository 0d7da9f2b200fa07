package org.custodian.core.decisions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.custodian.core.registers.Relationship;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.rules.GovernedRuleSet;
import org.custodian.core.rules.Reason;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.PurposeGroup;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A data-sharing agreement can only narrow what the rules allow: for random requests (seeded), whatever the
 * agreement's state, a request refused without it is refused with it, for at least the same reasons; a request
 * under an agreement not in force, or beyond it, is refused; and categories outside an agreement are withheld.
 */
class TestAgreementsOnlyNarrow {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void anAgreementNeverTurnsARefusalIntoAPermitAndRefusesWhenNotInForceOrExceeded(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<GovernedRuleSet> rules = List.of(GovernedRuleSet.defaults(), TestStatutoryRulesCannotBeConfiguredAway.permitEverything());
        int permitsSeen = 0;
        for (int i = 0; i < 50_000; i++) {
            Facts plain = randomFacts(random, AgreementMatch.NONE);
            GovernedRuleSet governed = rules.get(random.nextInt(rules.size()));
            Decision without = Policy.decide(plain, governed);
            for (AgreementMatch agreement : TestStatutoryRulesCannotBeConfiguredAway.AGREEMENTS) {
                Facts under = withAgreement(plain, agreement);
                Decision with = Policy.decide(under, governed);
                if (!without.permitted()) {
                    assertFalse(with.permitted(), () -> "an agreement turned a refusal into a permit: " + under);
                    assertTrue(with.reasons().containsAll(without.reasons()), () -> "reasons were lost: " + without + " -> " + with);
                }
                boolean secondary = plain.purpose().group().isSecondary();
                AgreementState state = agreement.state();
                if (secondary && (state == AgreementState.NOT_IN_FORCE || state == AgreementState.FORM_EXCEEDED
                        || state == AgreementState.DATA_EXCEEDED)) {
                    assertFalse(with.permitted(), () -> "permitted under an agreement " + state + ": " + under);
                    assertTrue(with.reasons().stream().map(Reason::code).anyMatch(c -> c.startsWith("agreement.")), with::toString);
                }
                if (with.permitted() && secondary && state == AgreementState.IN_FORCE && !agreement.outside().isEmpty()) {
                    permitsSeen++;
                    Set<SensitiveCategory> withheld = with.obligations().stream()
                            .filter(o -> o instanceof Obligation.WithholdCategories).map(o -> ((Obligation.WithholdCategories) o).categories())
                            .findFirst().orElse(Set.of());
                    assertTrue(withheld.containsAll(agreement.outside()), () -> "categories outside the agreement withheld: " + with);
                }
            }
        }
        assertTrue(permitsSeen > 0, "some secondary-use permits under an agreement were checked");
    }

    private static Facts withAgreement(Facts f, AgreementMatch a) {
        return new Facts(f.sector(), f.role(), f.purpose(), f.form(), f.requestedCategories(), f.relationship(), f.projectState(), f.projectId(),
                f.refusedPurposes(), f.organisationRefused(), f.withheldCategories(), a);
    }

    private static Facts randomFacts(SplittableRandom random, AgreementMatch agreement) {
        Sector sector = pick(random, Sector.values());
        Role role = pick(random, Role.values());
        Purpose purpose = random.nextInt(3) == 0 ? pick(random, Purpose.values()) : pick(random, new Purpose[] {Purpose.HRESCH, Purpose.HOPERAT});
        DataForm form = pick(random, DataForm.values());
        Relationship relationship = pick(random, Relationship.values());
        ProjectState project = random.nextBoolean() ? ProjectState.IN_FORCE : pick(random, ProjectState.values());
        String projectId = project == ProjectState.NONE ? null : "p1";
        Set<SensitiveCategory> requested = random.nextInt(3) == 0 ? someOf(random, SensitiveCategory.class) : Set.of();
        Set<PurposeGroup> refused = random.nextInt(4) == 0 ? Set.of(PurposeGroup.RESEARCH) : Set.of();
        Set<SensitiveCategory> withheld = random.nextInt(4) == 0 ? someOf(random, SensitiveCategory.class) : Set.of();
        return new Facts(sector, role, purpose, form, requested, relationship, project, projectId, refused, random.nextInt(8) == 0, withheld,
                agreement);
    }

    private static <T> T pick(SplittableRandom random, T[] values) {
        return values[random.nextInt(values.length)];
    }

    private static <E extends Enum<E>> Set<E> someOf(SplittableRandom random, Class<E> type) {
        List<E> chosen = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (random.nextBoolean()) {
                chosen.add(e);
            }
        }
        return chosen.isEmpty() ? Set.of() : EnumSet.copyOf(chosen);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NOT_IN_FORCE", "FORM_EXCEEDED", "DATA_EXCEEDED"})
    void aResearchRequestThatWouldBePermittedIsRefusedUnderAnAgreementNotInForceOrExceeded(String stateName) {
        AgreementState state = AgreementState.valueOf(stateName);
        Facts plain = new Facts(Sector.PUBLIC_RESEARCH, Role.RESEARCHER, Purpose.HRESCH, DataForm.PSEUDONYMISED, Set.of(), Relationship.NONE,
                ProjectState.IN_FORCE, "p1", Set.of(), false, Set.of());
        assertTrue(Policy.decide(plain, GovernedRuleSet.defaults()).permitted(), "the baseline is a permit");
        Decision d = Policy.decide(withAgreement(plain, new AgreementMatch(state, "a1", Set.of())), GovernedRuleSet.defaults());
        assertFalse(d.permitted());
        assertEquals("agreement." + stateName.toLowerCase().replace("_in_", "-in-").replace('_', '-'),
                d.reasons().stream().map(Reason::code).filter(c -> c.startsWith("agreement.")).findFirst().orElseThrow());
    }
}
