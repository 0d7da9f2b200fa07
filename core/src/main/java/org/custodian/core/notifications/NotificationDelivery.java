package org.custodian.core.notifications;

import java.io.IOException;
import java.util.List;
import org.custodian.core.registers.NhsNumber;

/**
 * Where notifications leave Custodian. The demonstration's is {@link OutboxDelivery} (files in a directory); a
 * deployment plugs in its mail relay (SMTP) and its printing service here.
 */
public interface NotificationDelivery {
    /**
     * Sends one notification by e-mail to {@link Notification#email()}. MUST return only once the message is
     * handed over (written, or accepted by the relay) and MUST throw otherwise; the queue retries. It MAY be
     * called again for the same notification (after a crash before it was marked sent): it MUST then send the
     * same message, with the same Message-ID.
     */
    void email(Notification notification) throws IOException;

    /**
     * Puts one patient's waiting notifications into a letter of {@code batch}. MUST return only once the letter
     * is written, and MUST throw otherwise (the notifications then wait for the next batch).
     */
    void letter(String batch, NhsNumber patient, List<Notification> notifications) throws IOException;
}
