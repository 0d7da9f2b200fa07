package org.custodian.core.decisions;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.SensitiveCategory;

/**
 * One request to use one patient's data: who asks (an authenticated person and the organisation they
 * act for), why, what (sensitive categories; empty means the whole record; resource types for the
 * record), in what form, under which project.
 *
 * @param projectId the project the request is made under, or null
 * @param via where the request came from ("api", "fhir", "page", ...), recorded with the decision
 */
public record AccessRequest(Person requester, Organisation organisation, Purpose purpose, NhsNumber patient, DataForm form,
        Set<SensitiveCategory> categories, List<String> resources, String projectId, String via) {

    public AccessRequest {
        requireNonNull(requester, "requester is null");
        requireNonNull(organisation, "organisation is null");
        requireNonNull(purpose, "purpose is null");
        requireNonNull(patient, "patient is null");
        requireNonNull(form, "form is null");
        requireNonNull(via, "via is null");
        categories = categories.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(categories));
        resources = List.copyOf(resources);
        if (!requester.organisation().equals(organisation.id())) {
            throw new IllegalArgumentException("the requester acts for " + requester.organisation() + ", not " + organisation.id());
        }
    }
}
