package org.custodian.core.identity;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Optional;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Project;
import org.custodian.core.vocabulary.Purpose;

/**
 * Who is calling, as the registers know them, and the one purpose (and project, null when none)
 * their token allows: what the gate decides on.
 */
public record Caller(Person person, Organisation organisation, Purpose purpose, Project project, Claims claims) {
    public Caller {
        requireNonNull(person, "person is null");
        requireNonNull(organisation, "organisation is null");
        requireNonNull(purpose, "purpose is null");
        requireNonNull(claims, "claims is null");
        if (!person.organisation().equals(organisation.id()) || !claims.organisationId().equals(organisation.id())) {
            throw new IllegalArgumentException("the person, the organisation and the token must agree on the organisation");
        }
        if (!person.id().equals(claims.personId()) || purpose != claims.purpose()) {
            throw new IllegalArgumentException("the caller's person and purpose must be the token's");
        }
        String projectId = project == null ? null : project.id();
        if (!Objects.equals(projectId, claims.projectId())) {
            throw new IllegalArgumentException("the caller's project must be the token's");
        }
    }

    public Optional<Project> projectInUse() {
        return Optional.ofNullable(project);
    }
}
