package org.custodian.server.transparency;

import static java.util.Objects.requireNonNull;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.custodian.core.foi.FoiAnswers;
import org.custodian.core.foi.FoiAnswers.Answer;
import org.custodian.core.foi.FoiAnswers.Figure;
import org.custodian.core.foi.FoiAnswers.RegisterRows;
import org.custodian.server.paper.LetterPdf;
import org.custodian.server.registers.Csv;

/**
 * The FOI answers as files: CSV (RFC 4180, one row per answer and per figure, with the suppression applied), and a
 * self-contained XHTML document, which is both the {@code --format html} file and what the tagged PDF is printed from.
 * Every string from the registers passes through {@link #escape}.
 */
public final class FoiDocuments {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);

    /** The CSV's columns. */
    public static final List<String> CSV_HEADER = List.of("question", "figure", "label", "group", "count", "suppression", "counted_over",
            "counted_from", "counted_to", "entries_counted");

    private FoiDocuments() {}

    /** The title: what the answers are and for which period. */
    public static String title(FoiAnswers a) {
        return "Freedom of information: how patients' data is used, " + DAY.format(a.period().from()) + " to " + DAY.format(a.period().to());
    }

    /**
     * One row per period note ({@code question} "period"), one per answer ({@code figure} "answer", its sentences in
     * {@code label}) and one per figure: {@code count} empty and {@code suppression} "redacted" when redacted, else
     * "published" (rounded to 5, 0 as 0); {@code counted_over} "period" (the whole months counted) or "now" (the state
     * when read).
     */
    public static String csv(FoiAnswers a) {
        requireNonNull(a, "a is null");
        String from = a.period().countedFrom().toString();
        String to = a.period().countedTo().toString();
        String entries = Long.toString(a.entriesCounted());
        List<List<String>> rows = new ArrayList<>();
        for (String note : a.periodNotes()) {
            rows.add(List.of("period", "note", note, "", "", "", "", from, to, entries));
        }
        for (Answer q : a.answers()) {
            rows.add(List.of(q.letter(), "answer", q.question() + " " + String.join(" ", q.statements()), "", "", "", "", from, to, entries));
            for (Figure f : q.figures()) {
                rows.add(List.of(q.letter(), f.id(), f.label(), f.group(), f.redacted() ? "" : Long.toString(f.count().getAsLong()),
                        f.redacted() ? "redacted" : "published", f.period() ? "period" : "now", f.period() ? from : "", f.period() ? to : "", entries));
            }
        }
        return Csv.write(CSV_HEADER, rows);
    }

    /** The answers as a tagged PDF/UA (and PDF/A-2a) document. */
    public static byte[] pdf(FoiAnswers a) {
        return LetterPdf.renderXhtml(xhtml(a));
    }

    /** The answers as one self-contained XHTML document (its style inside, nothing fetched). */
    public static String xhtml(FoiAnswers a) {
        requireNonNull(a, "a is null");
        StringBuilder out = new StringBuilder(32_768);
        String title = title(a);
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en-GB\" xml:lang=\"en-GB\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>").append(escape(title)).append("</title>\n")
                .append("<meta name=\"subject\" content=\"").append(escape("Answers to the questions campaigners put to Integrated Care Boards,"
                        + " from the public registers and the ledger, as of tree size " + a.entriesCounted())).append("\"/>\n")
                .append("<meta name=\"author\" content=\"Custodian\"/>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n")
                .append("<h1>").append(escape(title)).append("</h1>\n")
                .append("<p>The questions campaigners put to Integrated Care Boards, answered from this service's public registers and its"
                        + " tamper-evident ledger, in which every use of a patient's data is recorded. Nothing here identifies a patient.</p>\n")
                .append("<p><strong>As of tree size ").append(a.entriesCounted()).append(".</strong></p>\n<ul>\n");
        for (String note : a.periodNotes()) {
            out.append("<li>").append(escape(note)).append("</li>\n");
        }
        out.append("</ul>\n");
        for (Answer q : a.answers()) {
            out.append("<h2 id=\"").append(escape(q.id())).append("\">(").append(escape(q.letter())).append(") ").append(escape(q.question()))
                    .append("</h2>\n");
            for (String s : q.statements()) {
                out.append("<p>").append(escape(s)).append("</p>\n");
            }
            if (!q.figures().isEmpty()) {
                boolean groups = q.figures().stream().anyMatch(f -> !f.group().isEmpty());
                out.append("<table>\n<caption>Figures for (").append(escape(q.letter())).append(")</caption>\n<thead><tr><th scope=\"col\">Figure</th>");
                if (groups) {
                    out.append("<th scope=\"col\">Sector</th>");
                }
                out.append("<th scope=\"col\" class=\"number\">Count</th></tr></thead>\n<tbody>\n");
                for (Figure f : q.figures()) {
                    out.append("<tr><th scope=\"row\">").append(escape(f.label())).append("</th>");
                    if (groups) {
                        out.append("<td>").append(escape(f.group())).append("</td>");
                    }
                    out.append("<td class=\"number\">").append(f.redacted() ? "redacted" : String.format(Locale.UK, "%,d", f.count().getAsLong()))
                            .append("</td></tr>\n");
                }
                out.append("</tbody>\n</table>\n");
            }
            for (RegisterRows t : q.tables()) {
                out.append("<table class=\"register\">\n<caption>").append(escape(t.caption())).append(" (").append(t.rows().size())
                        .append(t.rows().size() == 1 ? " row" : " rows").append(")</caption>\n<thead><tr>");
                for (String h : t.headings()) {
                    out.append("<th scope=\"col\">").append(escape(h)).append("</th>");
                }
                out.append("</tr></thead>\n<tbody>\n");
                if (t.rows().isEmpty()) {
                    out.append("<tr><td colspan=\"").append(t.headings().size()).append("\">None in the register.</td></tr>\n");
                }
                for (List<String> row : t.rows()) {
                    out.append("<tr>");
                    for (int i = 0; i < row.size(); i++) {
                        String tag = i == 0 ? "th scope=\"row\"" : "td";
                        out.append('<').append(tag).append('>').append(escape(row.get(i))).append("</").append(i == 0 ? "th" : "td").append('>');
                    }
                    out.append("</tr>\n");
                }
                out.append("</tbody>\n</table>\n");
            }
        }
        out.append("</main>\n</body>\n</html>\n");
        return out.toString();
    }

    /** Text for XHTML: the five characters that could become markup, escaped. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A4 landscape for the wide register tables; 11pt and larger, black on white, headers on grey. */
    private static final String CSS = """
            @page { size: A4 landscape; margin: 15mm;
              @bottom-center { content: "Page " counter(page) " of " counter(pages); font-family: "DejaVu Sans"; font-size: 11pt; } }
            body { font-family: "DejaVu Sans", sans-serif; font-size: 11pt; line-height: 1.4; color: #000; background: #fff; margin: 0; }
            main { max-width: 60rem; }
            h1 { font-size: 20pt; line-height: 1.25; margin: 0 0 5mm 0; }
            h2 { font-size: 15pt; line-height: 1.25; margin: 8mm 0 3mm 0; page-break-after: avoid; }
            p { margin: 0 0 3mm 0; }
            table { border-collapse: collapse; width: 100%; margin: 0 0 5mm 0; }
            caption { text-align: left; font-weight: bold; padding: 0 0 2mm 0; }
            th, td { border: 1px solid #505a5f; padding: 1.5mm; text-align: left; vertical-align: top; word-wrap: break-word; }
            thead th { background: #e8e8e8; }
            tr { page-break-inside: avoid; }
            .number { text-align: right; }
            """;
}
