package org.custodian.app.patients;

import static org.custodian.app.patients.DemoSite.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.vocabulary.Purpose;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Notifications" over HTTP against `custodian demo`: a patient asks to be told of emergency accesses by e-mail,
 * the change is recorded and listed, and the next break-glass access arrives in the demo's outbox (DATA/outbox) as
 * an e-mail. A proxy with consent scope sets them for the person they act for, who sees who did. And what must not
 * happen: a form without the session's CSRF token changes nothing; a wrong address saves nothing and says where.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestNotificationsOverHttp {
    private static final String ADA = "9434765919";
    private static final String BEN = "9434765870";
    private static final Organisation HOSPITAL = new Organisation("RX101", "Northfield General Hospital NHS Trust", Sector.NHS_CARE);
    // Ada's referral to the hospital ended in July 2026: an emergency access by its clinician now is break-glass.
    private static final Person HOSPITAL_DOCTOR = new Person("dr-patel", "Dr Ravi Patel", Role.CLINICIAN, HOSPITAL.id(), null);

    @TempDir
    static Path dir;

    private DemoSite site;

    @BeforeAll
    void start() throws Exception {
        site = DemoSite.start(dir.resolve("data"));
    }

    @AfterAll
    void stop() throws Exception {
        site.close();
    }

    private static boolean checked(String page, String id) {
        return Pattern.compile("<input[^>]*id=\"" + id + "\"[^>]*\\schecked[\\s>]").matcher(page).find();
    }

    @Test
    void aPatientAsksToBeToldOfEmergencyAccessByEmailAndTheNextOneIsInTheOutbox() throws Exception {
        PageClient ada = site.client();
        ada.signIn("patient-ada");
        HttpResponse<String> page = ada.get("/my/notifications");
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("<legend>What do you want to be told about?</legend>"), page.body());
        assertTrue(page.body().contains("<label for=\"email\">"), "every field has a label");
        assertTrue(page.body().contains("href=\"/my/notifications\" aria-current=\"page\""), "in the nav, marked as the current page");

        HttpResponse<String> saved = ada.post("/my/notifications",
                Map.of("csrf", ada.csrf(), "breakGlass", "yes", "channel", "email", "email", "ada@example.org"));
        assertEquals(200, saved.statusCode(), saved.body());
        assertTrue(saved.body().contains("Your choice has been recorded"), saved.body());
        assertTrue(saved.body().contains("From now on, you will be told when someone looks at your record in an emergency."), saved.body());
        assertTrue(saved.body().contains("Messages will go by e-mail to ada@example.org."), saved.body());
        String receipt = find(saved.body(), "Ledger entry ([0-9]+):");
        assertTrue(checked(saved.body(), "breakGlass") && checked(saved.body(), "channel-email"), "the page shows what is now set");

        String list = ada.get("/my/activity").body();
        assertTrue(list.contains("What you are told about, and how, was changed"), "the change is in her own list");
        assertTrue(list.contains("Ledger entry " + receipt + "."), list);

        HttpResponse<String> emergency = site.api("POST", "/api/decisions", site.token(HOSPITAL_DOCTOR, HOSPITAL, Purpose.ETREAT, null),
                "{\"patient\":\"" + ADA + "\",\"resources\":[\"Observation\"],\"form\":\"identifiable\"}");
        assertTrue(emergency.body().contains("\"breakGlass\":true"), emergency.body());
        String index = find(emergency.body(), "\"index\":([0-9]+)");

        Path outbox = site.data.resolve("outbox");
        String eml = awaitEmail(outbox, "ledger entry " + index + ".");
        assertTrue(eml.contains("\r\nTo: ada@example.org\r\n"), eml);
        assertTrue(eml.contains("\r\nSubject: Someone looked at your health record in an emergency\r\n"), eml);
        assertTrue(eml.contains("Dear Ada Lovelace,"), eml);
        assertTrue(eml.contains("Who: Dr Ravi Patel, clinician"), eml);
        assertTrue(eml.contains("Organisation: Northfield General Hospital NHS Trust"), eml);
    }

    /** Waits (up to 30 s: a checkpoint, the notifier's tick, the sender's tick) for an e-mail in the outbox containing {@code text}. */
    private static String awaitEmail(Path outbox, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(outbox)) {
                try (Stream<Path> files = Files.list(outbox)) {
                    for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".eml")).toList()) {
                        String eml = Files.readString(f, StandardCharsets.UTF_8);
                        if (eml.replace("\r\n", " ").contains(text)) {
                            return eml;
                        }
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no e-mail containing '" + text + "' in " + outbox);
    }

    @Test
    void aFormWithoutTheSessionsTokenChangesNothing() throws Exception {
        PageClient ben = site.client();
        ben.signIn("patient-ben");
        ben.actFor(BEN);
        String before = ben.get("/my/notifications").body();
        assertFalse(checked(before, "newOrganisation"));
        HttpResponse<String> forged = ben.post("/my/notifications", Map.of("csrf", "forged", "newOrganisation", "yes", "channel", "letter"));
        assertEquals(403, forged.statusCode());
        assertTrue(forged.body().contains("This form has expired"), forged.body());
        HttpResponse<String> none = ben.post("/my/notifications", Map.of("newOrganisation", "yes", "channel", "letter"));
        assertEquals(403, none.statusCode(), "nor one without a token at all");
        String after = ben.get("/my/notifications").body();
        assertFalse(checked(after, "newOrganisation"), "nothing changed");
        assertFalse(after.contains("Last changed on"), "and nothing was recorded");

        HttpResponse<String> stranger = site.client().get("/my/notifications");
        assertEquals(303, stranger.statusCode(), "without a session: sign in first");
        assertEquals("/sign-in", stranger.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void aWrongAddressIsShownAtItsFieldWithWhatWasTypedAndSavesNothing() throws Exception {
        PageClient ben = site.client();
        ben.signIn("patient-ben");
        ben.actFor(BEN);
        HttpResponse<String> wrong = ben.post("/my/notifications",
                Map.of("csrf", ben.csrf(), "breakGlass", "yes", "channel", "email", "email", "ben at example"));
        assertEquals(400, wrong.statusCode());
        String body = wrong.body();
        assertTrue(body.contains("<title>Error: Notifications - Custodian</title>"), body);
        assertTrue(body.contains("<a href=\"#email\">Enter an e-mail address in the right form, like name@example.com.</a>"),
                "the summary links to the field: " + body);
        assertTrue(body.contains("id=\"email-error\""), body);
        assertTrue(Pattern.compile("<input type=\"email\" id=\"email\"[^>]*value=\"ben at example\"[^>]*aria-invalid=\"true\"[^>]*"
                + "aria-describedby=\"email-hint email-error\"").matcher(body).find(), "the field keeps what was typed and points at its error: " + body);
        assertTrue(checked(body, "breakGlass") && checked(body, "channel-email"), "and the rest of the form as it was sent");

        HttpResponse<String> noChannel = ben.post("/my/notifications", Map.of("csrf", ben.csrf(), "breakGlass", "yes"));
        assertEquals(400, noChannel.statusCode());
        assertTrue(noChannel.body().contains("<a href=\"#channel-email\">Choose how you want to be told: by e-mail or by letter.</a>"),
                noChannel.body());
        assertFalse(ben.get("/my/notifications").body().contains("Last changed on"), "nothing was saved");
    }

    @Test
    void aProxyWithConsentScopeSetsThemAndThePatientSeesWhoDid() throws Exception {
        PageClient ben = site.client();
        ben.signIn("patient-ben");
        ben.actFor(ADA);
        String page = ben.get("/my/notifications").body();
        assertTrue(page.contains("Notifications for Ada Lovelace"), page);
        HttpResponse<String> saved = ben.post("/my/notifications",
                Map.of("csrf", ben.csrf(), "newOrganisation", "yes", "channel", "letter"));
        assertEquals(200, saved.statusCode(), saved.body());
        assertTrue(saved.body().contains("Messages will go by letter, with the next batch of letters.")
                || saved.body().contains("From now on, you will be told when an organisation uses your data for the first time."), saved.body());

        PageClient ada = site.client();
        ada.signIn("patient-ada");
        String hers = ada.get("/my/notifications").body();
        assertTrue(hers.contains("by Ben Lovelace, acting for you."), hers);
        assertTrue(ada.get("/my/activity").body().contains("Ben Lovelace, acting for you"), "and in her list");
        for (String id : List.of("breakGlass", "newOrganisation", "channel-email", "channel-letter", "email")) {
            assertTrue(hers.contains("id=\"" + id + "\""), id);
        }
    }
}
