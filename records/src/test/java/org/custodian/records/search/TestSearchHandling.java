package org.custodian.records.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Prefer: handling. Strict (the default) refuses a parameter this server does not know, so a filter is
 * never silently dropped; lenient ignores it, says so, and leaves it out of the paging links, so the
 * next page is the search that was actually run. A known parameter with a bad value is refused either way.
 */
class TestSearchHandling {
    private static Map<String, List<String>> query(String... pairs) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            q.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        return q;
    }

    @Test
    void strictRefusesAnUnknownParameter() {
        SearchException e = assertThrows(SearchException.class,
                () -> Search.parse("Observation", query("patient", "p1", "colour", "blue")));
        assertTrue(e.getMessage().contains("\"colour\""), e.getMessage());
        assertThrows(SearchException.class, () -> Search.parse("Observation", query("_summary", "true")));
    }

    @Test
    void lenientIgnoresUnknownParametersAndLeavesThemOutOfTheLinks() {
        Search s = Search.parse("Observation", query("patient", "p1", "colour", "blue", "_summary", "true", "code", "8867-4"),
                Search.Handling.LENIENT);
        assertEquals(Set.of("colour", "_summary"), s.ignored());
        assertEquals(Set.of("patient", "code"), s.linkParameters().keySet());
        assertEquals(Set.of("p1"), s.patients(), "the known criteria still apply");
    }

    @Test
    void lenientStillRefusesAKnownParameterWithABadValue() {
        assertThrows(SearchException.class,
                () -> Search.parse("Observation", query("date", "yesterday"), Search.Handling.LENIENT));
        assertThrows(SearchException.class,
                () -> Search.parse("Observation", query("_count", "-1"), Search.Handling.LENIENT));
        assertThrows(SearchException.class,
                () -> Search.parse("Observation", query("code:above", "8867-4"), Search.Handling.LENIENT));
    }

    @Test
    void strictSearchesIgnoreNothing() {
        assertEquals(Set.of(), Search.parse("Observation", query("patient", "p1")).ignored());
    }

    @Test
    void everythingFollowsTheSameRule() {
        assertThrows(SearchException.class, () -> Search.everything("p1", query("_type", "Observation")));
        Search s = Search.everything("p1", query("_type", "Observation", "_count", "10"), Search.Handling.LENIENT);
        assertEquals(Set.of("_type"), s.ignored());
        assertEquals(10, s.count());
    }
}
