package org.custodian.server.registers;

import java.util.List;

/**
 * CSV as RFC 4180 defines it: records end in CRLF (the last one too), a field holding a comma, a double
 * quote, CR or LF is enclosed in double quotes with its double quotes doubled, and the first record is
 * the header.
 *
 * <p>Register files are written by administrators, and a name such as {@code =HYPERLINK(...)} would be run
 * as a formula by a spreadsheet that opens the file (CSV injection, OWASP). A field that starts with
 * {@code = + - @}, a tab or a carriage return is therefore written with a single quote before it, which
 * spreadsheets show as text; the JSON form carries the values unchanged.
 */
public final class Csv {
    private Csv() {}

    /** The whole document: the header, then one record per row; {@code null} fields are empty. */
    public static String write(List<String> header, List<List<String>> rows) {
        StringBuilder out = new StringBuilder(64 * (rows.size() + 1));
        record(out, header);
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("a row has " + row.size() + " fields and the header " + header.size());
            }
            record(out, row);
        }
        return out.toString();
    }

    private static void record(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields.get(i)));
        }
        out.append("\r\n");
    }

    /** One field, guarded against formulas, then quoted if it needs to be. */
    static String field(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String guarded = startsLikeAFormula(value) ? "'" + value : value;
        boolean quote = false;
        for (int i = 0; i < guarded.length() && !quote; i++) {
            char c = guarded.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        return quote ? '"' + guarded.replace("\"", "\"\"") + '"' : guarded;
    }

    private static boolean startsLikeAFormula(String value) {
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    }
}
