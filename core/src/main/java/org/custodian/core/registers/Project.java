package org.custodian.core.registers;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.Optional;
import org.custodian.core.vocabulary.Codes;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;

/**
 * A research or planning project: secondary use happens only under one, by its organisation, for its
 * purpose, in at most its data form, while it is approved and in date. {@code ethicsReference} is
 * null when none was given.
 */
public record Project(String id, String organisation, Purpose purpose, DataForm form, Status status,
        LocalDate approvedUntil, String ethicsReference) {

    public enum Status {
        PENDING("pending"),
        APPROVED("approved"),
        SUSPENDED("suspended"),
        ENDED("ended"),
        REFUSED("refused");

        private final String code;

        Status(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static Optional<Status> fromCode(String code) {
            return Codes.find(Status.class, Status::code, code);
        }
    }

    public Project {
        requireNonNull(id, "id is null");
        requireNonNull(organisation, "organisation is null");
        requireNonNull(purpose, "purpose is null");
        requireNonNull(form, "form is null");
        requireNonNull(status, "status is null");
        requireNonNull(approvedUntil, "approvedUntil is null");
    }

    /** Approved and not past its approval date (inclusive) on {@code day}. */
    public boolean inForce(LocalDate day) {
        return status == Status.APPROVED && !day.isAfter(approvedUntil);
    }
}
