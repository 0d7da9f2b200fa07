package org.custodian.records.write;

import static java.util.Objects.requireNonNull;

/**
 * A write that cannot be made as sent, with the HTTP status it answers to and a plain reason; nothing
 * was stored.
 */
public final class WriteRefusedException extends RuntimeException {
    public enum Kind {
        /** Not a FHIR resource or bundle this server can read: 400. */
        MALFORMED(400),
        /** Read, but breaks a rule (an invalid NHS number, no patient named): 422. */
        UNPROCESSABLE(422),
        /** The caller may not write this: 403. */
        FORBIDDEN(403),
        /** A conditional match found more than one resource: 412. */
        PRECONDITION_FAILED(412),
        /** The version named is not current: 409. */
        CONFLICT(409);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;

    public WriteRefusedException(Kind kind, String message) {
        super(message);
        this.kind = requireNonNull(kind, "kind is null");
    }

    public Kind kind() {
        return kind;
    }
}
