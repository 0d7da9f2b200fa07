package org.custodian.core.notifications;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.vocabulary.Codes;

/**
 * One notification to a patient about one ledger entry, in plain words, as queued.
 *
 * @param id its number (an e-mail's Message-ID and outbox file name are made from it)
 * @param kind why the patient is told
 * @param ledgerIndex the entry it is about
 * @param email the address, for e-mail; empty for letters
 * @param subject one line: an e-mail's subject, a letter's heading
 * @param body the text, lines separated by {@code \n}
 * @param attempts how many times sending was tried (e-mail)
 * @param sentAt when it was sent, or taken into a letter batch
 * @param letterBatch the letter batch that carried it, if one did
 */
public record Notification(long id, NhsNumber patient, Kind kind, long ledgerIndex, Instant createdAt, NotificationChoices.Channel channel,
        Optional<String> email, String subject, String body, Status status, int attempts, Optional<Instant> sentAt,
        Optional<String> letterBatch) {

    public enum Kind {
        /** An emergency access by someone not already caring for the patient. */
        BREAK_GLASS("break-glass"),
        /** An organisation used the patient's data for the first time. */
        NEW_ORGANISATION("new-organisation");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static Optional<Kind> fromCode(String code) {
            return Codes.find(Kind.class, Kind::code, code);
        }
    }

    public enum Status {
        QUEUED("queued"),
        SENT("sent"),
        /** E-mail that could not be sent after every retry; the next letter batch carries it instead. */
        FAILED("failed");

        private final String code;

        Status(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static Optional<Status> fromCode(String code) {
            return Codes.find(Status.class, Status::code, code);
        }
    }

    public Notification {
        requireNonNull(patient, "patient is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(channel, "channel is null");
        requireNonNull(email, "email is null");
        requireNonNull(subject, "subject is null");
        requireNonNull(body, "body is null");
        requireNonNull(status, "status is null");
        requireNonNull(sentAt, "sentAt is null");
        requireNonNull(letterBatch, "letterBatch is null");
        if ((channel == NotificationChoices.Channel.EMAIL) != email.isPresent()) {
            throw new IllegalArgumentException("an e-mail notification has an address, a letter none");
        }
    }
}
