package org.custodian.core.notifications;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A notification as an Internet Message Format message (RFC 5322), plain text in UTF-8 (RFC 2045, RFC 2046
 * {@code text/plain}; non-ASCII in the subject as RFC 2047 encoded-words). Lines end in CRLF (RFC 5322
 * section 2.1) and the body is wrapped at 76 characters, well under the 998 of section 2.1.1.
 */
public final class EmailMessage {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final int WIDTH = 76;

    private EmailMessage() {}

    /** The Message-ID (RFC 5322 section 3.6.4): the same for every attempt to send the same notification. */
    public static String messageId(Notification n, String domain) {
        return "<notification-" + n.id() + "@" + domain + ">";
    }

    /**
     * @param from the sender's mailbox, e.g. {@code Custodian <notifications@example.org>}
     * @param domain the right-hand side of the Message-ID
     * @param date the Date header (RFC 5322 section 3.6.1): when the message is handed over
     */
    public static byte[] render(Notification n, String from, String domain, Instant date) {
        requireNonNull(n, "notification is null");
        requireNonNull(from, "from is null");
        String to = n.email().orElseThrow(() -> new IllegalArgumentException("a letter notification is not an e-mail"));
        // The address was checked when it was set (NotificationChoices); checked again, since it goes into a header.
        if (!NotificationChoices.isPlausibleEmail(to) || from.contains("\r") || from.contains("\n")) {
            throw new IllegalArgumentException("cannot put that address in a header");
        }
        StringBuilder m = new StringBuilder();
        header(m, "Date", DATE.format(date));
        header(m, "From", from);
        header(m, "To", to);
        header(m, "Subject", encodeWord(n.subject()));
        header(m, "Message-ID", messageId(n, domain));
        header(m, "MIME-Version", "1.0");
        header(m, "Content-Type", "text/plain; charset=UTF-8");
        header(m, "Content-Transfer-Encoding", "8bit");
        header(m, "Auto-Submitted", "auto-generated"); // RFC 3834: no automatic replies, please
        m.append("\r\n");
        for (String line : n.body().split("\n", -1)) {
            for (String wrapped : wrap(line)) {
                m.append(wrapped).append("\r\n");
            }
        }
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A header field, folded at spaces (RFC 5322 section 2.2.3) so that lines stay within 78 characters where they can. */
    private static void header(StringBuilder m, String name, String value) {
        StringBuilder line = new StringBuilder(name).append(':');
        int width = line.length();
        boolean first = true;
        for (String part : value.split(" ")) {
            if (!first && width + 1 + part.length() > 78) {
                line.append("\r\n");
                width = 0;
            }
            line.append(' ').append(part);
            width += 1 + part.length();
            first = false;
        }
        m.append(line).append("\r\n");
    }

    /** ASCII as it is; anything else as RFC 2047 B-encoded words. */
    static String encodeWord(String text) {
        if (text.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f)) {
            return text;
        }
        List<String> words = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            String next = new String(Character.toChars(cp));
            // 39 bytes of UTF-8 make 52 base64 characters, 64 with the markers: under the 75 of RFC 2047 section 2,
            // and a line of "Subject: " and one word stays within 78.
            if (chunk.toString().getBytes(StandardCharsets.UTF_8).length + next.getBytes(StandardCharsets.UTF_8).length > 39) {
                words.add(b(chunk.toString()));
                chunk.setLength(0);
            }
            chunk.append(next);
            i += Character.charCount(cp);
        }
        words.add(b(chunk.toString()));
        // Whitespace between adjacent encoded words is not part of the text (RFC 2047 section 6.2): header() may fold there.
        return String.join(" ", words);
    }

    private static String b(String s) {
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    /** Wraps at spaces, at most 76 characters a line where the words allow; trailing spaces dropped. */
    static List<String> wrap(String line) {
        List<String> out = new ArrayList<>();
        String rest = line.stripTrailing();
        while (rest.length() > WIDTH) {
            int cut = rest.lastIndexOf(' ', WIDTH);
            if (cut <= 0) {
                break; // one long word (an address): leave it whole
            }
            out.add(rest.substring(0, cut).stripTrailing());
            rest = rest.substring(cut + 1);
        }
        out.add(rest);
        return out;
    }
}
