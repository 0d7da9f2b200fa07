package org.custodian.server.transparency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.custodian.core.foi.FoiAnswers;
import org.custodian.core.foi.FoiPeriod;
import org.custodian.core.foi.FoiQuestions;
import org.custodian.core.foi.Hosting;
import org.custodian.core.registers.Agreement;
import org.custodian.core.registers.HostingSite;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.PublicRegisters;
import org.custodian.core.registers.PublicRegisters.Recorded;
import org.custodian.core.registers.Sector;
import org.custodian.core.statistics.MonthlyCounts;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

/** The FOI answers' files from made-up data: the PDF passes veraPDF for PDF/UA-1 and PDF/A-2a; markup in register text stays text. */
class TestFoiDocuments {
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

    @BeforeAll
    static void initialiseVeraPdf() {
        VeraGreenfieldFoundryProvider.initialise();
    }

    /** Declared by the operator: its own primary site, and a private company's backups (hostile text in both). */
    private static final List<Recorded<HostingSite>> SITES = List.of(
            new Recorded<>(new HostingSite("dc1", HostingSite.SiteRole.PRIMARY, "United Kingdom", "Northfield <b>council</b> data centre", null,
                    "Run by the council & its staff."), 6, NOW),
            new Recorded<>(new HostingSite("acme-backup", HostingSite.SiteRole.BACKUP, "United Kingdom", "=Acme cloud, London region", "acme", null),
                    7, NOW));

    private static FoiAnswers answers() {
        return answers(List.of());
    }

    private static FoiAnswers answers(List<Recorded<HostingSite>> hosting) {
        PublicRegisters.Reading registers = new PublicRegisters.Reading(List.of(
                new Recorded<>(new Organisation("QX1", "Northfield <b>ICB</b> & \"partners\"", Sector.NHS_COMMISSIONER), 3, NOW),
                new Recorded<>(new Organisation("acme", "=Acme Ltd, analytics", Sector.PRIVATE_COMPANY), 4, NOW)), List.of(),
                List.of(new Recorded<>(new Agreement("dsa-1", "Planning", "QX1", List.of("acme"), Set.of(Purpose.HOPERAT), DataForm.AGGREGATE,
                        List.of("Observation"), Set.of(), "Article 6(1)(e)", true, LocalDate.of(2025, 1, 1), null, Agreement.Status.ACTIVE,
                        List.of()), 5, NOW)), hosting);
        MonthlyCounts counts = new MonthlyCounts(1234, Optional.of(NOW), 1240,
                List.of(new MonthlyCounts.Decisions(YearMonth.of(2026, 1), "permit", "HOPERAT", "nhs-commissioner", "QX1", 23)), List.of(), 40,
                Map.of("research", 5L));
        return FoiQuestions.answer(new FoiPeriod(LocalDate.of(2026, 1, 5), LocalDate.of(2026, 2, 28)), registers, counts,
                Hosting.external("jdbc:postgresql://db.example:5432/c?password=x"), NOW, LocalDate.of(2026, 3, 10));
    }

