package org.custodian.core.registers;

import static java.util.Objects.requireNonNull;

/**
 * An NHS number: ten digits whose last is a modulus-11 check digit (NHS Data Dictionary, "NHS
 * Number"). Identifier system {@value #SYSTEM}.
 */
public record NhsNumber(String value) {
    public static final String SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";

    public NhsNumber {
        requireNonNull(value, "value is null");
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Parses ten digits, allowing the printed form's spaces ("943 476 5919"). */
    public static NhsNumber parse(String text) {
        requireNonNull(text, "NHS number is null");
        return new NhsNumber(text.replace(" ", ""));
    }

    public static boolean isValid(String text) {
        return text != null && problem(text.replace(" ", "")) == null;
    }

    /** Why {@code digits} is not a valid NHS number, or null if it is. */
    private static String problem(String digits) {
        if (digits.length() != 10 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return "an NHS number is 10 digits, not \"" + digits + "\"";
        }
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (digits.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - sum % 11;
        if (check == 11) {
            check = 0;
        }
        if (check == 10 || check != digits.charAt(9) - '0') {
            return "\"" + digits + "\" is not a valid NHS number (its check digit is wrong)";
        }
        return null;
    }

    /** The printed form, 3-3-4 digits. */
    public String formatted() {
        return value.substring(0, 3) + " " + value.substring(3, 6) + " " + value.substring(6);
    }

    @Override
    public String toString() {
        return value;
    }
}
