package org.custodian.records.validate;

import java.util.List;

/**
 * Checks a resource against FHIR R4 profiles before it is stored: the base definition of its type, and
 * the profiles it claims in {@code meta.profile}. Every write path asks it ({@link
 * org.custodian.records.write.Preparer}); {@link #off()} checks nothing, which is the default, since
 * validation costs far more than parsing and storing.
 *
 * <p>Implementations MUST be safe to call from many threads at once, MUST NOT change the resource, and
 * MUST NOT fetch anything over the network (no remote terminology service, no remote profiles): what
 * they check must depend only on the resource and the definitions given at start-up.
 */
public interface ProfileValidator {
    /**
     * The errors that make a resource unacceptable, empty if there are none. Warnings and information
     * MUST NOT be returned: they never refuse a write.
     *
     * @param type the resource's type
     * @param json the resource as it is to be stored (FHIR R4 JSON, references resolved): what is checked
     *     is what would be kept
     */
    List<ProfileIssue> check(String type, String json);

    /** What is checked, in a few words, for the server's banner and logs. */
    String description();

    /**
     * Loads now what the first check would otherwise wait for (the base definitions: seconds), so that
     * a server can do it in the background while it starts.
     */
    default void warmUp() {}

    /** A validator that checks nothing. */
    static ProfileValidator off() {
        return Off.INSTANCE;
    }

    /** Whether this validator checks anything at all. */
    default boolean enabled() {
        return true;
    }

    /** The validator that checks nothing. */
    enum Off implements ProfileValidator {
        INSTANCE;

        @Override
        public List<ProfileIssue> check(String type, String json) {
            return List.of();
        }

        @Override
        public String description() {
            return "off";
        }

        @Override
        public boolean enabled() {
            return false;
        }
    }
}
