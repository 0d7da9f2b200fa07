package org.custodian.server.registers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.custodian.server.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The public registers in a real headless Chromium: axe-core finds no serious or critical violation at
 * desktop width or at 320 px, the page never scrolls sideways (the tables scroll inside a focusable,
 * labelled region), and the filters work without JavaScript.
 */
class TestRegisterPagesInBrowser {
    @RegisterExtension
    static final Browser browser = new Browser();

    @TempDir
    static Path dir;

    static RegisterSite site;

    @BeforeAll
    static void start() throws Exception {
        site = RegisterSite.start(dir);
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    @Test
    void theIndexIsAccessibleAtBothWidthsAndLeadsToEachRegister() {
        browser.open(site.url("/"));
        WebElement h1 = browser.clickThen("a[href='/registers']", "main h1");
        assertEquals("Public registers", h1.getText());
        browser.checkAtBothWidths("registers");
        assertEquals("Organisations", browser.clickThen("a[href='/registers/organisations']", "main h1").getText());
    }

    @Test
    void theOrganisationsRegisterIsAccessibleAtBothWidthsAndFiltersBySectorWithoutJavaScript() {
        browser.open(site.url("/registers/organisations"));
        browser.checkAtBothWidths("organisations");
        assertTableRegion();
        assertEquals(RegisterSite.ORGANISATIONS.size(), rows().size());

        new Select(browser.find("#filter-sector")).selectByValue("private-company");
        browser.clickThen("form.filters button[type=submit]", "table.register caption");
        assertTrue(browser.driver().getCurrentUrl().endsWith("/registers/organisations?sector=private-company"), browser.driver().getCurrentUrl());
        assertEquals(4, rows().size());
        browser.checkAtBothWidths("organisations-private-companies");
    }

    @Test
    void theAgreementsRegisterIsAccessibleAtBothWidthsAndLinksToThePartner() {
        browser.open(site.url("/registers/agreements"));
        browser.checkAtBothWidths("agreements");
        assertTableRegion();
        assertEquals(RegisterSite.AGREEMENTS.size(), rows().size());
        browser.clickThen("a[href='/registers/organisations#organisation-QHM']", "table.register caption");
        assertTrue(browser.find("#organisation-QHM").getText().contains("North East and North Cumbria ICB"));
    }

    @Test
    void theProjectsRegisterIsAccessibleAtBothWidthsFiltersByStatusAndLinksToOrganisations() {
        browser.open(site.url("/registers/projects"));
        browser.checkAtBothWidths("projects");
        assertTableRegion();
        assertEquals(RegisterSite.PROJECTS.size(), rows().size());

        new Select(browser.find("#filter-status")).selectByValue("approved");
        browser.clickThen("form.filters button[type=submit]", "table.register caption");
        assertEquals(List.of("diabetes-outcomes", "frailty-planning"),
                rows().stream().map(r -> r.findElement(By.cssSelector("th[scope=row]")).getText()).toList());
        browser.checkAtBothWidths("projects-approved");

        browser.clickThen("a[href='/registers/organisations#organisation-univ-northfield']", "table.register caption");
        assertTrue(browser.find("#organisation-univ-northfield").getText().contains("University of Northfield"));
    }

    @Test
    void theHostingRegisterIsAccessibleAtBothWidthsAndLinksAProviderToItsOrganisation() {
        browser.open(site.url("/registers/hosting"));
        assertEquals("Where the data is hosted", browser.find("main h1").getText());
        browser.checkAtBothWidths("hosting");
        assertTableRegion();
        assertEquals(RegisterSite.HOSTING.size(), rows().size());
        browser.clickThen("a[href='/registers/organisations#organisation-acme-analytics']", "table.register caption");
        assertTrue(browser.find("#organisation-acme-analytics").getText().contains("Private company"), browser.find("#organisation-acme-analytics").getText());
    }

    @Test
    void aBadFilterShowsAPageThatSaysWhatIsWrong() {
        browser.open(site.url("/registers/projects?status=finished"));
        assertEquals("There is a problem with the filter", browser.find("main h1").getText());
        assertTrue(browser.find("main").getText().contains("\"finished\" is not a status"), browser.find("main").getText());
        browser.checkAtBothWidths("bad-filter");
    }

    private static List<WebElement> rows() {
        return browser.driver().findElements(By.cssSelector("table.register tbody tr"));
    }

    /** The table is in a region that a keyboard user can focus and scroll, named by the table's caption. */
    private static void assertTableRegion() {
        WebElement region = browser.find(".table-scroll");
        assertEquals("region", region.getAttribute("role"));
        assertEquals("0", region.getAttribute("tabindex"));
        String caption = region.getAttribute("aria-labelledby");
        assertEquals("CAPTION", browser.find("#" + caption).getTagName().toUpperCase(java.util.Locale.ROOT));
        assertTrue(browser.driver().findElements(By.cssSelector("table.register thead th[scope=col]")).size() > 2);
    }
}
