package org.custodian.core.notifications;

/** Notification preferences or notifications cannot be read or stored (the database is down or refused). */
public final class NotificationsUnavailableException extends RuntimeException {
    public NotificationsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
