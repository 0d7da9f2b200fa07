package org.custodian.server.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openhtmltopdf.util.Diagnostic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The letters read back with PDFBox: what PDF/UA-1 (ISO 14289-1) asks of a tagged document, and what
 * a reader needs from the letter. veraPDF's full PDF/UA-1 check is in {@link TestLetterConformance}.
 */
class TestLetterPdf {
    private static final List<Diagnostic> DIAGNOSTICS = new ArrayList<>();
    private static PdfFacts patient;
    private static PdfFacts proxy;
    private static PdfFacts empty;
    private static PdfFacts many;

    @BeforeAll
    static void render() {
        patient = new PdfFacts(LetterPdf.render(SampleLetters.toPatient(SampleLetters.someUses()), DIAGNOSTICS::add));
        proxy = new PdfFacts(LetterPdf.render(SampleLetters.toProxy(SampleLetters.someUses()), DIAGNOSTICS::add));
        empty = new PdfFacts(LetterPdf.render(SampleLetters.toPatient(List.of()), DIAGNOSTICS::add));
        many = new PdfFacts(LetterPdf.render(SampleLetters.toPatient(SampleLetters.manyUses(300)), DIAGNOSTICS::add));
    }

    @Test
    void theRendererUnderstoodEverythingItWasGiven() {
        List<String> warnings = DIAGNOSTICS.stream()
                .filter(d -> d.getLevel().intValue() >= Level.WARNING.intValue())
                .map(Diagnostic::getFormattedMessage)
                .toList();
        assertEquals(List.of(), warnings, "an unknown CSS property or a missing resource is silently dropped from the letter");
    }

    @Test
    void theDocumentIsMarkedAsTaggedInBritishEnglishAndShowsItsTitle() {
        for (PdfFacts letter : List.of(patient, proxy, empty, many)) {
            assertTrue(letter.marked, "MarkInfo /Marked true");
            assertEquals("en-GB", letter.lang);
            assertTrue(letter.displayDocTitle, "ViewerPreferences /DisplayDocTitle true");
        }
        assertEquals("How your health data was used: 1 July to 30 September 2026", patient.infoTitle);
        assertEquals("How Jane Smith's health data was used: 1 July to 30 September 2026", proxy.infoTitle);
    }

    @Test
    void xmpMetadataCarriesTheTitleAndClaimsPdfUaPartOneAndPdfA2a() {
        for (PdfFacts letter : List.of(patient, proxy, empty, many)) {
            assertEquals(List.of(letter.infoTitle), letter.xmp(PdfFacts.DC, "title"));
            assertEquals(List.of("1"), letter.xmp(PdfFacts.PDFUAID, "part"));
            assertEquals(List.of("2"), letter.xmp(PdfFacts.PDFAID, "part"));
            assertEquals(List.of("A"), letter.xmp(PdfFacts.PDFAID, "conformance"));
        }
    }

    @Test
    void theStructureTreeHasHeadingsParagraphsListsAndATableWithColumnHeaders() {
        List<String> types = patient.types();
        assertEquals("Document", types.get(0));
        for (String type : List.of("H1", "H2", "P", "L", "LI", "LBody", "Table", "THead", "TBody", "TR", "TH", "TD")) {
            assertTrue(types.contains(type), "no " + type + " in " + types);
        }
        assertEquals(2, patient.count("Table"), "who asked, by organisation; and every request");
        assertTrue(patient.tags.stream().filter(t -> t.type().equals("TH")).allMatch(t -> "Column".equals(t.attribute("Scope"))),
                "every header cell says that it heads a column");
    }

    @Test
    void headingsStartAtOneAndNeverSkipALevel() {
        for (PdfFacts letter : List.of(patient, proxy, empty, many)) {
            List<Integer> levels = letter.types().stream().filter(t -> t.matches("H[1-6]"))
                    .map(t -> t.charAt(1) - '0').toList();
            assertEquals(1, levels.get(0), "the first heading is H1: " + levels);
            assertEquals(1, levels.stream().filter(l -> l == 1).count(), "one H1: " + levels);
            for (int i = 1; i < levels.size(); i++) {
                assertTrue(levels.get(i) <= levels.get(i - 1) + 1, "a skipped level: " + levels);
            }
        }
    }

