package org.custodian.app.patients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.custodian.app.ServeProcess;
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

    private ServeProcess demo;
    private String base;

    @BeforeAll
    void start() throws Exception {
        demo = ServeProcess.startDemo(dir.resolve("data"));
        base = demo.url();
        demo.awaitOutput("Demo records:");
    }

    @AfterAll
    void stop() throws Exception {
        demo.close();
    }

    private void checkPage(String name) {
        browser.viewport(Browser.DESKTOP);
        browser.screenshot(name);
        browser.assertAccessible();
        browser.viewport(Browser.NARROW);
        browser.screenshot(name + "-320");
        browser.assertAccessible();
        browser.assertNoHorizontalScroll();
        browser.viewport(Browser.DESKTOP);
    }

    @Test
    void aPatientSetsHerNotificationsAndAWrongAddressIsShownWhereItIs() {
        browser.driver().manage().deleteAllCookies();
        browser.open(base + "sign-in");
        browser.find("input[name=person][value=patient-ada]").click();
        browser.find("form[action='/sign-in/demo'] button").click();
        browser.find("#code").sendKeys(browser.find("#demo-code").getText());
        browser.find("form[action='/sign-in/code'] button").click();

        browser.find("nav.sections a[href='/my/notifications']").click();
        assertEquals("Notifications", browser.find("h1").getText());
        checkPage("21-notifications");

        browser.find("#breakGlass").click();
        browser.find("#channel-email").click();
        browser.find("#email").sendKeys("ada at example");
        browser.find("form[action='/my/notifications'] button[type=submit]").click();
        assertTrue(browser.find(".error-summary").getText().contains("Enter an e-mail address in the right form"),
                browser.find("main").getText());
        assertEquals("ada at example", browser.find("#email").getAttribute("value"), "what was typed is kept");
        checkPage("22-notifications-error");

        browser.find(".error-summary a[href='#email']").click();
        browser.find("#email").clear();
        browser.find("#email").sendKeys("ada@example.org");
        browser.find("form[action='/my/notifications'] button[type=submit]").click();
        String confirmation = browser.find("#confirmation").getText();
        assertTrue(confirmation.contains("From now on, you will be told when someone looks at your record in an emergency."), confirmation);
        assertTrue(confirmation.contains("Messages will go by e-mail to ada@example.org."), confirmation);
        checkPage("23-notifications-saved");
    }
}
