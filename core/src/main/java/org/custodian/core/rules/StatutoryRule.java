package org.custodian.core.rules;

/**
 * The statutory rules: exactly the table in DESIGN.md, fixed in code, each with a stable reason
 * code. Nothing configurable (governed rules, consent, projects, agreements) can permit what one of
 * them forbids: the gate applies them first and a statutory refusal ends the decision.
 */
public enum StatutoryRule {
    NO_PRIVATE_SECONDARY_USE("statutory.no-private-secondary-use",
            "Private companies may use patient data only to care for the patient, never for anything else."),
    NO_OTHER_GOVERNMENT_SECONDARY_USE("statutory.no-other-government-secondary-use",
            "Government bodies outside health and care (such as immigration, welfare or police) may not use"
                    + " identifiable or pseudonymised patient data."),
    NO_SALE_OR_MARKETING("statutory.no-sale-or-marketing",
            "Patient data is never used for sale, commercial or marketing purposes, by anyone."),
    NO_VALUE_RATIONING("statutory.no-value-rationing",
            "Patient data is never used to decide where or on whom care money is spent by a person's 'value'."),
    HUMAN_REVIEW_OF_AUTOMATED_DECISIONS("statutory.human-review",
            "An algorithm's output about a person takes effect only once a named clinician has reviewed it."),
    CARE_NEEDS_RELATIONSHIP("statutory.care-needs-relationship",
            "Reading a record for care needs a care relationship with the patient, or a clinician's emergency"
                    + " break-glass access, which is flagged, reviewed and shown to the patient."),
    NO_PRIVATE_SECTOR_ON_GOVERNANCE("statutory.no-private-governance",
            "Nobody affiliated with a private company may sit on the panel that governs access rules.");

    private final String code;
    private final String text;

    StatutoryRule(String code, String text) {
        this.code = code;
        this.text = text;
    }

    public String code() {
        return code;
    }

    public String text() {
        return text;
    }

    public Reason reason() {
        return new Reason(code, text);
    }
}
