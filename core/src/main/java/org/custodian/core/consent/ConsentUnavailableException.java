package org.custodian.core.consent;

/** The patient's choices cannot be read; the gate denies (it never guesses a patient's consent). */
public final class ConsentUnavailableException extends RuntimeException {
    public ConsentUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
