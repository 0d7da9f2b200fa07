package org.custodian.records.index;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How token and string values are written into the index and looked up, in one place so that both sides
 * agree. A coding (system S, code C) of parameter P is indexed three times: {@code P|S|C} (for
 * {@code P=S|C}), {@code P|*|C} (for {@code P=C}, any system) and {@code P|S|*} (for {@code P=S|}); a
 * code without a system is {@code P||C} (for {@code P=|C}) and {@code P|*|C}.
 */
public final class TokenIndex {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private TokenIndex() {}

    public static void add(String param, SearchParam.Token t, java.util.Collection<String> out) {
        String system = t.system() == null ? "" : t.system();
        out.add(param + "|" + system + "|" + t.code());
        out.add(param + "|*|" + t.code());
        if (!system.isEmpty()) {
            out.add(param + "|" + system + "|*");
        }
    }

    /**
     * The index value a search token {@code [system]|[code]} or {@code code} looks for.
     *
     * @throws IllegalArgumentException for an empty value
     */
    public static String lookup(String param, String value) {
        int bar = value.indexOf('|');
        if (bar < 0) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("an empty token");
            }
            return param + "|*|" + value;
        }
        String system = value.substring(0, bar);
        String code = value.substring(bar + 1);
        if (code.isEmpty()) {
            if (system.isEmpty()) {
                throw new IllegalArgumentException("a token needs a system or a code");
            }
            return param + "|" + system + "|*";
        }
        return param + "|" + system + "|" + code;
    }

    /** Strings are matched without case or accents: "Zoë" is found by "zoe". */
    public static String normalise(String s) {
        String decomposed = Normalizer.normalize(s, Normalizer.Form.NFD);
        return MARKS.matcher(decomposed).replaceAll("").toLowerCase(Locale.ROOT).trim();
    }
}
