package org.custodian.core.rules;

/** The governed rules cannot be read; the gate denies. */
public final class RulesUnavailableException extends RuntimeException {
    public RulesUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
