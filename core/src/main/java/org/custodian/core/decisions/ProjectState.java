package org.custodian.core.decisions;

/** How the project named in a request stands, for the governed rules. */
public enum ProjectState {
    /** No project named. */
    NONE,
    /** Approved, in date, of the requester's organisation, for this purpose, and the form within its approval; with an ethics reference. */
    IN_FORCE,
    /** As {@link #IN_FORCE}, but with no ethics approval reference. */
    IN_FORCE_WITHOUT_ETHICS,
    /** Pending, suspended, ended, refused, or outside its approval dates (before the first, after the last). */
    NOT_IN_FORCE,
    OTHER_ORGANISATION,
    OTHER_PURPOSE,
    /** The request asks for a more identifying form than the project was approved for. */
    FORM_EXCEEDED
}