    @Test
    void everyFontIsEmbeddedDejaVu() {
        for (PdfFacts letter : List.of(patient, many)) {
            assertFalse(letter.fonts.isEmpty());
            for (PDFont font : letter.fonts) {
                assertTrue(font.isEmbedded(), font.getName() + " is not embedded");
                assertTrue(font.getName().contains("DejaVu"), font.getName());
            }
        }
    }

    @Test
    void noTextIsSmallerThanTwelvePoints() {
        for (PdfFacts letter : List.of(patient, proxy, empty, many)) {
            assertTrue(letter.smallestTextPt >= 12f, "text at " + letter.smallestTextPt + " pt");
        }
    }

    @Test
    void theTextCanBeExtractedAndNamesThePatientAndTheirNhsNumber() {
        assertTrue(patient.flat.contains("Dear Ms Jane Smith,"), patient.flat);
        assertTrue(patient.flat.contains("Your NHS number: 943 476 5919"), patient.text);
        assertTrue(patient.flat.contains("Leeds Teaching Hospitals NHS Trust"));
        assertTrue(patient.flat.contains("hmI4ch6ocAnQPT8NE8f3XeZLTSmM/+aq3M0oRk5kPys="), "the root hash, whole");
        assertTrue(patient.flat.contains("18,204,331 entries"));
        assertTrue(patient.flat.contains("Entry 17204002"));
        String noticed = new PdfFacts(LetterPdf.render(SampleLetters.toPatientWithNotice(SampleLetters.someUses()), DIAGNOSTICS::add)).flat;
        assertTrue(noticed.contains("Something you asked to be told about You asked to be told about this by letter"), noticed);
        assertTrue(noticed.contains("Someone looked at your health record in an emergency On 3 July 2026"), noticed);
        assertTrue(noticed.contains("Ledger entry 17001233."), noticed);
        assertTrue(noticed.indexOf("Something you asked to be told about") < noticed.indexOf("Summary"), "first, before the summary");
        assertFalse(patient.flat.contains("asked to be told"), "no notice section without notices");
        assertTrue(patient.flat.contains("University research projects: you have said no."));
        assertTrue(patient.flat.contains("3 July 2026"));
        assertTrue(patient.flat.contains("2:05pm"), "13:05 UTC is 2:05pm in British Summer Time");
    }

    @Test
    void everyPageIsNumberedOutOfTheTotal() {
        assertEquals(3, patient.pages);
        for (int page = 1; page <= patient.pages; page++) {
            assertTrue(patient.pageTexts.get(page - 1).contains("Page " + page + " of 3"), "page " + page);
        }
    }

    @Test
    void threeHundredUsesRunOntoManyPagesEachWithTheTableHeaderAndTheirOwner() {
        assertTrue(many.pages > 20, many.pages + " pages");
        assertTrue(many.pageTexts.get(0).contains("Page 1 of " + many.pages));
        int firstListPage = indexOfPageContaining(many, "Every request, one by one");
        assertTrue(firstListPage > 0, "the list comes after the letter");
        for (int page = firstListPage; page < many.pages; page++) {
            String text = many.pageTexts.get(page).replaceAll("\\s+", " ");
            assertTrue(text.contains("When") && text.contains("Who asked") && text.contains("Decision"),
                    "page " + (page + 1) + " repeats the table header");
            assertTrue(text.contains("Jane Smith, NHS number 943 476 5919"), "page " + (page + 1) + " names whose letter it is");
        }
        assertEquals(300, PdfFacts.occurrences(many.flat, "Entry 1"), "every use printed once");
        assertEquals(1, many.count("H1"));
    }

