package org.custodian.core.vocabulary;

import java.util.Optional;

/**
 * Sensitive categories of health information: HL7 v3 InformationSensitivityPolicy codes
 * ({@value #SYSTEM}), found in a resource's {@code meta.security} or derived from its codes. A
 * patient may withhold each one.
 */
public enum SensitiveCategory {
    PSY("mental health"),
    SEX("sexual and reproductive health"),
    HIV("HIV/AIDS"),
    ETH("substance use"),
    SDV("sexual or domestic violence"),
    GDIS("genetic information");

    public static final String SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    private final String words;

    SensitiveCategory(String words) {
        this.words = words;
    }

    public String code() {
        return name();
    }

    /** Plain words for patients' pages and reasons. */
    public String words() {
        return words;
    }

    public static Optional<SensitiveCategory> fromCode(String code) {
        return Codes.find(SensitiveCategory.class, SensitiveCategory::code, code);
    }
}
