package org.custodian.server.paper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A letter as XHTML for the PDF renderer. The document's structure becomes the PDF's tags, so it is
 * written for a screen reader as much as for the eye: headings in order, one table with header cells,
 * labels in words. Every string from the letter passes through {@link #escape}.
 */
final class LetterHtml {
    /** The letters go to people in the UK: times are printed as their clocks showed them. */
    static final ZoneId UK = ZoneId.of("Europe/London");

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);
    private static final String CSS = resource("letter.css");

    private final Letter letter;
    private final StringBuilder out = new StringBuilder(16_384);

    private LetterHtml(Letter letter) {
        this.letter = letter;
    }

    static String of(Letter letter) {
        return new LetterHtml(letter).document();
    }

    /** The document title: shown by a PDF reader in place of the file name, and read out first. */
    static String title(Letter letter) {
        String whose = letter.toProxy() ? letter.patient().name() + "'s" : "your";
        return "How " + whose + " health data was used: " + letter.period().words();
    }

    private String document() {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en-GB\" xml:lang=\"en-GB\">\n<head>\n")
                .append("<title>").append(escape(title(letter))).append("</title>\n");
        meta("author", letter.sender().name());
        meta("subject", "Every request to use the health record of " + letter.patient().name() + ", NHS number "
                + letter.patient().nhsNumber() + ", from " + letter.period().words() + ", and their choices");
        meta("keywords", letter.period().code());
        out.append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        heading();
        notices();
        summary();
        choices();
        checking();
        uses();
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private void heading() {
        Letter.Patient patient = letter.patient();
        out.append("<div class=\"running\">").append(escape(patient.name())).append(", NHS number ")
                .append(escape(patient.nhsNumber())).append(". Letter for ").append(escape(letter.period().code()))
                .append(".</div>\n");
        out.append("<div class=\"from\">\n<p class=\"name\">").append(escape(letter.sender().name())).append("</p>\n");
        lines(letter.sender().address());
        out.append("</div>\n<div class=\"to\">\n<p>").append(escape(letter.recipient().name())).append("</p>\n");
        lines(letter.recipient().address());
        out.append("</div>\n<div class=\"dated\">\n<p>").append(escape(day(letter.date()))).append("</p>\n");
        if (!letter.toProxy()) {
            out.append("<p>Your NHS number: ").append(escape(patient.nhsNumber())).append("</p>\n");
        }
        out.append("</div>\n");
        out.append("<h1>").append(escape(title(letter))).append("</h1>\n");
        if (letter.toProxy()) {
            out.append("<div class=\"about\">\n<p><strong>This letter is about the health record of ")
                    .append(escape(patient.name())).append(", NHS number ").append(escape(patient.nhsNumber()))
                    .append(".</strong></p>\n<p>You are receiving it as their ").append(escape(letter.recipient().actingAs()))
                    .append(". Where it says \u201cyou\u201d about choices, it means the choices made for ")
                    .append(escape(patient.name())).append(".</p>\n</div>\n");
        }
        out.append("<p>Dear ").append(escape(letter.recipient().name())).append(",</p>\n")
                .append("<p>This letter lists every time an organisation asked to use ").append(escape(whoseData()))
                .append(" from ").append(escape(letter.period().words()))
                .append(", and whether it was allowed or refused. It also sets out the choices in force today about who may use it.</p>\n");
    }

    /** What the patient asked to be told about: first, because they asked for it. */
    private void notices() {
        if (letter.notices().isEmpty()) {
            return;
        }
        out.append("<h2>").append(letter.notices().size() == 1 ? "Something you asked to be told about" : "Things you asked to be told about")
                .append("</h2>\n<p>").append(letter.toProxy() ? "The choices made for " + escape(letter.patient().name()) + " ask"
                        : "You asked").append(" to be told about ").append(letter.notices().size() == 1 ? "this" : "these")
                .append(" by letter, or by e-mail that could not be delivered.</p>\n");
        for (Letter.Notice n : letter.notices()) {
            out.append("<div class=\"notice\">\n<h3>").append(escape(n.heading())).append("</h3>\n");
            for (String line : n.lines()) {
                if (!line.isBlank()) {
                    out.append("<p>").append(escape(line)).append("</p>\n");
                }
            }
            out.append("<p>Ledger entry ").append(n.ledgerIndex()).append(".</p>\n</div>\n");
        }
    }

    private void summary() {
        Letter.Counts counts = letter.counts();
        out.append("<h2>Summary</h2>\n");
        if (counts.total() == 0) {
            out.append("<p>No organisation used ").append(escape(whoseData()))
                    .append(" in this period, and none asked to.</p>\n");
            return;
        }
        out.append("<p>Organisations asked to use ").append(escape(whoseData())).append(' ')
                .append(times(counts.total())).append(" in this period.</p>\n<ul>\n")
                .append("<li>").append(counted(counts.allowed(), "request was", "requests were")).append(" allowed.</li>\n")
                .append("<li>").append(counted(counts.refused(), "request was", "requests were")).append(" refused")
                .append(counts.refused() == 0 ? "." : ": no data was given.").append("</li>\n");
        if (counts.breakGlass() > 0) {
            out.append("<li><strong>").append(counted(counts.breakGlass(), "was an emergency access", "were emergency accesses"))
                    .append(" (\u201cbreak-glass\u201d).</strong></li>\n");
        }
        out.append("</ul>\n");
        organisations(counts.breakGlass() > 0);
        if (counts.breakGlass() > 0) {
            out.append("<p>Break-glass means that someone opened the record in an emergency without the usual checks, ")
                    .append("for example because urgent care was needed and no one could be asked. Every break-glass access ")
                    .append("is reviewed afterwards by the organisation\u2019s Caldicott Guardian, the person responsible for ")
                    .append("protecting patient information. In the list at the end of this letter each one is marked ")
                    .append("\u201cEmergency access (break-glass)\u201d.</p>\n");
        }
    }

    /** Who asked, one row per organisation: the whole period at a glance, however long the list at the end. */
    private void organisations(boolean withBreakGlass) {
        Map<String, int[]> byOrganisation = new LinkedHashMap<>();
        for (Letter.Use use : letter.uses()) {
            int[] n = byOrganisation.computeIfAbsent(use.organisation(), k -> new int[3]);
            n[use.allowed() ? 0 : 1]++;
            n[2] += use.breakGlass() ? 1 : 0;
        }
        out.append("<table class=\"organisations\">\n<thead>\n<tr><th scope=\"col\" class=\"organisation\">Organisation</th>")
                .append("<th scope=\"col\" class=\"n\">Allowed</th><th scope=\"col\" class=\"n\">Refused</th>");
        if (withBreakGlass) {
            out.append("<th scope=\"col\" class=\"n breakglass\">Break-glass</th>");
        }
        out.append("</tr>\n</thead>\n<tbody>\n");
        byOrganisation.forEach((organisation, n) -> {
            out.append("<tr><td>").append(escape(organisation)).append("</td><td class=\"n\">").append(n[0])
                    .append("</td><td class=\"n\">").append(n[1]).append("</td>");
            if (withBreakGlass) {
                out.append("<td class=\"n\">").append(n[2]).append("</td>");
            }
            out.append("</tr>\n");
        });
        out.append("</tbody>\n</table>\n");
    }

    private void choices() {
        out.append("<h2>").append(letter.toProxy() ? "The choices in force" : "Your choices").append("</h2>\n");
        if (letter.choices().isEmpty()) {
            out.append("<p>No choices have been recorded, so the rules that protect everyone apply: no private company ")
                    .append("may use the data except to provide care, and it is never sold or used for marketing.</p>\n");
        } else {
            out.append("<p class=\"lead\">These are the choices in force on ").append(escape(day(letter.date()))).append(":</p>\n<ul>\n");
            for (Letter.Choice choice : letter.choices()) {
                out.append("<li><strong>").append(escape(choice.subject())).append(":</strong> ")
                        .append(escape(choice.statement())).append("</li>\n");
            }
            out.append("</ul>\n");
        }
        Letter.Contact contact = letter.contact();
        out.append("<p class=\"lead\">You can change a choice at any time, and the change applies straight away. You do not need ")
                .append("the internet to do it:</p>\n<ul>\n")
                .append("<li>by phone: ").append(escape(contact.phone())).append("</li>\n")
                .append("<li>in person: at ").append(escape(contact.desk())).append("</li>\n")
                .append("<li>online: ").append(escape(contact.online())).append("</li>\n</ul>\n");
    }

    private void checking() {
        Letter.Checkpoint checkpoint = letter.checkpoint();
        out.append("<h2>How to check this letter</h2>\n")
                .append("<p>Every request to use health data, allowed or refused, is recorded in a public ledger. ")
                .append("Entries cannot be changed or removed without it showing.");
        if (!letter.uses().isEmpty()) {
            out.append(" Each request listed at the end of this letter gives its entry number in the ledger.");
        }
        out.append("</p>\n<p class=\"lead\">This letter was made when the ledger ").append(escape(checkpoint.origin())).append(" held ")
                .append(String.format(Locale.UK, "%,d", checkpoint.size())).append(checkpoint.size() == 1 ? " entry" : " entries")
                .append(". Its fingerprint (root hash) at that moment was:</p>\n")
                .append("<p class=\"hash\">").append(escape(checkpoint.rootHash())).append("</p>\n")
                .append("<p>With these numbers, anyone can check that the entries behind this letter are in the ledger and ")
                .append("that the ledger has not been altered since. We will do it for you, or for someone you trust, if you ask; ")
                .append("the tools to do it yourself are at ").append(escape(letter.contact().online())).append(".</p>\n")
                .append("<p>If you do not recognise a request, or something looks wrong, please tell us by phone on ")
                .append(escape(letter.contact().phone())).append(", or write to us at the address at the top of this letter.</p>\n");
    }

    /** The full list, last: it can run to many pages, and the letter should not wait for it. */
    private void uses() {
        if (letter.uses().isEmpty()) {
            return;
        }
        out.append("<h2 class=\"list\">Every request, one by one</h2>\n")
                .append("<p class=\"lead\">One row for each request, in the order they were made. Times are UK time.</p>\n")
                .append("<table class=\"uses\">\n<thead>\n<tr>")
                .append("<th scope=\"col\" class=\"when\">When</th>")
                .append("<th scope=\"col\" class=\"who\">Who asked</th>")
                .append("<th scope=\"col\" class=\"what\">Why, and what data</th>")
                .append("<th scope=\"col\" class=\"decision\">Decision</th>")
                .append("</tr>\n</thead>\n<tbody>\n");
        for (Letter.Use use : letter.uses()) {
            use(use);
        }
        out.append("</tbody>\n</table>\n");
    }

    private void use(Letter.Use use) {
        ZonedDateTime at = use.at().atZone(UK);
        out.append(use.breakGlass() ? "<tr class=\"breakglass\">" : "<tr>")
                .append("<td><p>").append(escape(day(at.toLocalDate()))).append("</p><p>").append(escape(clock(at.toLocalTime())))
                .append("</p><p>Entry ").append(use.ledgerIndex()).append("</p></td>")
                .append("<td><p><strong>").append(escape(use.organisation())).append("</strong></p><p>")
                .append(escape(use.sector())).append("</p><p>").append(escape(use.person())).append("</p></td>")
                .append("<td><p>For: ").append(escape(use.purpose())).append("</p><p>Data: ").append(escape(use.data()))
                .append("</p>");
        if (use.project() != null) {
            out.append("<p>Under: ").append(escape(use.project())).append("</p>");
        }
        out.append("</td><td>");
        if (use.breakGlass()) {
            out.append("<p class=\"flag\">Emergency access (break-glass)</p>");
        }
        out.append("<p><strong>").append(use.allowed() ? "Allowed" : "Refused").append("</strong>");
        if (use.reason() != null) {
            out.append(": ").append(escape(use.reason()));
        }
        out.append("</p></td></tr>\n");
    }

    private String whoseData() {
        return letter.toProxy() ? "the health data of " + letter.patient().name() : "your health data";
    }

    private void lines(List<String> lines) {
        for (String line : lines) {
            out.append("<p>").append(escape(line)).append("</p>\n");
        }
    }

    private void meta(String name, String content) {
        out.append("<meta name=\"").append(name).append("\" content=\"").append(escape(content)).append("\"/>\n");
    }

    static String day(LocalDate date) {
        return DAY.format(date);
    }

    /** The 12-hour clock, as GOV.UK and NHS letters write it: "9am", "2:05pm", "midday", "midnight". */
    static String clock(LocalTime time) {
        int hour = time.getHour();
        int minute = time.getMinute();
        if (minute == 0 && hour == 0) {
            return "midnight";
        }
        if (minute == 0 && hour == 12) {
            return "midday";
        }
        String h = Integer.toString(hour % 12 == 0 ? 12 : hour % 12);
        String m = minute == 0 ? "" : String.format(Locale.ROOT, ":%02d", minute);
        return h + m + (hour < 12 ? "am" : "pm");
    }

    private static String times(int n) {
        return switch (n) {
            case 1 -> "once";
            case 2 -> "twice";
            default -> n + " times";
        };
    }

    /** "1 request was", "12 requests were", and "No request was" rather than "0 requests were". */
    private static String counted(int n, String one, String many) {
        return n == 0 ? "No " + one : n + " " + (n == 1 ? one : many);
    }

    /**
     * Text as XML character data or attribute value. Characters XML 1.0 cannot carry at all (most
     * controls, unpaired surrogates) become U+FFFD rather than failing the whole letter.
     */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)) {
                        b.append(c);
                    } else {
                        b.append('\uFFFD');
                    }
                }
            }
        }
        return b.toString();
    }

    private static String resource(String name) {
        try (InputStream in = LetterHtml.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " beside " + LetterHtml.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
