package org.custodian.server.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custodian.ledger.entry.CanonicalJson;

/** Strict reading of JSON request bodies: an object, known members only, clear 400s. */
public final class JsonBodies {
    private static final int MAX_BYTES = 64 * 1024;

    private JsonBodies() {}

    public static Map<?, ?> object(Context ctx, Set<String> allowed) {
        byte[] body = ctx.bodyAsBytes();
        if (body.length > MAX_BYTES) {
            throw Problem.badRequest("the request body is larger than " + MAX_BYTES + " bytes");
        }
        Object parsed;
        try {
            parsed = CanonicalJson.parse(body);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("the body is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw Problem.badRequest("the body must be a JSON object");
        }
        for (Object key : m.keySet()) {
            if (!allowed.contains(key)) {
                throw Problem.badRequest("unknown member \"" + key + "\" (expected some of " + allowed + ")");
            }
        }
        return m;
    }

    public static String string(Map<?, ?> m, String name, boolean required) {
        Object v = m.get(name);
        if (v == null) {
            if (required) {
                throw Problem.badRequest("\"" + name + "\" is required");
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw Problem.badRequest("\"" + name + "\" must be a string");
        }
        return s;
    }

    public static List<String> strings(Map<?, ?> m, String name) {
        Object v = m.get(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw Problem.badRequest("\"" + name + "\" must be an array of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }
}
