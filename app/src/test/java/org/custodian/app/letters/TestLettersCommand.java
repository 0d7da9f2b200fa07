package org.custodian.app.letters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.custodian.app.Cli;
import org.custodian.app.ServeProcess;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.vocabulary.Purpose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `custodian letters` on a deployment's data: one letter per patient with activity in the period, each
 * listing a clinician's read made through the FHIR API by its ledger entry, each recorded in the
 * ledger; a bad period is refused and writes nothing.
 */
class TestLettersCommand {
    private static final Organisation PRACTICE = new Organisation("A99001", "Riverside Medical Practice", Sector.NHS_CARE);
    private static final Person GP = new Person("dr-okafor", "Dr Ngozi Okafor", Role.CLINICIAN, PRACTICE.id(), null);
    private static final Organisation HOSPITAL = new Organisation("RX101", "Northfield General Hospital NHS Trust", Sector.NHS_CARE);
    private static final Person HOSPITAL_DOCTOR = new Person("dr-patel", "Dr Ravi Patel", Role.CLINICIAN, HOSPITAL.id(), null);

    @TempDir
    Path dir;

    @Test
    void writesALetterPerPatientWithActivityListingEachUseByItsLedgerEntry() throws Exception {
        Path data = dir.resolve("data");
        String receipt;
        String breakGlass;
        try (ServeProcess demo = ServeProcess.startDemo(data)) {
            String base = demo.url();
            demo.awaitOutput("Patients' pages:");
            String token = ServeProcess.tokenIssuer(data).issue(GP, PRACTICE, Purpose.TREAT, null, Duration.ofMinutes(5)).token();
            HttpResponse<String> read = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(base + "fhir/Patient/d0000000-0000-4000-8000-00000000a000")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, read.statusCode());
            receipt = read.headers().firstValue("X-Custodian-Receipt").orElseThrow();

            // Ada asks to be told of emergency accesses by letter; the hospital, whose referral has ended, then breaks glass.
            org.custodian.app.patients.PageClient ada = new org.custodian.app.patients.PageClient(base);
            ada.signIn("patient-ada");
            assertEquals(200, ada.post("/my/notifications", java.util.Map.of("csrf", ada.csrf(), "breakGlass", "yes", "channel", "letter"))
                    .statusCode());
            String hospitalToken = ServeProcess.tokenIssuer(data).issue(HOSPITAL_DOCTOR, HOSPITAL, Purpose.ETREAT, null, Duration.ofMinutes(5)).token();
            HttpResponse<String> emergency = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "api/decisions"))
                    .header("Authorization", "Bearer " + hospitalToken).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"patient\":\"9434765919\",\"resources\":[\"Observation\"],\"form\":\"identifiable\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(emergency.body().contains("\"breakGlass\":true"), emergency.body());
            breakGlass = org.custodian.app.patients.DemoSite.find(emergency.body(), "\"index\":([0-9]+)");
            Thread.sleep(2_500); // a checkpoint covering the read (published at least once a second)
        }
        LocalDate today = LocalDate.now(ZoneId.of("Europe/London"));
        String quarter = today.getYear() + "-Q" + ((today.getMonthValue() - 1) / 3 + 1);
        Path out = dir.resolve("letters");

        Cli.Result result = Cli.run("letters", "--data", data.toString(), "--period", quarter, "--out", out.toString()).exits(0);
        // Every demonstration patient has activity this quarter: Ada, Ben and the four Synthea patients.
        assertTrue(result.err().contains("6 letters") || result.out().contains("6 letters"), result.toString());
        List<Path> files;
        try (Stream<Path> s = Files.list(out)) {
            files = s.sorted().toList();
        }
        assertEquals(6, files.size(), files.toString());
        assertTrue(files.contains(out.resolve(quarter + "-9434765870.pdf")), "Ben's: " + files);
        Path adas = out.resolve(quarter + "-9434765919.pdf");
        assertTrue(files.contains(adas), "Ada's: " + files);
        String ada;
        try (PDDocument pdf = Loader.loadPDF(Files.readAllBytes(adas))) {
            assertTrue(pdf.getDocumentCatalog().getStructureTreeRoot() != null, "tagged");
            ada = new PDFTextStripper().getText(pdf);
        }
        assertTrue(ada.contains("Ada Lovelace") && ada.contains("943 476 5919"), ada);
        assertTrue(ada.contains("Dr Ngozi Okafor"), "the clinician's read is in her letter");
        assertTrue(ada.replaceAll("\\s+", " ").contains(receipt), "by its ledger entry " + receipt);
        assertTrue(ada.contains("Something you asked to be told about"), "the break-glass notice she asked for by letter: " + ada);
        assertTrue(ada.replaceAll("\\s+", " ").contains("Ledger entry " + breakGlass + "."), "the notice names its entry " + breakGlass);
        assertTrue(result.toString().contains("1 notification carried"), result.toString());

        // Written again for the same period: the notice stays in her letter, and no other patient's letter carries it.
        Cli.Result again2 = Cli.run("letters", "--data", data.toString(), "--period", quarter, "--out", out.toString()).exits(0);
        assertTrue(again2.toString().contains("1 notification carried"), again2.toString());
        try (PDDocument pdf = Loader.loadPDF(Files.readAllBytes(adas))) {
            assertTrue(new PDFTextStripper().getText(pdf).contains("Something you asked to be told about"), "still there when rewritten");
        }

        Cli.Result again = Cli.run("ledger", "verify", "--data", data.toString());
        assertEquals(0, again.exitCode(), "the ledger, with the letters' entries, still verifies: " + again);
    }

    @Test
    void aPeriodThatIsNotAQuarterOrAMonthIsRefusedAndNothingIsWritten() {
        Path out = dir.resolve("letters");
        Cli.Result r = Cli.run("letters", "--data", dir.resolve("data").toString(), "--period", "2026-Q5", "--out", out.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("a period is a quarter like 2026-Q3 or a month like 2026-09"), r.toString());
        assertTrue(Files.notExists(out) || out.toFile().list().length == 0, "nothing written");
        r.showsNoJavaInternals();
    }
}
