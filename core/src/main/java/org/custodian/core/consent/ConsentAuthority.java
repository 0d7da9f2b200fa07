package org.custodian.core.consent;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.LocalDate;
import org.custodian.core.registers.CareRelationship;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Proxy;
import org.custodian.core.registers.Registers;
import org.custodian.core.registers.Role;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.PurposeGroup;

/**
 * Who may change a patient's choices, and as what: the patient themself (purpose PATRQT), a carer
 * or attorney whose proxy is in force with a scope that covers consent (PWATRNY or FAMRQT), or staff
 * of an organisation caring for the patient recording the patient's choice on their behalf (the
 * assisted channel, purpose TREAT; reception, clinicians and Caldicott Guardians).
 */
public final class ConsentAuthority {
    private final Registers registers;
    private final Clock clock;

    public ConsentAuthority(Registers registers, Clock clock) {
        this.registers = requireNonNull(registers, "registers is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The channel this person may record the patient's choices through, or a refusal with its reason. */
    public Verdict mayChange(Person person, Purpose purpose, NhsNumber patient) {
        LocalDate today = LocalDate.now(clock);
        if (patient.equals(person.nhsNumber())) {
            return purpose == Purpose.PATRQT ? Verdict.allowed(ConsentRecord.Channel.PATIENT)
                    : Verdict.refused("consent.wrong-purpose", "A patient changes their own choices with a 'patient request' (PATRQT) token.");
        }
        if (purpose.group() == PurposeGroup.PROXY) {
            for (Proxy p : registers.proxies(patient)) {
                if (p.proxy().equals(person.id()) && p.inForce(today) && p.scope().mayChangeConsent()) {
                    return Verdict.allowed(ConsentRecord.Channel.PROXY);
                }
            }
            return Verdict.refused("consent.not-a-proxy", "Only a carer or attorney registered to act for the patient, with a scope"
                    + " that covers their choices, may change them.");
        }
        boolean staff = person.role() == Role.RECEPTION || person.role() == Role.CLINICIAN || person.role() == Role.CALDICOTT_GUARDIAN;
        if (staff && purpose == Purpose.TREAT) {
            for (CareRelationship c : registers.careRelationships(patient)) {
                if (c.organisation().equals(person.organisation()) && c.inForce(today)) {
                    return Verdict.allowed(ConsentRecord.Channel.ASSISTED);
                }
            }
            return Verdict.refused("consent.no-care-relationship",
                    "Staff may record a patient's choices only for a patient their organisation cares for.");
        }
        return Verdict.refused("consent.not-entitled",
                "Only the patient, their registered carer or attorney, or staff caring for them may change their choices.");
    }

    /** The answer: a channel, or a refusal code and text. */
    public record Verdict(ConsentRecord.Channel channel, String code, String text) {
        static Verdict allowed(ConsentRecord.Channel channel) {
            return new Verdict(channel, null, null);
        }

        static Verdict refused(String code, String text) {
            return new Verdict(null, code, text);
        }

        public boolean allowed() {
            return channel != null;
        }
    }
}
