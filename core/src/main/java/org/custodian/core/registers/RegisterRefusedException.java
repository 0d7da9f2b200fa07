package org.custodian.core.registers;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A register document was refused as a whole: nothing from it was written and nothing appended to
 * the ledger. {@link #problems()} lists every problem found, one line each, naming the item.
 */
public final class RegisterRefusedException extends Exception {
    private final List<String> problems;

    public RegisterRefusedException(List<String> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
        if (this.problems.isEmpty()) {
            throw new IllegalArgumentException("a refusal needs at least one problem");
        }
    }

    private static String summary(List<String> problems) {
        requireNonNull(problems, "problems is null");
        return problems.size() == 1 ? problems.get(0) : problems.size() + " problems: " + String.join("; ", problems);
    }

    public List<String> problems() {
        return problems;
    }
}
