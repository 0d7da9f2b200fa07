package org.custodian.server.registers;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Function;

/**
 * A way to narrow a register by one query parameter, the same for the page, {@code .json} and
 * {@code .csv}: {@code ?sector=nhs-care}. The parameter's values are the options' codes; an empty value
 * means any.
 *
 * @param parameter the query parameter, e.g. {@code sector}
 * @param label the page's label for the choice, e.g. "Sector"
 * @param any the page's words for no choice, e.g. "Any sector"
 * @param options the values allowed, in the order the page lists them
 * @param valueOf the code of a row's value, compared with the chosen one
 */
record Filter<R>(String parameter, String label, String any, List<Option> options, Function<R, String> valueOf) {
    /** An allowed value and its words. */
    record Option(String code, String words) {
        Option {
            requireNonNull(code, "code is null");
            requireNonNull(words, "words is null");
        }
    }

    Filter {
        requireNonNull(parameter, "parameter is null");
        requireNonNull(label, "label is null");
        requireNonNull(any, "any is null");
        options = List.copyOf(options);
        requireNonNull(valueOf, "valueOf is null");
    }

    boolean allows(String code) {
        return options.stream().anyMatch(o -> o.code().equals(code));
    }

    String codes() {
        return String.join(", ", options.stream().map(Option::code).toList());
    }
}
