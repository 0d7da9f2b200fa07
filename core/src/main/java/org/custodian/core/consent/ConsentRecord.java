package org.custodian.core.consent;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.vocabulary.Codes;

/**
 * A patient's choices as recorded: which version, when, by whom and through which channel (the
 * patient, their proxy, or staff recording on the patient's behalf), and the ledger entry recording it.
 * Version 0 is the implicit record of a patient who never chose anything.
 */
public record ConsentRecord(NhsNumber patient, ConsentChoices choices, int version, Instant recordedAt,
        String recordedBy, Channel channel, long ledgerIndex) {

    public enum Channel {
        /** The patient, themself. */
        PATIENT("patient"),
        /** A carer or attorney acting for the patient. */
        PROXY("proxy"),
        /** Staff recording the patient's choice on their behalf, by phone or at the desk. */
        ASSISTED("assisted");

        private final String code;

        Channel(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static Optional<Channel> fromCode(String code) {
            return Codes.find(Channel.class, Channel::code, code);
        }
    }

    public ConsentRecord {
        requireNonNull(patient, "patient is null");
        requireNonNull(choices, "choices is null");
        if (version > 0) {
            requireNonNull(recordedAt, "recordedAt is null");
            requireNonNull(recordedBy, "recordedBy is null");
            requireNonNull(channel, "channel is null");
        }
    }

    /** The record of a patient who has never recorded a choice: nothing refused. */
    public static ConsentRecord none(NhsNumber patient) {
        return new ConsentRecord(patient, ConsentChoices.NOTHING_REFUSED, 0, null, null, null, -1);
    }
}
