package org.custodian.server.patients;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.custodian.core.identity.IdToken;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Registers;
import org.custodian.core.registers.Role;

/**
 * Who a validated ID token signs in, among the people in the registers; {@link #patients} on the
 * patients' side, {@link #staff} on the staff's.
 *
 * <p>Patients and their proxies are found two ways, and no others:
 *
 * <ol>
 *   <li>By NHS number. The token's {@value #NHS_NUMBER_CLAIM} claim (NHS login's name for it) names the
 *       patient registered with that NHS number. When a token carries an NHS number, it alone decides:
 *       a number that is invalid or not registered signs nobody in, and nothing else in the token is
 *       tried instead. Carers and attorneys who have an NHS number (most people in England do) are
 *       found this way too, once the registers record their number.
 *   <li>By person id, only when the deployment names a claim for it ({@code personClaim}) and the token
 *       carries no NHS number: the person with that id, if they are a patient-side person (role
 *       PATIENT) with no NHS number of their own, that is, a carer or attorney registered only as a
 *       proxy. A person with an NHS number is never signed in this way, so a claim that the provider
 *       lets someone edit could at worst name a proxy, never take over a patient's own record.
 * </ol>
 *
 * <p>Staff are found one way: by person id, in the claim the deployment names for it, and only if the
 * registers give that person a staff role (reception, clinician, Caldicott guardian) or the auditor's.
 * Never by NHS number (it names a patient), and never a person with the role PATIENT: the staff's
 * provider cannot sign anyone in to a patient's pages, nor the patients' provider anyone in to the
 * staff's. The organisation a member of staff acts for is the one the registers give them, whatever the
 * token says.
 *
 * <p>Why a claim rather than a table of links between provider accounts and people: a link table needs
 * an enrolment step (who links which account, having checked what?) that is itself a way in; with a
 * claim, the binding is made where the person's identity is proved, by the provider's administrators,
 * and the deployment's trust in the provider is the same trust it already places in its
 * {@code nhs_number}. The {@code sub} alone is not used for patients: it is unique only within one
 * provider (OpenID Connect Core 1.0 §5.7) and means nothing to the registers; for staff, a deployment may
 * name {@code sub} as the claim when its staff's provider is the one that gives people their ids.
 */
final class OidcPeople {
    static final String NHS_NUMBER_CLAIM = "nhs_number";

    private final Registers registers;
    private final OidcClient.Who who;
    private final Optional<String> personClaim;

    private OidcPeople(Registers registers, OidcClient.Who who, Optional<String> personClaim) {
        this.registers = requireNonNull(registers, "registers is null");
        this.who = requireNonNull(who, "who is null");
        this.personClaim = requireNonNull(personClaim, "personClaim is null");
    }

    static OidcPeople patients(Registers registers, Optional<String> personClaim) {
        return new OidcPeople(registers, OidcClient.Who.PATIENTS, personClaim);
    }

    static OidcPeople staff(Registers registers, String personClaim) {
        return new OidcPeople(registers, OidcClient.Who.STAFF, Optional.of(requireNonNull(personClaim, "personClaim is null")));
    }

    /** Whom the settings' side of a deployment finds by these settings. */
    static OidcPeople of(Registers registers, OidcClient.Settings settings) {
        return settings.who() == OidcClient.Who.STAFF ? staff(registers, settings.personClaim().orElseThrow())
                : patients(registers, settings.personClaim());
    }

    Optional<Person> person(IdToken token) {
        if (who == OidcClient.Who.STAFF) {
            return personClaim.flatMap(token::string).flatMap(registers::person)
                    .filter(p -> StaffPages.isStaff(p) || AuditPages.isAuditor(p));
        }
        if (token.claims().containsKey(NHS_NUMBER_CLAIM)) {
            return token.string(NHS_NUMBER_CLAIM).filter(NhsNumber::isValid).map(NhsNumber::parse).flatMap(registers::patient)
                    .filter(p -> p.role() == Role.PATIENT);
        }
        return personClaim.flatMap(token::string).flatMap(registers::person)
                .filter(p -> p.role() == Role.PATIENT && p.nhsNumber() == null);
    }
}
