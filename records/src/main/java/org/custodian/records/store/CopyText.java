package org.custodian.records.store;

import java.time.Instant;
import java.util.Collection;

/**
 * Rows in PostgreSQL's COPY text format: tab-separated columns, {@code \N} for NULL, backslash escapes,
 * and array columns as {@code {"a","b"}} literals. COPY loads a transaction's versions several times
 * faster than batched INSERTs, which matters when a bundle brings thousands.
 */
final class CopyText {
    private final StringBuilder out = new StringBuilder(1 << 16);
    private boolean lineStarted;

    CopyText column(String value) {
        separator();
        if (value == null) {
            out.append("\\N");
        } else {
            escape(value);
        }
        return this;
    }

    CopyText column(long value) {
        separator();
        out.append(value);
        return this;
    }

    CopyText column(Instant value) {
        separator();
        if (value == null) {
            out.append("\\N");
        } else {
            out.append(value); // ISO-8601 with Z: PostgreSQL reads it as timestamptz
        }
        return this;
    }

    CopyText hex(byte[] value) {
        separator();
        out.append("\\\\x");
        for (byte b : value) {
            out.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return this;
    }

    /** A text[] column: every element quoted, so that no element's characters are read as array syntax. */
    CopyText array(Collection<String> values) {
        separator();
        StringBuilder a = new StringBuilder(values.size() * 24).append('{');
        boolean first = true;
        for (String v : values) {
            if (!first) {
                a.append(',');
            }
            first = false;
            a.append('"');
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '"' || c == '\\') {
                    a.append('\\');
                }
                a.append(c);
            }
            a.append('"');
        }
        escape(a.append('}').toString());
        return this;
    }

    CopyText endRow() {
        out.append('\n');
        lineStarted = false;
        return this;
    }

    String text() {
        return out.toString();
    }

    private void separator() {
        if (lineStarted) {
            out.append('\t');
        }
        lineStarted = true;
    }

    private void escape(String v) {
        // Most text needs no escaping: copy the runs between the few characters that do.
        int from = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                out.append(v, from, i);
                out.append(c == '\\' ? "\\\\" : c == '\t' ? "\\t" : c == '\n' ? "\\n" : "\\r");
                from = i + 1;
            }
        }
        out.append(v, from, v.length());
    }
}