    @Test
    void anEmptyPeriodSaysSoAndPrintsNoList() {
        assertTrue(empty.flat.contains("No organisation used your health data in this period, and none asked to."), empty.flat);
        assertEquals(0, empty.count("Table"));
        assertFalse(empty.flat.contains("Every request, one by one"));
        assertTrue(empty.flat.contains("University research projects"), "the choices are still there");
        assertTrue(empty.flat.contains("Page 1 of " + empty.pages));
    }

    @Test
    void aLetterToAProxySaysWhoseRecordItIsAbout() {
        assertTrue(proxy.flat.contains("Dear Mr Tom Smith,"));
        assertTrue(proxy.flat.contains("This letter is about the health record of Jane Smith, NHS number 943 476 5919."),
                proxy.flat);
        assertTrue(proxy.flat.contains("You are receiving it as their attorney for health and welfare."));
        assertTrue(proxy.flat.contains("asked to use the health data of Jane Smith"));
        assertFalse(proxy.flat.contains("Your NHS number"), "the proxy's own NHS number is not the one printed");
    }

    @Test
    void breakGlassUsesAreMarkedInWordsInTheirRow() {
        String list = patient.flat.substring(patient.flat.indexOf("Every request, one by one"));
        assertEquals(1, PdfFacts.occurrences(list, "Emergency access (break-"), list);
        assertTrue(patient.flat.contains("1 was an emergency access (“break-glass”)."));
        String manyList = many.flat.substring(many.flat.indexOf("Every request, one by one"));
        assertEquals(12, PdfFacts.occurrences(manyList, "Emergency access (break-"));
    }

    @Test
    void stringsFromDataArePrintedAsTextNeverAsMarkup() {
        String hostile = SampleLetters.HOSTILE;
        List<Letter.Use> uses = List.of(new Letter.Use(Instant.parse("2026-08-01T10:00:00Z"), hostile,
                "private company", "</td></tr></table><h1>x</h1>", "]]><!-- & --> 'quoted'", "a\u0000b\u001Fc",
                false, "<b>no</b>", "&amp; &#60;", false, 5));
        Letter letter = SampleLetters.letter(Letter.Recipient.patient("Ms Siobhán O'Brien-Nguyễn", SampleLetters.address()), uses);
        PdfFacts facts = new PdfFacts(LetterPdf.render(letter));
        // Narrow table cells wrap these anywhere, so compare without white space.
        String text = facts.text.replaceAll("\\s+", "");
        for (String s : List.of(hostile, "</td></tr></table><h1>x</h1>", "]]><!-- & --> 'quoted'", "<b>no</b>",
                "&amp; &#60;", "Siobhán O'Brien-Nguyễn")) {
            assertTrue(text.contains(s.replaceAll("\\s+", "")), "printed as given: " + s);
        }
        assertTrue(text.contains("a\uFFFDb\uFFFDc"), "characters XML cannot carry are replaced, not fatal");
        assertEquals(1, facts.count("H1"), "no heading injected");
        assertEquals(2, facts.count("Table"));
    }

    /** {@code -Dcustodian.letters.dir=DIR} keeps the letters rendered here, to look at. */
    @Test
    void writesTheSampleLettersWhereAsked() throws Exception {
        String dir = System.getProperty("custodian.letters.dir");
        Assumptions.assumeTrue(dir != null, "no custodian.letters.dir");
        Files.createDirectories(Path.of(dir));
        Files.write(Path.of(dir, "patient.pdf"), patient.bytes);
        Files.write(Path.of(dir, "proxy.pdf"), proxy.bytes);
        Files.write(Path.of(dir, "empty.pdf"), empty.bytes);
        Files.write(Path.of(dir, "many.pdf"), many.bytes);
        Files.write(Path.of(dir, "notice.pdf"), LetterPdf.render(SampleLetters.toPatientWithNotice(SampleLetters.someUses())));
    }

    private static int indexOfPageContaining(PdfFacts facts, String text) {
        for (int i = 0; i < facts.pages; i++) {
            if (facts.pageTexts.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
