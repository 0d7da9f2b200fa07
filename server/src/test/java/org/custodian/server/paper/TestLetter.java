package org.custodian.server.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The letter's model checks what it is given; the words it is printed with. */
class TestLetter {
    private static final Instant AT = Instant.parse("2026-07-03T13:05:00Z");

    @Test
    void countsComeFromTheUsesSoTheyCannotDisagreeWithTheList() {
        Letter letter = SampleLetters.toPatient(SampleLetters.someUses());
        assertEquals(new Letter.Counts(3, 2, 1), letter.counts());
        assertEquals(5, letter.counts().total());
        assertEquals(new Letter.Counts(0, 0, 0), SampleLetters.toPatient(List.of()).counts());
    }

    @Test
    void theUsesAndChoicesAreCopiedNotShared() {
        List<Letter.Use> uses = new ArrayList<>(SampleLetters.someUses());
        Letter letter = SampleLetters.toPatient(uses);
        uses.clear();
        assertEquals(5, letter.uses().size());
        assertThrows(UnsupportedOperationException.class, () -> letter.uses().clear());
    }

    @Test
    void aLetterIsToAProxyExactlyWhenTheRecipientActsForThePatient() {
        assertFalse(SampleLetters.toPatient(List.of()).toProxy());
        assertTrue(SampleLetters.toProxy(List.of()).toProxy());
    }

    @ParameterizedTest
    @ValueSource(strings = {"9434765919", "943-476-5919", "943 476 591", "943  476 5919", " 943 476 5919", "abc def ghij"})
    void anNhsNumberMustBeInItsPrintedForm(String nhsNumber) {
        assertThrows(IllegalArgumentException.class, () -> new Letter.Patient("Jane Smith", nhsNumber));
    }

    @Test
    void aRefusalMustSayWhy() {
        assertThrows(NullPointerException.class, () -> use(false, null));
        assertThrows(IllegalArgumentException.class, () -> use(false, "  "));
        assertEquals("no care relationship", use(false, "no care relationship").reason());
        assertEquals(null, use(true, null).reason(), "an allowed use may go without a reason");
    }

    @Test
    void blankTextAndEmptyAddressesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Letter.Recipient.patient("Jane Smith", List.of()));
        assertThrows(IllegalArgumentException.class, () -> Letter.Recipient.patient("Jane Smith", List.of("1 High St", "")));
        assertThrows(IllegalArgumentException.class, () -> Letter.Recipient.patient(" ", List.of("1 High St")));
        assertThrows(NullPointerException.class, () -> Letter.Recipient.proxy("Tom Smith", List.of("1 High St"), null));
        assertThrows(IllegalArgumentException.class, () -> new Letter.Checkpoint("log", -1, "hash"));
        assertThrows(IllegalArgumentException.class, () -> new Letter.Use(AT, "GP", "NHS GP practice", "a nurse",
                "your care", "your medicines", true, null, null, false, -1));
    }

    @Test
    void theSummaryCountsInWordsAndSaysNoneRatherThanZero() {
        String onlyAllowed = body(SampleLetters.toPatient(List.of(use(true, null), use(true, null))));
        assertTrue(onlyAllowed.contains("asked to use your health data twice in this period."), onlyAllowed);
        assertTrue(onlyAllowed.contains("<li>2 requests were allowed.</li>"));
        assertTrue(onlyAllowed.contains("<li>No request was refused.</li>"));
        assertFalse(onlyAllowed.contains("break-glass"), "no break-glass, no need to explain it");
        String oneRefused = body(SampleLetters.toPatient(List.of(use(false, "no care relationship"))));
        assertTrue(oneRefused.contains("asked to use your health data once in this period."));
        assertTrue(oneRefused.contains("<li>No request was allowed.</li>"));
        assertTrue(oneRefused.contains("<li>1 request was refused: no data was given.</li>"));
    }

    @ParameterizedTest
    @CsvSource({
        "00:00, midnight",
        "00:30, 12:30am",
        "09:00, 9am",
        "09:05, 9:05am",
        "12:00, midday",
        "12:15, 12:15pm",
        "14:05, 2:05pm",
        "23:59, 11:59pm",
    })
    void timesAreWrittenOnTheTwelveHourClock(LocalTime time, String words) {
        assertEquals(words, LetterHtml.clock(time));
    }

    @Test
    void timesArePrintedInUkTimeAcrossTheClockChange() {
        assertEquals("2:05pm", LetterHtml.clock(AT.atZone(LetterHtml.UK).toLocalTime()), "British Summer Time");
        assertEquals("1:05pm", LetterHtml.clock(Instant.parse("2026-12-03T13:05:00Z").atZone(LetterHtml.UK).toLocalTime()),
                "Greenwich Mean Time");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "<script>&\"       | &lt;script&gt;&amp;&quot;",
        "O'Brien           | O&#39;Brien",
        "Siobhán Nguyễn    | Siobhán Nguyễn",
        "a\u0000b\u001Fc\u007Fd | a\uFFFDb\uFFFDc\u007Fd",
    })
    void escapingMakesAnyStringSafeXmlText(String raw, String escaped) {
        assertEquals(escaped, LetterHtml.escape(raw));
    }

    @Test
    void escapingKeepsSurrogatePairsAndReplacesLoneHalves() {
        assertEquals("\uD83D\uDE00", LetterHtml.escape("\uD83D\uDE00"));
        assertEquals("x\uFFFDy\uFFFD", LetterHtml.escape("x\uD83Dy\uDE00"));
        assertEquals("\uFFFD", LetterHtml.escape("\uFFFE"));
    }

    private static String body(Letter letter) {
        String html = LetterHtml.of(letter);
        return html.substring(html.indexOf("<body>"));
    }

    private static Letter.Use use(boolean allowed, String reason) {
        return new Letter.Use(AT, "Chapel Allerton Surgery", "NHS GP practice", "a practice nurse", "your care",
                "your medicines", allowed, reason, null, false, 1);
    }
}
