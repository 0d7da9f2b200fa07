package org.custodian.core.vocabulary;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/** Looking up an enum constant by its wire code, for the vocabularies' {@code fromCode} methods. */
public final class Codes {
    private Codes() {}

    public static <E extends Enum<E>> Optional<E> find(Class<E> type, Function<E, String> code, String value) {
        if (value == null) {
            return Optional.empty();
        }
        return Arrays.stream(type.getEnumConstants()).filter(e -> code.apply(e).equals(value)).findFirst();
    }
}
