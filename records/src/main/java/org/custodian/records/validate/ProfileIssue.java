package org.custodian.records.validate;

import static java.util.Objects.requireNonNull;

/**
 * One reason a resource is not valid against its profiles, as the validator gave it.
 *
 * @param severity {@link Severity#ERROR} or {@link Severity#FATAL}: only these refuse a write
 * @param location where, as a FHIRPath expression (e.g. {@code Observation.code.coding[0]}); the resource
 *     type alone when the problem is the resource's as a whole or a missing child
 * @param message what is wrong, naming the profile it comes from where the validator says so
 * @param messageId the validator's stable identifier for the kind of message (e.g.
 *     {@code Validation_VAL_Profile_Minimum}), or null
 */
public record ProfileIssue(Severity severity, String location, String message, String messageId) {
    /** FHIR's extension for an OperationOutcome issue's message id (R4 core extension). */
    public static final String MESSAGE_ID_EXTENSION = "http://hl7.org/fhir/StructureDefinition/operationoutcome-message-id";

    public enum Severity {
        ERROR,
        FATAL;

        /** The FHIR IssueSeverity code. */
        public String code() {
            return this == FATAL ? "fatal" : "error";
        }
    }

    public ProfileIssue {
        requireNonNull(severity, "severity is null");
        requireNonNull(location, "location is null");
        requireNonNull(message, "message is null");
    }

    /**
     * The same issue about a resource that came as entry {@code index} of a bundle: its location re-rooted
     * at {@code Bundle.entry[index].resource}, so that it points into the request as sent.
     */
    public ProfileIssue inEntry(int index) {
        String root = "Bundle.entry[" + index + "].resource";
        int dot = location.indexOf('.');
        String head = dot < 0 ? location : location.substring(0, dot);
        String rooted;
        if (!head.isEmpty() && Character.isUpperCase(head.charAt(0)) && head.chars().allMatch(Character::isLetter)) {
            rooted = root + (dot < 0 ? "" : location.substring(dot)); // "Observation.code" -> "Bundle.entry[1].resource.code"
        } else {
            rooted = root + "." + location;
        }
        return new ProfileIssue(severity, rooted, message, messageId);
    }

    /**
     * {@code location: message}, for a person reading a log or a terminal; just the message when it
     * begins with the location already ("Observation.status: minimum required = 1, ..." at {@code Observation}).
     */
    @Override
    public String toString() {
        return message.startsWith(location + ".") || message.startsWith(location + ":") ? message : location + ": " + message;
    }
}
