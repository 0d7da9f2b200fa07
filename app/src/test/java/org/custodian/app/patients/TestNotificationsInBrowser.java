package org.custodian.app.patients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.custodian.server.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Notifications" in a real headless Chromium against `custodian demo`: reached from the nav, set with the
 * keyboard-operable controls a patient would use, a wrong address shown in the error summary and at the field,
 * and the page as it is, with an error and once saved checked with axe-core (no serious or critical violation)
 * at desktop width and at 320 px (no sideways scrolling); screenshots under app/target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestNotificationsInBrowser {
    @RegisterExtension
    static final Browser browser = new Browser();

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

    @Test
    void aPatientSetsHerNotificationsAndAWrongAddressIsShownWhereItIs() {
        browser.driver().manage().deleteAllCookies();
        browser.open(site.base + "sign-in");
        browser.find("input[name=person][value=patient-ada]").click();
        String code = browser.clickThen("form[action='/sign-in/demo'] button", "#demo-code").getText();
        browser.find("#code").sendKeys(code);
        browser.clickThen("form[action='/sign-in/code'] button", "nav.sections");

        assertEquals("Notifications", browser.clickThen("nav.sections a[href='/my/notifications']", "h1").getText());
        browser.checkAtBothWidths("21-notifications");

        browser.find("#breakGlass").click();
        browser.find("#channel-email").click();
        browser.find("#email").sendKeys("ada at example");
        assertTrue(browser.clickThen("form[action='/my/notifications'] button[type=submit]", ".error-summary").getText().contains("Enter an e-mail address in the right form"),
                browser.find("main").getText());
        assertEquals("ada at example", browser.find("#email").getAttribute("value"), "what was typed is kept");
        browser.checkAtBothWidths("22-notifications-error");

        browser.find(".error-summary a[href='#email']").click();
        browser.find("#email").clear();
        browser.find("#email").sendKeys("ada@example.org");
        String confirmation = browser.clickThen("form[action='/my/notifications'] button[type=submit]", "#confirmation").getText();
        assertTrue(confirmation.contains("From now on, you will be told when someone looks at your record in an emergency."), confirmation);
        assertTrue(confirmation.contains("Messages will go by e-mail to ada@example.org."), confirmation);
        browser.checkAtBothWidths("23-notifications-saved");
    }
}
