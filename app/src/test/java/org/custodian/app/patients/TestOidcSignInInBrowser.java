package org.custodian.app.patients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.custodian.app.ServeProcess;
import org.custodian.app.database.Database;
import org.custodian.app.database.DatabaseOptions;
import org.custodian.core.registers.RegisterDocument;
import org.custodian.core.registers.RegisterStore;
import org.custodian.server.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing in through the OpenID Connect providers in a real headless Chromium, which keeps and sends
 * cookies by their real rules (HttpOnly, SameSite=Lax, path) through the provider's redirects; the
 * sign-in page with the patients' and the staff's buttons, the signed-in start pages and the pages of a
 * refused sign-in are checked with axe-core at desktop width and at 320 px (screenshots under
 * app/target/screenshots/).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestOidcSignInInBrowser {
    @RegisterExtension
    static final Browser browser = new Browser();

    @TempDir
    static Path dir;

    private FakeOidcProvider provider;
    private FakeOidcProvider staff;
    private Database database;
    private ServeProcess server;
    private String base;

    @BeforeAll
    void start() throws Exception {
        provider = new FakeOidcProvider();
        staff = new FakeOidcProvider("staff");
        Path data = dir.resolve("data");
        database = Database.open(DatabaseOptions.embedded(data).withShutdownHook(false));
        try (RegisterStore store = RegisterStore.open(database.dataSource())) {
            store.apply(RegisterDocument.parse(TestOidcSignInOverHttp.REGISTERS.getBytes(StandardCharsets.UTF_8)));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        base = "http://127.0.0.1:" + port + "/";
        provider.register(new FakeOidcProvider.Client("custodian-public", null, base + "sign-in/oidc/callback"));
        provider.addUser("ada", Map.of("sub", "a9e3", "nhs_number", "9434765919"));
        provider.addUser("stranger", Map.of("sub", "d5f0", "nhs_number", "9434765927"));
        staff.register(new FakeOidcProvider.Client("custodian-staff", null, base + "sign-in/staff/callback"));
        staff.addUser("okafor", Map.of("sub", "5b1e0c", "uid", "dr-okafor"));
        staff.addUser("ada-at-work", Map.of("sub", "c4d5e6", "uid", "patient-ada"));
        server = ServeProcess.start(data, port, List.of("--public-url", base, "--patient-oidc-issuer", provider.issuer(),
                "--patient-oidc-client-id", "custodian-public", "--patient-oidc-name", "Test NHS login",
                "--staff-oidc-issuer", staff.issuer(), "--staff-oidc-client-id", "custodian-staff", "--staff-oidc-person-claim", "uid",
                "--staff-oidc-name", "Test CIS2"));
        assertEquals(base, server.url());
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
        provider.close();
        staff.close();
    }

    @BeforeEach
    void signedOut() {
        browser.driver().manage().deleteAllCookies();
    }

    /** From the sign-in page to the provider, and in as {@code login}. */
    private void signInAs(String login) {
        signInAs("/sign-in/oidc", login);
    }

    /** From the sign-in page's button to {@code path} to its provider, and in as {@code login}. */
    private void signInAs(String path, String login) {
        browser.open(base + "sign-in");
        assertEquals("Sign in to the test provider", browser.clickThen("a[href='" + path + "']", "h1").getText());
        browser.find("#login").sendKeys(login);
        browser.clickThen("button[type=submit]", "h1");
    }

    @Test
    void aPatientSignsInThroughTheProviderAndLandsOnTheirOwnRecord() {
        browser.open(base + "sign-in");
        assertEquals("Sign in with Test NHS login", browser.find("a.button").getText());
        browser.checkAtBothWidths("01-sign-in-with-provider");
        signInAs("ada");
        assertTrue(browser.driver().getCurrentUrl().equals(base + "my"), browser.driver().getCurrentUrl());
        String banner = browser.find(".banner").getText();
        assertTrue(banner.contains("Signed in as Ada Lovelace") && banner.contains("your own record"), banner);
        browser.checkAtBothWidths("02-signed-in");
    }

    @Test
    void someoneNotInTheRegistersIsToldSoPlainly() {
        signInAs("stranger");
        assertEquals("We could not find your record", browser.find("h1").getText());
        browser.checkAtBothWidths("03-no-record");
        browser.open(base + "my");
        assertTrue(browser.driver().getCurrentUrl().endsWith("/sign-in"), "not signed in");
    }

    @Test
    void cancellingAtTheProviderIsToldPlainly() {
        signInAs(FakeOidcProvider.CANCEL);
        assertEquals("You are not signed in", browser.find("h1").getText());
        browser.checkAtBothWidths("04-cancelled");
    }

    @Test
    void aMemberOfStaffSignsInThroughTheStaffProviderAndLandsOnTheAssistedChannel() {
        browser.open(base + "sign-in");
        assertEquals("Staff: sign in with Test CIS2", browser.find("a[href='/sign-in/staff']").getText());
        browser.checkAtBothWidths("05-sign-in-with-both-providers");
        signInAs("/sign-in/staff", "okafor");
        assertTrue(browser.driver().getCurrentUrl().equals(base + "staff"), browser.driver().getCurrentUrl());
        assertTrue(browser.find(".banner").getText().contains("Dr Ngozi Okafor"), browser.find(".banner").getText());
        browser.checkAtBothWidths("06-staff-signed-in");
    }

    @Test
    void aPatientAtTheStaffProviderIsToldPlainlyTheyAreNotStaff() {
        signInAs("/sign-in/staff", "ada-at-work");
        assertEquals("You are not registered as staff here", browser.find("h1").getText());
        browser.checkAtBothWidths("07-not-registered-as-staff");
        browser.open(base + "staff");
        assertTrue(browser.driver().getCurrentUrl().endsWith("/sign-in"), "not signed in");
    }
}
