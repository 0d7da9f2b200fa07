package org.custodian.core.registers;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.custodian.core.vocabulary.Codes;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.SensitiveCategory;

/**
 * A data-sharing agreement or partnership: the terms on which one organisation (the partner, the
 * controller of what it receives) uses patients' data for secondary purposes, and the processors that
 * handle it on the partner's behalf. Modelled on NHS England's Data Uses Register, with what that
 * register leaves out: processors, and payments or 'rewards' in either direction.
 *
 * <p>The gate holds every secondary-use request by the partner for one of the agreement's purposes to
 * it: while no agreement of the partner for that purpose is in force, or the request goes beyond its
 * form, data or categories, the answer is a refusal. So suspending or ending an agreement takes effect
 * at the very next decision, and a partner cannot step around its agreement by not naming it.
 *
 * <p>Patients' choices always apply ({@code optOutsApply} is recorded because the public registers
 * show it, and the register refuses an agreement that says otherwise); an agreement can only narrow
 * what the statutory and governed rules allow, never widen it.
 *
 * @param data FHIR resource types the agreement covers; a request for anything else is refused
 * @param categories sensitive categories the agreement covers; a request for others is refused, and a
 *     request for the whole record gets only these (the rest withheld)
 * @param to last day in force (inclusive), or null for no end date
 */
public record Agreement(String id, String title, String partner, List<String> processors, Set<Purpose> purposes, DataForm form,
        List<String> data, Set<SensitiveCategory> categories, String legalBasis, boolean optOutsApply, LocalDate from, LocalDate to,
        Status status, List<Payment> payments) {

    public enum Status {
        PENDING("pending"),
        ACTIVE("active"),
        SUSPENDED("suspended"),
        ENDED("ended");

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

    /** A payment or other benefit ('reward') passing under the agreement, in either direction. */
    public record Payment(Direction direction, String description, String amount) {
        public enum Direction {
            /** From the NHS side to the partner (e.g. fees for a processor's platform). */
            TO_PARTNER("to-partner"),
            /** From the partner to the NHS side (e.g. payment, free services, shares in results). */
            FROM_PARTNER("from-partner");

            private final String code;

            Direction(String code) {
                this.code = code;
            }

            public String code() {
                return code;
            }

            public static Optional<Direction> fromCode(String code) {
                return Codes.find(Direction.class, Direction::code, code);
            }
        }

        public Payment {
            requireNonNull(direction, "direction is null");
            requireNonNull(description, "description is null");
        }
    }

    public Agreement {
        requireNonNull(id, "id is null");
        requireNonNull(title, "title is null");
        requireNonNull(partner, "partner is null");
        requireNonNull(form, "form is null");
        requireNonNull(legalBasis, "legalBasis is null");
        requireNonNull(from, "from is null");
        requireNonNull(status, "status is null");
        processors = List.copyOf(processors);
        purposes = purposes.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(purposes));
        data = List.copyOf(data);
        categories = categories.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(categories));
        payments = List.copyOf(payments);
        if (to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("agreement " + id + " ends before it starts");
        }
    }

    /** Active and within its dates (both inclusive) on {@code day}. */
    public boolean inForce(LocalDate day) {
        return status == Status.ACTIVE && !day.isBefore(from) && (to == null || !day.isAfter(to));
    }

    /**
     * Whether every resource type asked for is one the agreement covers ("*", the whole record, never is). A request that
     * names no resource type is not covered: an agreement allows only the data it lists, and a request that states none
     * could be for any (the decision API takes {@code resources} as optional; under an agreement they must be named).
     */
    public boolean coversResources(List<String> resources) {
        if (resources.isEmpty()) {
            return false;
        }
        for (String r : resources) {
            if (!data.contains(r)) {
                return false;
            }
        }
        return true;
    }
}
