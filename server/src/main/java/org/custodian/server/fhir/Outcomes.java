package org.custodian.server.fhir;

import java.util.List;

/** Informational OperationOutcomes that travel inside a successful response (errors go through Problems). */
final class Outcomes {
    private Outcomes() {}

    /**
     * Says that results were left out, and why, without saying whose. Withheld categories are mentioned
     * whenever the patient withholds any from this caller, whether or not the page held such a resource,
     * so that the note itself does not reveal that sensitive records exist.
     *
     * @param summary what was left out, e.g. "3 results were withheld"
     */
    static String withheld(String summary, List<String> why) {
        StringBuilder issues = new StringBuilder();
        issues.append("{\"severity\":\"information\",\"code\":\"suppressed\",\"diagnostics\":")
                .append(BundleJson.quote(summary + " Each decision, permit or refusal, is recorded in the ledger."))
                .append('}');
        for (String reason : why) {
            issues.append(",{\"severity\":\"information\",\"code\":\"suppressed\",\"details\":{\"coding\":[{\"system\":\"")
                    .append(org.custodian.server.http.Problems.REASON_SYSTEM).append("\",\"code\":").append(BundleJson.quote(reason))
                    .append("}]}}");
        }
        return "{\"resourceType\":\"OperationOutcome\",\"issue\":[" + issues + "]}";
    }

    /** Search parameters left out under {@code Prefer: handling=lenient}: one warning each, with its name. */
    static String ignoredParameters(java.util.Collection<String> names) {
        StringBuilder issues = new StringBuilder();
        for (String name : names) {
            issues.append(issues.length() == 0 ? "" : ",").append("{\"severity\":\"warning\",\"code\":\"not-supported\",\"diagnostics\":")
                    .append(BundleJson.quote("The search parameter \"" + name + "\" is not supported here and was ignored"
                            + " (Prefer: handling=lenient); GET /fhir/metadata lists those that are."))
                    .append(",\"expression\":[").append(BundleJson.quote(name)).append("]}");
        }
        return "{\"resourceType\":\"OperationOutcome\",\"issue\":[" + issues + "]}";
    }

    /** An OperationOutcome with one informational issue. */
    static String information(String text) {
        return "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"information\",\"code\":\"informational\","
                + "\"diagnostics\":" + BundleJson.quote(text) + "}]}";
    }
}
