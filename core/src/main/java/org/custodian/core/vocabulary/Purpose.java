package org.custodian.core.vocabulary;

import java.util.Optional;

/**
 * Purposes of use: HL7 v3 PurposeOfUse codes ({@value #SYSTEM}), the subset Custodian decides on.
 * A request carries exactly one; a token is bound to exactly one.
 *
 * <p>COVAUTH (coverage authorisation) and ELIGDTRM (eligibility determination) are the HL7 codes
 * for deciding whether a person's care is paid for; under the statutory rule against rationing by
 * 'value' they are always refused. MARKT is not an HL7 code; it is accepted as the general
 * commercial-marketing purpose named in DESIGN.md and always refused, as HMARKT is.
 */
public enum Purpose {
    TREAT("treatment", PurposeGroup.DIRECT_CARE),
    ETREAT("emergency treatment", PurposeGroup.EMERGENCY_CARE),
    BTG("break the glass", PurposeGroup.EMERGENCY_CARE),
    PATRQT("patient requested", PurposeGroup.OWN_RECORD),
    PWATRNY("power of attorney", PurposeGroup.PROXY),
    FAMRQT("family requested", PurposeGroup.PROXY),
    HRESCH("healthcare research", PurposeGroup.RESEARCH),
    CLINTRCH("clinical trial research", PurposeGroup.RESEARCH),
    HOPERAT("healthcare operations", PurposeGroup.PLANNING),
    POPHLTH("population health", PurposeGroup.PLANNING),
    PUBHLTH("public health", PurposeGroup.PLANNING),
    HQUALIMP("health quality improvement", PurposeGroup.PLANNING),
    HMARKT("healthcare marketing", PurposeGroup.MARKETING),
    MARKT("marketing", PurposeGroup.MARKETING),
    COVAUTH("coverage authorization", PurposeGroup.CARE_RATIONING),
    ELIGDTRM("eligibility determination", PurposeGroup.CARE_RATIONING),
    GOV("government", PurposeGroup.GOVERNMENT),
    LEGAL("legal", PurposeGroup.GOVERNMENT),
    HLEGAL("legal (healthcare)", PurposeGroup.GOVERNMENT);

    /** The HL7 code system the codes come from. */
    public static final String SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

    private final String display;
    private final PurposeGroup group;

    Purpose(String display, PurposeGroup group) {
        this.display = display;
        this.group = group;
    }

    /** The HL7 code, e.g. {@code HRESCH}. */
    public String code() {
        return name();
    }

    /** The HL7 display text. */
    public String display() {
        return display;
    }

    public PurposeGroup group() {
        return group;
    }

    public static Optional<Purpose> fromCode(String code) {
        return Codes.find(Purpose.class, Purpose::code, code);
    }
}
