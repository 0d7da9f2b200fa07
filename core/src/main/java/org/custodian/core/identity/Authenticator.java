package org.custodian.core.identity;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.custodian.core.identity.TokenException.Kind;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Project;
import org.custodian.core.registers.Registers;
import org.custodian.core.vocabulary.Purpose;

/**
 * Turns a bearer token into a {@link Caller}: the token must verify, and what it names must still
 * hold in the registers (the person exists and still belongs to the token's organisation, which
 * exists; a named project exists and is that organisation's). The registers are read on every
 * call, so a person who leaves an organisation cannot use the tokens they still hold.
 *
 * <p>It does not decide whether the use is allowed (a project's approval or purpose, a care
 * relationship, consent, the statutory rules): the gate does, and records its refusals, which an
 * authentication failure here would not be.
 */
public final class Authenticator {
    private final TokenVerifier verifier;
    private final Registers registers;

    public Authenticator(TokenVerifier verifier, Registers registers) {
        this.verifier = requireNonNull(verifier, "verifier is null");
        this.registers = requireNonNull(registers, "registers is null");
    }

    /** The caller {@code compactJwt} stands for, or why it is refused. */
    public Caller authenticate(String compactJwt) throws TokenException {
        Claims claims = verifier.verify(compactJwt);
        Person person = registers.person(claims.personId()).orElseThrow(() -> new TokenException(Kind.UNKNOWN_PERSON,
                "the token's person '" + claims.personId() + "' is not in the registers"));
        if (!person.organisation().equals(claims.organisationId())) {
            throw new TokenException(Kind.ORGANISATION_MISMATCH, person.id() + " belongs to organisation "
                    + person.organisation() + ", not " + claims.organisationId() + " named in the token");
        }
        Organisation organisation = registers.organisation(claims.organisationId()).orElseThrow(() -> new TokenException(
                Kind.ORGANISATION_MISMATCH, "the token's organisation '" + claims.organisationId() + "' is not in the registers"));
        Project project = null;
        if (claims.projectId() != null) {
            project = registers.project(claims.projectId()).orElseThrow(() -> new TokenException(Kind.UNKNOWN_PROJECT,
                    "the token's project '" + claims.projectId() + "' is not in the registers"));
            if (!project.organisation().equals(organisation.id())) {
                throw new TokenException(Kind.ORGANISATION_MISMATCH, "project " + project.id() + " belongs to organisation "
                        + project.organisation() + ", not " + organisation.id() + " named in the token");
            }
        }
        return new Caller(person, organisation, claims.purpose(), project, claims);
    }

    /**
     * Refuses a caller whose token is for another purpose than one of {@code allowed}: for endpoints
     * that serve only some purposes (a token for research cannot read a record for treatment).
     */
    public static void requirePurpose(Caller caller, Purpose... allowed) throws TokenException {
        requireNonNull(caller, "caller is null");
        if (allowed.length == 0) {
            throw new IllegalArgumentException("no purpose allowed");
        }
        if (Arrays.stream(allowed).noneMatch(p -> p == caller.purpose())) {
            throw new TokenException(Kind.WRONG_PURPOSE, "this token is for " + caller.purpose().code() + " ("
                    + caller.purpose().display() + "); it cannot be used for "
                    + Arrays.stream(allowed).map(Purpose::code).collect(Collectors.joining(", ")));
        }
    }

    /** Refuses a caller whose token is not for project {@code projectId}. */
    public static void requireProject(Caller caller, String projectId) throws TokenException {
        requireNonNull(caller, "caller is null");
        requireNonNull(projectId, "projectId is null");
        if (caller.project() == null) {
            throw new TokenException(Kind.WRONG_PROJECT, "this token names no project; project " + projectId + " needs a token for it");
        }
        if (!caller.project().id().equals(projectId)) {
            throw new TokenException(Kind.WRONG_PROJECT, "this token is for project " + caller.project().id()
                    + ", not for project " + projectId);
        }
    }
}
