package org.custodian.core.notifications;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.custodian.core.consent.ConsentRecord;
import org.custodian.core.registers.NhsNumber;

/**
 * A patient's notification choices as recorded: which version, when, by whom, how (the patient, their
 * proxy, or staff on the patient's behalf), and the {@code notifications.change} ledger entry that records
 * it. Version 0 is the implicit record of a patient who never chose anything ({@link NotificationChoices#NONE}).
 */
public record NotificationPreferences(NhsNumber patient, NotificationChoices choices, int version, Instant setAt, String setBy,
        ConsentRecord.Channel setVia, long ledgerIndex) {
    public NotificationPreferences {
        requireNonNull(patient, "patient is null");
        requireNonNull(choices, "choices is null");
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative");
        }
        if (version > 0) {
            requireNonNull(setAt, "setAt is null");
            requireNonNull(setBy, "setBy is null");
            requireNonNull(setVia, "setVia is null");
        }
    }

    static NotificationPreferences none(NhsNumber patient) {
        return new NotificationPreferences(patient, NotificationChoices.NONE, 0, null, null, null, -1);
    }
}
