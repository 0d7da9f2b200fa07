package org.custodian.core.vocabulary;

/**
 * What a purpose of use amounts to, for the rules: the statutory rules and the patient's choices are
 * stated per group, not per HL7 code, so that two codes for the same thing cannot be treated apart.
 */
public enum PurposeGroup {
    /** Care of this patient by those caring for them. */
    DIRECT_CARE("direct care", false),
    /** Emergency care without a care relationship: break-glass. */
    EMERGENCY_CARE("emergency care (break-glass)", false),
    /** The patient reading their own record. */
    OWN_RECORD("the patient's own request", false),
    /** A carer or attorney acting for the patient. */
    PROXY("a carer or attorney acting for the patient", false),
    RESEARCH("research", true),
    PLANNING("planning and improving services", true),
    MARKETING("sale or marketing", true),
    /** Deciding where or on whom care money is spent by a person's 'value'. */
    CARE_RATIONING("deciding who gets care by 'value'", true),
    GOVERNMENT("government, legal or enforcement use", true);

    private final String words;
    private final boolean secondary;

    PurposeGroup(String words, boolean secondary) {
        this.words = words;
        this.secondary = secondary;
    }

    /** The wire code, e.g. {@code direct-care}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public static java.util.Optional<PurposeGroup> fromCode(String code) {
        return Codes.find(PurposeGroup.class, PurposeGroup::code, code);
    }

    /** Plain words for patients' pages and reasons. */
    public String words() {
        return words;
    }

    /** Secondary use: anything other than the care of this patient or the patient's own (or proxy's) request. */
    public boolean isSecondary() {
        return secondary;
    }

    public boolean isDirectCare() {
        return this == DIRECT_CARE || this == EMERGENCY_CARE;
    }
}
