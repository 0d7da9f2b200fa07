package org.custodian.server.fhir;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Writes a FHIR Bundle as JSON around resources that are already JSON (as stored), without parsing and
 * encoding them again: a search page of 1,000 Observations costs string appends, not a HAPI round trip.
 */
final class BundleJson {
    private final StringBuilder out = new StringBuilder(4096);
    private boolean firstLink = true;
    private boolean firstEntry = true;
    private boolean linksClosed;
    private boolean entriesOpen;

    BundleJson(String type, Long total) {
        out.append("{\"resourceType\":\"Bundle\",\"id\":\"").append(UUID.randomUUID()).append("\",\"meta\":{\"lastUpdated\":\"")
                .append(DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.MILLIS))).append("\"},\"type\":\"")
                .append(type).append('"');
        if (total != null) {
            out.append(",\"total\":").append(total);
        }
    }

    BundleJson link(String relation, String url) {
        if (linksClosed) {
            throw new IllegalStateException("links come before entries");
        }
        out.append(firstLink ? ",\"link\":[" : ",");
        firstLink = false;
        out.append("{\"relation\":").append(quote(relation)).append(",\"url\":").append(quote(url)).append('}');
        return this;
    }

    /**
     * @param fullUrl the entry's fullUrl, or null
     * @param resourceJson a resource's JSON, as stored
     * @param searchMode "match", "include" or "outcome", or null for bundles that are not search results
     */
    BundleJson entry(String fullUrl, String resourceJson, String searchMode) {
        openEntries();
        out.append(firstEntry ? "" : ",");
        firstEntry = false;
        out.append('{');
        if (fullUrl != null) {
            out.append("\"fullUrl\":").append(quote(fullUrl)).append(',');
        }
        out.append("\"resource\":").append(resourceJson);
        if (searchMode != null) {
            out.append(",\"search\":{\"mode\":\"").append(searchMode).append("\"}");
        }
        out.append('}');
        return this;
    }

    /** A history entry: the version, and the request that made it. */
    BundleJson historyEntry(String fullUrl, String resourceJson, String method, String url) {
        openEntries();
        out.append(firstEntry ? "" : ",");
        firstEntry = false;
        out.append("{\"fullUrl\":").append(quote(fullUrl)).append(",\"resource\":").append(resourceJson)
                .append(",\"request\":{\"method\":\"").append(method).append("\",\"url\":").append(quote(url)).append("}}");
        return this;
    }

    private void openEntries() {
        if (!linksClosed) {
            if (!firstLink) {
                out.append(']');
            }
            linksClosed = true;
        }
        if (!entriesOpen) {
            out.append(",\"entry\":[");
            entriesOpen = true;
        }
    }

    String finish() {
        if (!linksClosed && !firstLink) {
            out.append(']');
        }
        if (entriesOpen) {
            out.append(']');
        }
        out.append('}');
        return out.toString();
    }

    static String quote(String s) {
        return org.custodian.server.http.JsonText.quote(s);
    }
}
