package org.custodian.records.write;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.custodian.records.validate.ProfileIssue;

/**
 * A write that cannot be made as sent, with the HTTP status it answers to and a plain reason; nothing
 * was stored. A refusal by profile validation also carries the validator's errors, each with its
 * location, so that a client can be told every one of them.
 */
public final class WriteRefusedException extends RuntimeException {
    /** At most this many of the validator's errors are carried (a whole bundle can have thousands). */
    public static final int MAX_ISSUES = 100;

    public enum Kind {
        /** Not a FHIR resource or bundle this server can read: 400. */
        MALFORMED(400),
        /** Read, but breaks a rule (an invalid NHS number, no patient named, not valid against its profiles): 422. */
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
    private final List<ProfileIssue> issues;
    /** The bundle entry it is about, or -1. */
    private final int entry;

    public WriteRefusedException(Kind kind, String message) {
        this(kind, message, List.of(), -1);
    }

    private WriteRefusedException(Kind kind, String message, List<ProfileIssue> issues, int entry) {
        super(message);
        this.kind = requireNonNull(kind, "kind is null");
        this.issues = List.copyOf(issues);
        this.entry = entry;
    }

    /**
     * A resource the profile validator refused (422).
     *
     * @param what the resource, as the sender knows it ("Observation/123", or "the Observation" for a create)
     * @param issues the validator's errors, at least one
     */
    public static WriteRefusedException notValid(String what, List<ProfileIssue> issues) {
        if (issues.isEmpty()) {
            throw new IllegalArgumentException("a resource refused by the validator has at least one error");
        }
        String more = issues.size() == 1 ? "" : " (and " + (issues.size() - 1) + " more error" + (issues.size() == 2 ? "" : "s") + ")";
        return new WriteRefusedException(Kind.UNPROCESSABLE, what + " is not valid against its profiles: " + issues.get(0) + more,
                capped(issues), -1);
    }

    /**
     * The refusal of a bundle's entries that the profile validator refused, each already {@link
     * #inEntry placed}: the first one's reason, and every entry's errors (up to {@value #MAX_ISSUES}).
     *
     * @param complete whether every entry was checked (false: checking stopped at {@value #MAX_ISSUES} errors)
     */
    static WriteRefusedException notValidEntries(List<WriteRefusedException> entries, boolean complete) {
        String rest = complete ? "" : " (the entries after entry " + entries.get(entries.size() - 1).entry
                + " were not checked: " + MAX_ISSUES + " errors are enough to be going on with)";
        if (entries.size() == 1) {
            return new WriteRefusedException(Kind.UNPROCESSABLE, entries.get(0).getMessage() + rest, entries.get(0).issues, entries.get(0).entry);
        }
        List<ProfileIssue> all = new ArrayList<>();
        entries.forEach(e -> all.addAll(e.issues));
        return new WriteRefusedException(Kind.UNPROCESSABLE, entries.get(0).getMessage() + "; " + (entries.size() - 1) + " more entr"
                + (entries.size() == 2 ? "y is" : "ies are") + " not valid either" + rest, capped(all), entries.get(0).entry);
    }

    /**
     * The same refusal about entry {@code index} of a bundle: the reason prefixed with the entry, and the
     * validator's locations re-rooted at {@code Bundle.entry[index].resource}.
     */
    public WriteRefusedException inEntry(int index) {
        return new WriteRefusedException(kind, "entry " + index + ": " + getMessage(), issues.stream().map(i -> i.inEntry(index)).toList(), index);
    }

    public Kind kind() {
        return kind;
    }

    /** The profile validator's errors, when it refused the write (at most {@value #MAX_ISSUES}); empty otherwise. */
    public List<ProfileIssue> issues() {
        return issues;
    }

    private static List<ProfileIssue> capped(List<ProfileIssue> issues) {
        return issues.size() <= MAX_ISSUES ? issues : issues.subList(0, MAX_ISSUES);
    }
}
