package org.custodian.records.store;

/**
 * Puts {@code meta.versionId} and {@code meta.lastUpdated} into a resource's JSON as HAPI encoded it
 * (compact, {@code resourceType}, {@code id} and {@code meta} first, in that order) without parsing it
 * again: the stored form is encoded once without them, hashed (so that an unchanged resource is
 * recognised), and given its version here.
 */
final class MetaSplice {
    private MetaSplice() {}

    static String withVersion(String json, String type, String id, int version, String lastUpdated) {
        String head = "{\"resourceType\":\"" + type + "\",\"id\":\"" + id + "\"";
        if (!json.startsWith(head)) {
            throw new IllegalStateException("unexpected encoding of " + type + "/" + id + ": " + json.substring(0, Math.min(80, json.length())));
        }
        String versionFields = "\"versionId\":\"" + version + "\",\"lastUpdated\":\"" + lastUpdated + "\"";
        String rest = json.substring(head.length());
        if (rest.startsWith(",\"meta\":{")) {
            int at = head.length() + ",\"meta\":{".length();
            return json.substring(0, at) + versionFields + "," + json.substring(at);
        }
        return head + ",\"meta\":{" + versionFields + "}" + rest;
    }
}
