package org.custodian.server.fhir;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.custodian.records.search.Search;
import org.custodian.server.http.Problem;

/** A request's {@code Prefer} header (RFC 7240), as FHIR uses it: {@code respond-async}, {@code return=...}, {@code handling=...}. */
final class Preferences {
    private Preferences() {}

    /** The preference tokens, lower case, each with its value but without parameters ({@code return=minimal}). */
    static Set<String> of(String header) {
        if (header == null) {
            return Set.of();
        }
        Set<String> out = new HashSet<>();
        for (String part : header.split(",")) {
            String token = part.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).replace("\"", "");
            if (!token.isEmpty()) {
                out.add(token);
            }
        }
        return out;
    }

    /** FHIR's search handling: strict (the default here) unless {@code handling=lenient} is asked for. */
    static Search.Handling handling(String header) {
        Set<String> prefs = of(header);
        boolean lenient = prefs.contains("handling=lenient");
        if (lenient && prefs.contains("handling=strict")) {
            throw Problem.badRequest("Prefer asks for both handling=strict and handling=lenient");
        }
        return lenient ? Search.Handling.LENIENT : Search.Handling.STRICT;
    }

    static boolean returnMinimal(String header) {
        return of(header).contains("return=minimal");
    }
}
