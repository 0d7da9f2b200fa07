package org.custodian.server.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Dimension;

/**
 * The harness itself, on pages made to pass or to fail: a check that cannot fail would protect nothing.
 */
class TestBrowser {
    @RegisterExtension
    static final Browser browser = new Browser();

    private static final String HEAD = "<meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";

    /** Pages by path. */
    private static final Map<String, String> PAGES = Map.of(
            "/good", "<!doctype html><html lang=\"en-GB\"><head>" + HEAD + "<title>A good page</title></head>"
                    + "<body><main><h1>A good page</h1><p>Plain text that wraps at any width.</p></main></body></html>",
            // No language, an image without a text alternative, grey on white, and content outside landmarks.
            "/bad", "<!doctype html><html><head>" + HEAD + "<title>A bad page</title></head>"
                    + "<body><main><h1>A bad page</h1><img src=\"/missing.png\" width=\"40\" height=\"40\">"
                    + "<p id=\"faint\" style=\"color:#bbb;background:#fff\">Hard to read</p></main>"
                    + "<p>Outside any landmark</p></body></html>",
            // Only content outside landmarks: a moderate best-practice violation.
            "/moderate", "<!doctype html><html lang=\"en-GB\"><head>" + HEAD + "<title>Moderate</title></head>"
                    + "<body><h1>Moderate</h1><p>Not in a landmark.</p></body></html>",
            "/wide", "<!doctype html><html lang=\"en-GB\"><head>" + HEAD + "<title>Wide</title></head>"
                    + "<body><main><h1>Wide</h1><div id=\"table\" style=\"width:600px\">A fixed 600 px</div></main></body></html>",
            "/tall", "<!doctype html><html lang=\"en-GB\"><head>" + HEAD + "<title>Tall</title></head>"
                    + "<body style=\"margin:0\"><main><h1>Tall</h1><div style=\"height:3000px;background:linear-gradient(#1d70b8,#fd0)\"></div>"
                    + "<p>The end</p></main></body></html>");

    static HttpServer server;
    static String base;

    @BeforeAll
    static void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String page = PAGES.get(exchange.getRequestURI().getPath());
            byte[] body = (page == null ? "not found" : page).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", page == null ? "text/plain" : "text/html; charset=utf-8");
            exchange.sendResponseHeaders(page == null ? 404 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stopServing() {
        server.stop(0);
    }

    @Test
    void anAccessiblePagePassesAtEveryWidth() {
        browser.open(base + "/good");
        assertEquals(Axe.VERSION, browser.assertAccessible().axeVersion());
        browser.viewport(Browser.NARROW);
        browser.assertAccessible();
        browser.assertNoHorizontalScroll();
    }

    @Test
    void seriousAndCriticalViolationsFailNamingEachRuleAndElement() {
        browser.open(base + "/bad");
        AxeResults results = browser.axe();
        assertTrue(results.violatedRuleIds().containsAll(java.util.Set.of("html-has-lang", "image-alt", "color-contrast", "region")),
                results.violatedRuleIds().toString());

        AssertionError failure = assertThrows(AssertionError.class, browser::assertAccessible);
        String message = failure.getMessage();
        assertTrue(message.contains("[critical] image-alt: Images must have alternative text"), message);
        assertTrue(message.contains("[serious] html-has-lang"), message);
        assertTrue(message.contains("[serious] color-contrast"), message);
        assertTrue(message.contains("at #faint"), message);
        assertTrue(message.contains("https://dequeuniversity.com/rules/axe/"), message);
        assertTrue(!message.contains("] region:"), "a moderate violation is logged, not failed: " + message);
    }

    @Test
    void moderateViolationsAreReportedButDoNotFail() {
        browser.open(base + "/moderate");
        AxeResults results = browser.assertAccessible();
        assertTrue(results.violatedRuleIds().contains("region"), results.violatedRuleIds().toString());
        assertTrue(results.lesser().equals(results.violations()), "all moderate or minor: " + results.violations());
    }

    @Test
    void theViewportIsExactlyTheSizeAsked() {
        browser.open(base + "/good");
        assertEquals(Browser.DESKTOP, innerSize());
        browser.viewport(Browser.NARROW);
        assertEquals(Browser.NARROW, innerSize());
        browser.viewport(1024, 700);
        assertEquals(new Dimension(1024, 700), innerSize());
    }

    @Test
    void aPageWiderThanTheViewportFailsTheReflowCheckNamingTheWideElement() {
        browser.open(base + "/wide");
        browser.assertNoHorizontalScroll(); // 600 px fits a desktop
        browser.viewport(Browser.NARROW);
        AssertionError failure = assertThrows(AssertionError.class, browser::assertNoHorizontalScroll);
        assertTrue(failure.getMessage().contains("scrolls horizontally at 320 px wide"), failure.getMessage());
        assertTrue(failure.getMessage().contains("main > div#table ("), failure.getMessage());
    }

    @Test
    void screenshotsHoldTheWholePageBeyondTheViewport() throws IOException {
        browser.open(base + "/tall");
        Path desktop = browser.screenshot("tall-desktop");
        assertEquals(Path.of("target", "screenshots", "TestBrowser", "tall-desktop.png").toAbsolutePath(), desktop.toAbsolutePath());
        Dimension size = pngSize(desktop);
        assertEquals(Browser.DESKTOP.width, size.width);
        assertTrue(size.height > 3000, "the page is over 3000 px tall, the screenshot " + size.height);

        browser.viewport(Browser.NARROW);
        assertEquals(Browser.NARROW.width, pngSize(browser.screenshot("tall-320")).width);
    }

    @Test
    void missingChromiumOrDriverFailsSayingWhatToInstall() {
        Path nowhere = Path.of("/nonexistent/chromedriver");
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> Browser.requireInstalled(Browser.CHROMIUM, nowhere));
        assertTrue(failure.getMessage().contains("/nonexistent/chromedriver is missing"), failure.getMessage());
        assertTrue(failure.getMessage().contains("apt-get install -y chromium chromium-driver"), failure.getMessage());
    }

    private static Dimension innerSize() {
        java.util.List<?> size = (java.util.List<?>) browser.driver().executeScript("return [window.innerWidth, window.innerHeight];");
        return new Dimension(((Number) size.get(0)).intValue(), ((Number) size.get(1)).intValue());
    }

    /** Width and height from a PNG's IHDR chunk. */
    private static Dimension pngSize(Path png) throws IOException {
        try (InputStream in = Files.newInputStream(png); DataInputStream data = new DataInputStream(in)) {
            data.skipNBytes(16);
            return new Dimension(data.readInt(), data.readInt());
        }
    }
}