    @Test
    void thePdfConformsToPdfUa1AndPdfA2a() throws Exception {
        byte[] pdf = FoiDocuments.pdf(answers(SITES));
        for (PDFAFlavour flavour : List.of(PDFAFlavour.PDFUA_1, PDFAFlavour.PDFA_2_A)) {
            try (PDFAParser parser = Foundries.defaultInstance().createParser(new ByteArrayInputStream(pdf), flavour);
                    PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false)) {
                ValidationResult result = validator.validate(parser);
                String failures = result.getTestAssertions().stream().filter(a -> a.getStatus() == TestAssertion.Status.FAILED)
                        .map(a -> a.getRuleId().getClause() + "-" + a.getRuleId().getTestNumber() + " " + a.getMessage()).distinct()
                        .collect(Collectors.joining("\n  "));
                assertTrue(result.isCompliant(), flavour + " failures:\n  " + failures);
            }
        }
    }

    @Test
    void registerTextIsEscapedAndTheCsvGuardsFormulas() {
        String xhtml = FoiDocuments.xhtml(answers());
        assertTrue(xhtml.contains("Northfield &lt;b&gt;ICB&lt;/b&gt; &amp; &quot;partners&quot;"), xhtml);
        assertTrue(xhtml.contains("As of tree size 1234."), xhtml);
        assertTrue(xhtml.contains("wider than the period asked for"), xhtml);
        String csv = FoiDocuments.csv(answers());
        assertTrue(csv.startsWith(String.join(",", FoiDocuments.CSV_HEADER) + "\r\n"), csv);
        assertTrue(csv.contains("a,organisation:QX1,\"Secondary use allowed to Northfield <b>ICB</b> & \"\"partners\"\"\",NHS commissioner,25,published,period,2026-01-01,2026-02-28,1234\r\n"), csv);
        assertTrue(csv.contains("c,opted-out:research,Patients who have opted out of research (now),,,redacted,now,,,1234\r\n"), csv);
        assertTrue(!csv.contains("password") && !xhtml.contains("password"), "no credentials");
        assertEquals(csv.split("\r\n").length, csv.lines().count(), "no bare line ends");
    }

    @Test
    void theHostingAnswerStatesTheOperatorsDeclarationInThePageThePdfAndTheCsv() throws Exception {
        FoiAnswers declared = answers(SITES);
        String primary = "Primary site (dc1): country United Kingdom; provider Northfield <b>council</b> data centre. The operator adds: Run by the"
                + " council & its staff.";
        String backup = "Backup site (acme-backup): country United Kingdom; provider =Acme cloud, London region (registered as =Acme Ltd,"
                + " analytics, private company). =Acme Ltd, analytics is a private company: it acts only as a processor";
        String seen = "What this service itself can see: patients' data and the ledger are kept in one PostgreSQL database, on the database"
                + " server this deployment's operator set up: db.example:5432.";
        String cannotCheck = "Custodian cannot check the operator's declaration against what it sees";

        // The page: the model foi.jte renders, the statements as paragraphs and the sites as a table.
        FoiModel.Section section = FoiModel.of(declared).sections().stream().filter(s -> s.id().equals("hosting")).findFirst().orElseThrow();
        assertEquals(primary, section.statements().get(1));
        assertTrue(section.statements().get(2).startsWith(backup), section.statements().get(2));
        assertTrue(section.statements().contains(seen), section.statements().toString());
        assertEquals(2, section.tables().get(0).rows().size());

        String xhtml = FoiDocuments.xhtml(declared);
        assertTrue(xhtml.contains("Primary site (dc1): country United Kingdom; provider Northfield &lt;b&gt;council&lt;/b&gt; data centre."), xhtml);
        assertTrue(xhtml.contains("it acts only as a processor"), xhtml);
        assertTrue(xhtml.contains(cannotCheck.replace("'", "&#39;")), xhtml);
        try (PDDocument pdf = Loader.loadPDF(FoiDocuments.pdf(declared))) {
            String text = new PDFTextStripper().getText(pdf).replaceAll("\\s+", " ");
            assertTrue(text.contains("Primary site (dc1): country United Kingdom; provider Northfield <b>council</b> data centre."), text);
            assertTrue(text.contains("=Acme Ltd, analytics is a private company: it acts only as a processor"), text);
            assertTrue(text.contains(seen), text);
            assertFalse(text.contains("has not stated where the data is hosted"), text);
        }
        String csv = FoiDocuments.csv(declared);
        String answerRow = csv.lines().filter(l -> l.startsWith("f,answer,")).findFirst().orElseThrow();
        assertTrue(answerRow.contains("Where is the data hosted? The operator of this deployment declares that the data is hosted at 2 sites"), answerRow);
        assertTrue(answerRow.contains(primary.replace("\"", "\"\"")) && answerRow.contains("it acts only as a processor") && answerRow.contains(seen)
                && answerRow.contains(cannotCheck), answerRow);
        assertTrue(!csv.contains("password") && !xhtml.contains("password"), "no credentials");
    }

    @Test
    void withoutADeclarationEveryFormSaysTheOperatorHasNotStatedWhereTheDataIsHosted() throws Exception {
        FoiAnswers none = answers(List.of());
        String missing = "The operator of this deployment has not stated where the data is hosted: the hosting register is empty.";
        FoiModel.Section section = FoiModel.of(none).sections().stream().filter(s -> s.id().equals("hosting")).findFirst().orElseThrow();
        assertTrue(section.statements().get(0).startsWith(missing), section.statements().toString());
        assertTrue(section.tables().get(0).rows().isEmpty());
        assertTrue(FoiDocuments.xhtml(none).contains(missing));
        try (PDDocument pdf = Loader.loadPDF(FoiDocuments.pdf(none))) {
            String text = new PDFTextStripper().getText(pdf).replaceAll("\\s+", " ");
            assertTrue(text.contains(missing), text);
            assertTrue(text.contains("What this service itself can see"), text);
        }
        String answerRow = FoiDocuments.csv(none).lines().filter(l -> l.startsWith("f,answer,")).findFirst().orElseThrow();
        assertTrue(answerRow.contains(missing) && answerRow.contains("the operator of this deployment can say"), answerRow);
        assertFalse(answerRow.contains("Custodian cannot check"), "nothing declared, nothing to check");
    }
}
