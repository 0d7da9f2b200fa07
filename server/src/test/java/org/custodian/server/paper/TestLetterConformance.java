package org.custodian.server.paper;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

/**
 * veraPDF (the open validator of the PDF Association and the Open Preservation Foundation) checks each
 * kind of letter against its PDF/UA-1 profile, the machine-checkable conditions of the Matterhorn
 * Protocol, and its PDF/A-2a profile. The rest of Matterhorn needs a person: that the reading order
 * makes sense, that the words are plain.
 */
class TestLetterConformance {
    @BeforeAll
    static void initialise() {
        VeraGreenfieldFoundryProvider.initialise();
    }

    static Stream<Arguments> letters() {
        return Stream.of(
                Arguments.of("to the patient", SampleLetters.toPatient(SampleLetters.someUses())),
                Arguments.of("to a proxy", SampleLetters.toProxy(SampleLetters.someUses())),
                Arguments.of("carrying a notice the patient asked for", SampleLetters.toPatientWithNotice(SampleLetters.someUses())),
                Arguments.of("for an empty period", SampleLetters.toPatient(List.of())),
                Arguments.of("with 60 uses over several pages", SampleLetters.toPatient(SampleLetters.manyUses(60))));
    }

    @ParameterizedTest(name = "a letter {0}")
    @MethodSource("letters")
    void conformsToPdfUa1AndPdfA2a(String which, Letter letter) throws Exception {
        byte[] pdf = LetterPdf.render(letter);
        check(pdf, PDFAFlavour.PDFA_2_A);
        check(pdf, PDFAFlavour.PDFUA_1);
    }

    @Test
    void theValidatorFailsAnUntaggedPdf() throws Exception {
        ByteArrayOutputStream untagged = new ByteArrayOutputStream();
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage());
            doc.save(untagged);
        }
        assertFalse(validate(untagged.toByteArray(), PDFAFlavour.PDFUA_1).isCompliant(),
                "a validator that passes everything would make the test above worthless");
    }

    private static void check(byte[] pdf, PDFAFlavour flavour) throws Exception {
        ValidationResult result = validate(pdf, flavour);
        String failures = result.getTestAssertions().stream()
                .filter(a -> a.getStatus() == TestAssertion.Status.FAILED)
                .map(a -> a.getRuleId().getClause() + "-" + a.getRuleId().getTestNumber() + " " + a.getMessage()
                        + " at " + a.getLocation().getContext())
                .distinct()
                .collect(Collectors.joining("\n  "));
        assertTrue(result.isCompliant(), flavour + " failures:\n  " + failures);
    }

    private static ValidationResult validate(byte[] pdf, PDFAFlavour flavour) throws Exception {
        try (PDFAParser parser = Foundries.defaultInstance().createParser(new ByteArrayInputStream(pdf), flavour);
                PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false)) {
            return validator.validate(parser);
        }
    }
}
