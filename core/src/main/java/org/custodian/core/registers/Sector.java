package org.custodian.core.registers;

import java.util.Optional;
import org.custodian.core.vocabulary.Codes;

/** The sector an organisation belongs to; the statutory rules are stated per sector. */
public enum Sector {
    NHS_CARE("nhs-care", "NHS care provider"),
    NHS_COMMISSIONER("nhs-commissioner", "NHS commissioner"),
    PUBLIC_RESEARCH("public-research", "public research (university or charity)"),
    LOCAL_AUTHORITY("local-authority", "local authority or social care"),
    OTHER_GOVERNMENT("other-government", "other government department"),
    PRIVATE_COMPANY("private-company", "private company"),
    REGULATOR("regulator", "independent regulator");

    private final String code;
    private final String words;

    Sector(String code, String words) {
        this.code = code;
        this.words = words;
    }

    /** The register file's and the API's code, e.g. {@code nhs-care}. */
    public String code() {
        return code;
    }

    public String words() {
        return words;
    }

    public static Optional<Sector> fromCode(String code) {
        return Codes.find(Sector.class, Sector::code, code);
    }
}
