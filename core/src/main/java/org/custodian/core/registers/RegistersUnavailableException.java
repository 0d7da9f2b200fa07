package org.custodian.core.registers;

/**
 * The registers cannot be read (or written) now, and no view recent enough to answer from is held.
 * The gate MUST treat this as a deny: an access decided on stale registers could use a relationship,
 * proxy or project that has ended.
 */
public final class RegistersUnavailableException extends RuntimeException {
    public RegistersUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
