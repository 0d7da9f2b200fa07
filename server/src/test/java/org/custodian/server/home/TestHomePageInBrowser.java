package org.custodian.server.home;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.LogConfig;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.note.CosignatureSigner;
import org.custodian.ledger.note.NoteSigner;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.testing.Eventually;
import org.custodian.ledger.witness.FileWitnessState;
import org.custodian.ledger.witness.Witness;
import org.custodian.ledger.witness.WitnessCollector;
import org.custodian.ledger.witness.WitnessEndpoint;
import org.custodian.server.CustodianServer;
import org.custodian.server.browser.Browser;
import org.custodian.server.log.LogRoutes;
import org.custodian.server.pages.Stylesheet;
import org.custodian.server.witness.WitnessRoutes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/**
 * The front page in a real headless Chromium, served by the real server from a real log on PostgreSQL
 * whose checkpoint an independent witness has cosigned: what a person sees, at desktop width and at 320
 * CSS pixels, with no serious or critical axe-core violation and nothing to scroll sideways.
 */
class TestHomePageInBrowser {
    private static final String ORIGIN = "home.test/log";
    private static final int ENTRIES = 12;

    @RegisterExtension
    static final Browser browser = new Browser();

    @TempDir
    static Path dir;

    static PostgresForTests postgres;
    static FileWitnessState witnessState;
    static CustodianServer witnessServer;
    static TransparencyLog log;
    static WitnessCollector collector;
    static CustodianServer server;
    static PublishedCheckpoint checkpoint;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresForTests.start(dir.resolve("pg"));
        NoteSigner logKey = NoteSigner.generate(ORIGIN);
        CosignatureSigner witnessKey = CosignatureSigner.generate("home.test/witness");
        witnessState = FileWitnessState.open(dir.resolve("witness"));
        witnessServer = CustodianServer.start("127.0.0.1", 0, List.of(
                new WitnessRoutes(new Witness(witnessKey, List.of(logKey.verifier()), witnessState, Clock.systemUTC()))::register));
        log = TransparencyLog.open(new PostgresLogStore(postgres.newDatabase()), logKey,
                new LogConfig(ORIGIN, Duration.ofMillis(50), 256, 4096, true));
        collector = new WitnessCollector(log, List.of(WitnessEndpoint.parse(
                "http://127.0.0.1:" + witnessServer.port() + "=" + witnessKey.verifierKeyText())));
        log.onCheckpoint(collector::submit);
        for (int i = 0; i < ENTRIES; i++) {
            log.append(LedgerEntry.create("test.entry", 1, Instant.now(), Map.of("n", (long) i)));
        }
        Eventually.await("a cosigned checkpoint of every entry", Duration.ofSeconds(20),
                () -> log.latestCheckpoint().map(c -> c.size() == ENTRIES && !c.cosignatures().isEmpty()).orElse(false));
        checkpoint = log.latestCheckpoint().orElseThrow();
        server = CustodianServer.start("127.0.0.1", 0, List.of(new HomePage(log)::register, Stylesheet::register, new LogRoutes(log)::register));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (collector != null) {
            collector.close();
        }
        if (log != null) {
            log.close();
        }
        if (witnessServer != null) {
            witnessServer.close();
        }
        if (witnessState != null) {
            witnessState.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    static String frontPage() {
        return "http://127.0.0.1:" + server.port() + "/";
    }

    @Test
    void onADesktopTheFrontPageShowsTheLatestCosignedCheckpointAndPassesAxe() {
        browser.open(frontPage());
        browser.screenshot("front-page-1280");
        browser.assertAccessible();

        assertEquals("The public ledger of health-data use - Custodian", browser.driver().getTitle());
        WebElement h1 = browser.find("main h1");
        assertTrue(h1.isDisplayed());
        assertEquals("Custodian", h1.getText());
        assertTrue(browser.find("main").getText().contains("The ledger holds " + ENTRIES + " entries."),
                browser.find("main").getText());
        assertTrue(browser.find("main").getText().contains("carries 1 witness cosignature:"), browser.find("main").getText());
        WebElement note = browser.find("main pre");
        assertTrue(note.isDisplayed());
        assertEquals(checkpoint.cosignedNote().strip(), note.getText().strip(),
                "the page shows the cosigned checkpoint as the log publishes it");
        assertTrue(note.getText().startsWith(ORIGIN + "\n" + ENTRIES + "\n"), note.getText());
    }

    @Test
    void atThreeHundredAndTwentyPixelsTheFrontPageReflowsWithoutHorizontalScrolling() {
        browser.viewport(Browser.NARROW);
        browser.open(frontPage());
        browser.screenshot("front-page-320");
        browser.assertAccessible();
        browser.assertNoHorizontalScroll();

        assertTrue(browser.find("main h1").isDisplayed());
        assertEquals("Custodian", browser.find("main h1").getText());
        WebElement note = browser.find("main pre");
        assertTrue(note.getSize().width <= Browser.NARROW.width, "the checkpoint wraps: " + note.getSize());
        assertEquals(checkpoint.cosignedNote().replaceAll("\\s+", ""), note.getText().replaceAll("\\s+", ""),
                "the whole checkpoint is there, wrapped");
    }
}
