package org.custodian.core.foi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestFoiPeriod {
    @Test
    void theDefaultIsTheLastTwelveCompleteMonthsInUkTime() {
        // 00:30 on 1 March in the UK is still 28 February in UTC... and in winter the UK is UTC: take a summer day.
        Clock clock = Clock.fixed(Instant.parse("2026-06-30T23:30:00Z"), ZoneOffset.UTC); // 1 July 00:30 in London
        FoiPeriod p = FoiPeriod.lastTwelveCompleteMonths(clock);
        assertEquals(LocalDate.parse("2025-07-01"), p.from());
        assertEquals(LocalDate.parse("2026-06-30"), p.to());
        assertTrue(p.wholeMonths());
        assertFalse(p.includesUnfinishedMonth(LocalDate.parse("2026-07-01")));
    }

    @Test
    void aPeriodWithinMonthsCountsTheWholeMonthsItTouches() {
        FoiPeriod p = FoiPeriod.parse("2025-03-15", "2025-05-02", "from", "to");
        assertEquals(LocalDate.parse("2025-03-01"), p.countedFrom());
        assertEquals(LocalDate.parse("2025-05-31"), p.countedTo());
        assertFalse(p.wholeMonths());
        assertTrue(p.includesUnfinishedMonth(LocalDate.parse("2025-05-20")));
    }

    @Test
    void badDatesAreRefusedWithAMessageNamingTheParameter() {
        record Case(String from, String to, String message) {}
        for (Case c : List.of(
                new Case("2026-05-01", "2026-04-01", "--from (2026-05-01) is after --to (2026-04-01)"),
                new Case("2026-02-30", "2026-04-01", "--from \"2026-02-30\" is not a date in the calendar"),
                new Case("2026-1-01", "2026-04-01", "--from \"2026-1-01\" is not a date: give it as YYYY-MM-DD"),
                new Case("2026-01-01", "", "--to is missing"),
                new Case("2026-01-01", "+99999-01-01", "--to \"+99999-01-01\" is not a date"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FoiPeriod.parse(c.from(), c.to(), "--from", "--to"));
            assertTrue(e.getMessage().startsWith(c.message()), e.getMessage());
        }
    }

    @Test
    void hostingNamesTheDirectoryOrTheHostsNeverTheCredentials() {
        assertEquals("db.example.org:5432", Hosting.external("jdbc:postgresql://db.example.org:5432/custodian?user=u&password=secret").location());
        assertEquals("a.example:5432,b.example:5433", Hosting.external("jdbc:postgresql://a.example:5432,b.example:5433/c").location());
        assertEquals("db.example", Hosting.external("jdbc:postgresql://user:pw@db.example/c").location());
        Hosting embedded = Hosting.embedded(Path.of("/srv/custodian"));
        assertEquals("/srv/custodian/pg", embedded.location());
        assertTrue(embedded.statements().get(0).contains("embedded PostgreSQL"), embedded.statements().get(0));
        assertFalse(String.join(" ", embedded.statements()).contains("/srv/custodian"), "a public answer does not disclose the server's paths");
        assertTrue(embedded.statements().stream().anyMatch(s -> s.contains("no third-party cloud")));
        assertFalse(String.join(" ", Hosting.external("jdbc:postgresql://h/c?password=secret").statements()).contains("secret"));
    }
}
