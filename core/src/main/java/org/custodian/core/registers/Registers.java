package org.custodian.core.registers;

import java.util.List;
import java.util.Optional;

/**
 * The registers as the gate reads them. Implementations MUST reflect a committed change in every
 * process sharing the database within one second, and MUST NOT answer from a view older than that
 * (when they cannot know, they read the database). When they can neither know nor read, lookups
 * throw {@link RegistersUnavailableException}, which the gate MUST turn into a deny.
 */
public interface Registers {
    Optional<Organisation> organisation(String id);

    Optional<Person> person(String id);

    /** The patient's person record, by NHS number. */
    Optional<Person> patient(NhsNumber nhsNumber);

    /** Every care relationship of the patient, in force or not. */
    List<CareRelationship> careRelationships(NhsNumber patient);

    /** Every proxy acting for the patient, in force or not. */
    List<Proxy> proxies(NhsNumber patient);

    Optional<Project> project(String id);

    /** Every agreement whose partner is this organisation, in force or not, by id. */
    List<Agreement> agreementsOf(String partner);
}
