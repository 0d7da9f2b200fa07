package org.custodian.core.vocabulary;

import java.util.Optional;

/** The form in which data leaves: identifying the patient, pseudonymised, or aggregated with disclosure control. */
public enum DataForm {
    AGGREGATE("aggregate", "counts and statistics that identify nobody"),
    PSEUDONYMISED("pseudonymised", "records without name, address or NHS number, under a project's pseudonym"),
    IDENTIFIABLE("identifiable", "records that identify the patient");

    private final String code;
    private final String words;

    DataForm(String code, String words) {
        this.code = code;
        this.words = words;
    }

    public String code() {
        return code;
    }

    public String words() {
        return words;
    }

    /** Whether this form reveals no more about a patient than {@code other} (aggregate < pseudonymised < identifiable). */
    public boolean atMost(DataForm other) {
        return compareTo(other) <= 0;
    }

    public static Optional<DataForm> fromCode(String code) {
        return Codes.find(DataForm.class, DataForm::code, code);
    }
}
