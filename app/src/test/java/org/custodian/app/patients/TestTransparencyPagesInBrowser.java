package org.custodian.app.patients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.server.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public pages of `custodian demo` as a member of the public meets them, in a real headless Chromium: from the
 * home page to the registers (the demo's agreements, with a private company shown as a processor and its payment; its
 * project, with every detail the public register shows),
 * the statistics (charts that read without JavaScript) and the ledger's page; each checked with axe-core at desktop
 * width and at 320 px, screenshots under app/target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestTransparencyPagesInBrowser {
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
    void fromTheHomePageToTheAgreementsRegister() {
        browser.open(site.base);
        browser.clickThen("a[href='/registers']", "h1");
        browser.checkAtBothWidths("31-registers");
        assertEquals("Data-sharing agreements and partnerships", browser.clickThen("a[href='/registers/agreements']", "h1").getText());
        String table = browser.find("table.register").getText();
        assertTrue(table.contains("Northfield ICB: planning urgent and emergency care") && table.contains("Acme Health Analytics Ltd (private company)"),
                table);
        assertTrue(table.contains("GBP 240,000 a year"), "the payment to the processor is shown");
        browser.checkAtBothWidths("32-agreements");
    }

    @Test
    void theDemosProjectStatesEveryPublicDetailAndNamesNoOneFromThePeopleRegister() throws Exception {
        Map<String, String> bodies = new LinkedHashMap<>();
        for (String path : List.of("/registers/projects", "/registers/projects.json", "/registers/projects.csv")) {
            bodies.put(path, site.client().get(path).body());
        }
        // The lead is named as the project publishes them; nobody from the private register of people is.
        site.assertNamesNoOne(bodies);
        Map<?, ?> row = (Map<?, ?>) ((List<?>) ((Map<?, ?>) CanonicalJson.parse(bodies.get("/registers/projects.json"))).get("rows")).get(0);
        for (String field : List.of("lead", "leadRole", "publicBenefit", "approvedFrom", "approvedUntil", "ethicsReference")) {
            assertNotNull(row.get(field), field + " of " + row);
        }
        assertFalse(((List<?>) row.get("outputs")).isEmpty(), "outputs of " + row);

        browser.open(site.base + "registers/projects");
        String table = browser.find("table.register").getText();
        assertTrue(table.contains("Professor Rhiannon Price") && table.contains("Study protocol, version 2.1"), table);
        browser.checkAtBothWidths("35-projects");
    }

    @Test
    void theStatisticsPageAndTheLedgersPage() throws Exception {
        // The figures follow the ledger a checkpoint behind: wait until the demo's history is counted.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!site.client().get("/transparency/statistics.json").body().contains("\"key\":\"accesses\",\"label\"")
                || site.client().get("/transparency/statistics.json").body().contains("\"count\":0,\"key\":\"accesses\"")) {
            assertTrue(System.nanoTime() < deadline, "the demo's history is counted within 30 s");
            Thread.sleep(250);
        }
        browser.open(site.base + "transparency/statistics");
        assertTrue(browser.find("h1").getText().toLowerCase().contains("statistics"), browser.find("h1").getText());
        assertTrue(!browser.driver().findElements(org.openqa.selenium.By.cssSelector("svg[role=img] title")).isEmpty(), "charts with titles");
        browser.checkAtBothWidths("33-statistics");
        browser.open(site.base + "transparency/log");
        browser.checkAtBothWidths("34-log");
    }
}
