package org.custodian.core.registers;

/**
 * How the person asking stands to the patient, today, as the registers say. Expired relationships
 * and proxies are {@link #NONE}.
 */
public enum Relationship {
    NONE("no relationship with the patient"),
    /** The person asking is the patient. */
    SELF("the patient themself"),
    /** A carer or attorney acting for the patient, in force, with a scope that allows reading. */
    PROXY("a carer or attorney acting for the patient"),
    /** The requester's organisation is the GP practice the patient is registered with. */
    CARE_REGISTERED("the patient's registered GP practice"),
    /** The requester's organisation cares for the patient under a referral or episode in force. */
    CARE_OTHER("an organisation caring for the patient under a referral or episode of care");

    private final String words;

    Relationship(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }

    public boolean isCare() {
        return this == CARE_REGISTERED || this == CARE_OTHER;
    }
}
