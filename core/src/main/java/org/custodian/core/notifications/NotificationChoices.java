package org.custodian.core.notifications;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;
import org.custodian.core.vocabulary.Codes;

/**
 * What a patient asked to be told about, and how.
 *
 * @param breakGlass tell them when someone not already caring for them opens their record in an emergency
 * @param newOrganisation tell them when an organisation uses their data for the first time
 * @param channel by e-mail, or by letter in the next batch of letters
 * @param email the address for {@link Channel#EMAIL}; MUST be present for e-mail and absent for letters
 */
public record NotificationChoices(boolean breakGlass, boolean newOrganisation, Channel channel, Optional<String> email) {
    /** What a patient who never chose anything has: nothing asked for. */
    public static final NotificationChoices NONE = new NotificationChoices(false, false, Channel.LETTER, Optional.empty());

    public enum Channel {
        EMAIL("email"),
        LETTER("letter");

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

    public NotificationChoices {
        requireNonNull(channel, "channel is null");
        requireNonNull(email, "email is null");
        if (channel == Channel.EMAIL) {
            String address = email.orElseThrow(() -> new IllegalArgumentException("e-mail needs an address"));
            if (!isPlausibleEmail(address)) {
                throw new IllegalArgumentException("not an e-mail address: " + address);
            }
            email = Optional.of(address.strip());
        } else if (email.isPresent()) {
            throw new IllegalArgumentException("letters have no e-mail address");
        }
    }

    public static NotificationChoices byEmail(boolean breakGlass, boolean newOrganisation, String address) {
        return new NotificationChoices(breakGlass, newOrganisation, Channel.EMAIL, Optional.of(address));
    }

    public static NotificationChoices byLetter(boolean breakGlass, boolean newOrganisation) {
        return new NotificationChoices(breakGlass, newOrganisation, Channel.LETTER, Optional.empty());
    }

    /** True when the patient asked to be told of anything at all. */
    public boolean asksForAny() {
        return breakGlass || newOrganisation;
    }

    /**
     * A deliberately plain check: one {@code @}, a dotted domain, no spaces, no control characters and none of
     * the characters that would let an address break out of an e-mail header ({@code <>,;:"\()[]}). Whether
     * the mailbox exists is for delivery to find out.
     */
    public static boolean isPlausibleEmail(String text) {
        if (text == null) {
            return false;
        }
        String s = text.strip();
        if (s.length() < 6 || s.length() > 254) {
            return false;
        }
        int at = s.indexOf('@');
        if (at < 1 || at != s.lastIndexOf('@') || at > 64) {
            return false;
        }
        String domain = s.substring(at + 1);
        if (!domain.contains(".") || domain.startsWith(".") || domain.endsWith(".") || domain.contains("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7f || "<>,;:\"\\()[]".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The address as the ledger keeps it: enough for the patient to recognise it ({@code a…@example.org}), not
     * enough to write to. The full address stays in the preferences table only.
     */
    public static String masked(String address) {
        int at = address.indexOf('@');
        return address.substring(0, 1) + "\u2026" + address.substring(at).toLowerCase(Locale.ROOT);
    }
}
