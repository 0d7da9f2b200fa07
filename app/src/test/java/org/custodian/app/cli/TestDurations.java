package org.custodian.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class TestDurations {
    @ParameterizedTest
    @CsvSource({
        "90s, PT1M30S",
        "15m, PT15M",
        "2h, PT2H",
        "1h30m, PT1H30M",
        "1h0m5s, PT1H5S",
        "PT15M, PT15M",
        "pt2h, PT2H",
        "PT0.5S, PT0.5S",
        "0s, PT0S",
    })
    void readsShortAndIsoDurations(String text, String expected) {
        assertEquals(Duration.parse(expected), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "15", "m", "15 m", "15min", "1d", "-5m", "P1D", "PT", "1.5h", "15M", "h15"})
    void refusesAnythingElseWithExamples(String text) {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> Durations.parse(text));
        assertEquals("'" + text + "' is not a duration (examples: 90s, 15m, 2h, 1h30m, PT15M)", e.getMessage());
    }
}
