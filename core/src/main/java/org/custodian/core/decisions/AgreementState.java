package org.custodian.core.decisions;

/**
 * How the requester's organisation stands under its data-sharing agreements for the request's purpose
 * (secondary uses only), for the policy. An organisation with no agreement naming the purpose is {@link #NONE}:
 * the governed rules and projects decide alone.
 */
public enum AgreementState {
    /** No agreement of the organisation names this purpose (or the purpose is not a secondary use). */
    NONE,
    /** An agreement in force covers the purpose, the form, the resource types and the categories asked for. */
    IN_FORCE,
    /** Agreements name the purpose, but none is active and in date (pending, suspended, ended or expired). */
    NOT_IN_FORCE,
    /** An agreement in force names the purpose, but for a less identifying form than was asked for. */
    FORM_EXCEEDED,
    /** An agreement in force names the purpose, but not every resource type or sensitive category asked for. */
    DATA_EXCEEDED
}
