package org.custodian.core.decisions;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.custodian.core.consent.ConsentChoices;
import org.custodian.core.consent.ConsentRecord;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Registers;
import org.custodian.core.registers.Relationship;
import org.custodian.core.rules.GovernedRuleSet;
import org.custodian.core.rules.Reason;
import org.custodian.core.vocabulary.SensitiveCategory;

/**
 * The gate's decision, in memory: look up the facts (relationship, project, agreement, consent, rules), then
 * apply the {@link Policy}. It records nothing; {@link RecordingGate} does, and every caller that
 * returns data MUST go through that.
 *
 * <p>Fails closed: if the registers, the consent or the rules cannot be read, the answer is a
 * denial with reason {@code gate.unavailable}.
 */
public final class Gate {
    private static final Logger LOG = Logger.getLogger(Gate.class.getName());
    static final Reason UNAVAILABLE = new Reason("gate.unavailable",
            "The gate could not read what it needs to decide (registers, consent or rules), so it refuses.");

    /** Where the gate reads a patient's choices; MUST reflect a change in every process within one second. */
    public interface ConsentSource {
        ConsentRecord current(NhsNumber patient);
    }

    /** Where the gate reads the governed rules in force. */
    public interface RuleSource {
        GovernedRuleSet current();
    }

    private final FactLookup lookup;
    private final ConsentSource consent;
    private final RuleSource rules;
    private final Clock clock;

    public Gate(Registers registers, ConsentSource consent, RuleSource rules, Clock clock) {
        this.lookup = new FactLookup(requireNonNull(registers, "registers is null"));
        this.consent = requireNonNull(consent, "consent is null");
        this.rules = requireNonNull(rules, "rules is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public Ruling decide(AccessRequest request) {
        Relationship relationship = Relationship.NONE;
        try {
            LocalDate today = LocalDate.now(clock);
            relationship = lookup.relationship(request.requester(), request.patient(), today);
            ConsentRecord choices = consent.current(request.patient());
            GovernedRuleSet governed = rules.current();
            AgreementMatch agreement = lookup.agreement(request, today);
            Facts facts = facts(request, relationship, lookup.projectState(request, today), choices.choices(), agreement);
            return new Ruling(request, Policy.decide(facts, governed), relationship, governed.version(), choices.version(),
                    agreement.agreementId());
        } catch (RuntimeException e) {
            // Fail closed, whatever went wrong: a missing fact is never read as permission.
            LOG.log(Level.WARNING, "Gate cannot decide, denying: " + e);
            return new Ruling(request, Decision.deny(List.of(UNAVAILABLE)), relationship, -1, -1);
        }
    }

    private static Facts facts(AccessRequest r, Relationship relationship, ProjectState project, ConsentChoices choices,
            AgreementMatch agreement) {
        Set<SensitiveCategory> withheld = choices.withheldCategories().isEmpty()
                ? Set.of() : choices.withheldFrom(r.requester().id());
        return new Facts(r.organisation().sector(), r.requester().role(), r.purpose(), r.form(), r.categories(), relationship,
                project, project == ProjectState.NONE ? null : r.projectId(),
                choices.refusedPurposes(), choices.refusesOrganisation(r.organisation().id()), withheld, agreement);
    }
}
