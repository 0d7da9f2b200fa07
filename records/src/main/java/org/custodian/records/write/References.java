package org.custodian.records.write;

import java.util.function.UnaryOperator;

/**
 * Rewrites the references in a resource's JSON as HAPI encoded it. A Reference's {@code reference} is
 * the only FHIR R4 element named {@code reference} whose value is a string (elements of type Reference
 * that are called {@code reference} encode as objects), and inside JSON strings quotes are escaped, so
 * {@code "reference":"} marks exactly the references. Rewriting the encoded text avoids walking every
 * element of every resource through HAPI's reflection, which cost more than storing them.
 */
final class References {
    private static final String MARK = "\"reference\":\"";

    private References() {}

    /**
     * @param resolve the new reference for one as written, or the same string to keep it; may throw
     *     {@link WriteRefusedException} for a reference that cannot be resolved
     */
    static String rewrite(String json, UnaryOperator<String> resolve) {
        int at = json.indexOf(MARK);
        if (at < 0) {
            return json;
        }
        StringBuilder out = new StringBuilder(json.length() + 64);
        int copied = 0;
        while (at >= 0) {
            int start = at + MARK.length();
            int end = start;
            while (json.charAt(end) != '"') {
                end += json.charAt(end) == '\\' ? 2 : 1;
            }
            String raw = json.substring(start, end);
            if (raw.indexOf('\\') < 0) { // references are URLs: escaped characters are left as they are
                String resolved = resolve.apply(raw);
                if (!resolved.equals(raw)) {
                    out.append(json, copied, start).append(resolved);
                    copied = end;
                }
            }
            at = json.indexOf(MARK, end);
        }
        return out.append(json, copied, json.length()).toString();
    }
}
