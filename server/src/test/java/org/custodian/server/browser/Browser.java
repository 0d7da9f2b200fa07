package org.custodian.server.browser;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumDriverLogLevel;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real headless Chromium for end-to-end tests of Custodian's pages: one browser per test class,
 * axe-core checks, full-page screenshots for review and the WCAG reflow check.
 *
 * <pre>{@code
 * class TestConsentPage {
 *     @RegisterExtension
 *     static final Browser browser = new Browser();
 *
 *     @Test
 *     void consentPageIsAccessibleAndReflows() {
 *         browser.open(baseUrl + "/patients/me/consent");
 *         browser.screenshot("consent-desktop");
 *         browser.assertAccessible();
 *         browser.viewport(Browser.NARROW);
 *         browser.screenshot("consent-320");
 *         browser.assertAccessible();
 *         browser.assertNoHorizontalScroll();
 *     }
 * }
 * }</pre>
 *
 * <p>The extension MUST be registered on a {@code static} field: it starts Chromium as the class starts
 * (while the class's {@code @BeforeAll} starts its server), shares it between the class's tests, and
 * quits it after the last, whatever happened in between (and on JVM shutdown if the run is
 * interrupted). Each test starts at {@link #DESKTOP} size. Screenshots go to
 * {@code target/screenshots/<TestClass>/}, emptied as the class starts; a failed test leaves one named
 * {@code FAILED-<test method>}. chromedriver's warnings go to {@code target/browser-logs/}.
 *
 * <p>It uses Debian's {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} and nothing else:
 * Selenium Manager is told to stay offline and is never asked to find or download anything. If either
 * is missing the test class fails, saying what to install; it is never skipped.
 */
public final class Browser implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterTestExecutionCallback {
    private static final Logger LOG = LoggerFactory.getLogger(Browser.class);
    /**
     * Selenium looks for DevTools bindings of its own for this Chromium and warns when it has none for
     * the version; the harness sends its few DevTools commands through chromedriver and needs none.
     */
    private static final java.util.logging.Logger CDP_VERSIONS =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_VERSIONS.setLevel(java.util.logging.Level.SEVERE);
    }

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String INSTALL = "apt-get install -y chromium chromium-driver";

    /** A desktop window. */
    public static final Dimension DESKTOP = new Dimension(1280, 900);
    /** 320 CSS pixels wide: WCAG 2.1 success criterion 1.4.10 (Reflow), a 1280 px screen zoomed to 400%. */
    public static final Dimension NARROW = new Dimension(320, 900);

    /**
     * Headless and quiet: no sandbox (the tests run as root in CI), no GPU, /tmp instead of a small
     * /dev/shm, and none of the background traffic a browser makes on its own (the tests reach only
     * the loopback server they start).
     */
    static final List<String> FLAGS = List.of(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-quic", "--force-device-scale-factor=1", "--lang=en-GB",
            "--window-size=" + DESKTOP.width + "," + DESKTOP.height);

    /** Chromium starting, or started, for this class. */
    private CompletableFuture<ChromeDriver> starting;
    /** Set once the first test has waited for {@link #starting}. */
    private ChromeDriver driver;
    private Path screenshots;
    private Thread shutdownHook;

    // ---- the test class's lifecycle ------------------------------------------------------------------

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        requireInstalled(CHROMIUM, CHROMEDRIVER);
        Path target = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target");
        screenshots = target.resolve("screenshots").resolve(testClass.getSimpleName());
        deleteRecursively(screenshots); // the directory shows this run's pages only
        Path logs = target.resolve("browser-logs");
        createDirectories(screenshots);
        createDirectories(logs);
        Path driverLog = logs.resolve(testClass.getSimpleName() + "-chromedriver.log");
        // Chromium starts while the class's own @BeforeAll starts its server and database; the first
        // test waits for it.
        starting = CompletableFuture.supplyAsync(() -> {
            long started = System.nanoTime();
            ChromeDriver d = start(driverLog);
            LOG.info("Chromium {} started for {} in {} ms", d.getCapabilities().getBrowserVersion(), testClass.getSimpleName(),
                    (System.nanoTime() - started) / 1_000_000);
            return d;
        }, task -> {
            Thread thread = new Thread(task, "start chromium for " + testClass.getSimpleName());
            thread.setDaemon(true);
            thread.start();
        });
        CompletableFuture<ChromeDriver> quitting = starting;
        shutdownHook = new Thread(() -> quitting.thenAccept(ChromeDriver::quit).join(), "quit chromium");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        viewport(DESKTOP);
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent() && driver != null) {
            try {
                Path shot = screenshot("FAILED-" + context.getRequiredTestMethod().getName());
                LOG.info("the page when {} failed: {}", context.getDisplayName(), shot);
            } catch (RuntimeException e) {
                LOG.warn("could not take a screenshot of the failed test {}", context.getDisplayName(), e);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        CompletableFuture<ChromeDriver> started = starting;
        starting = null;
        driver = null;
        if (started == null) {
            return;
        }
        try {
            started.join().quit(); // closes Chromium and stops chromedriver
        } catch (CompletionException failedToStart) {
            // already reported by every test; nothing runs that could be quit
        } finally {
            removeShutdownHook();
        }
    }

    /**
     * Fails, saying what to install, unless both programs are there. Browser tests MUST NOT be skipped
     * for want of a browser: a page nobody checked would then pass.
     */
    static void requireInstalled(Path chromium, Path chromedriver) {
        List<String> missing = new ArrayList<>();
        for (Path program : List.of(chromium, chromedriver)) {
            if (!Files.isExecutable(program)) {
                missing.add(program.toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The browser tests need Debian's Chromium and its WebDriver, and "
                    + String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are")
                    + " missing or not executable. Install them with `" + INSTALL + "` (bash .ci/run does this).");
        }
    }

    private static ChromeDriver start(Path driverLog) {
        // Selenium passes SE_* system properties to Selenium Manager as its environment. With both paths
        // given below it is not run at all; this keeps it offline should a later Selenium run it anyway.
        System.setProperty("SE_OFFLINE", "true");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(driverLog.toFile())
                .withLogLevel(ChromiumDriverLogLevel.WARNING) // not every command: each axe run sends 650 kB of script
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(FLAGS);
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
            return driver;
        } catch (RuntimeException e) {
            service.stop();
            throw new IllegalStateException("Chromium did not start through " + CHROMEDRIVER + " (its log: " + driverLog
                    + "): " + e.getMessage(), e);
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: nothing to remove
        }
    }

    // ---- what tests use ------------------------------------------------------------------------------

    /** The WebDriver, to find elements, click, type. */
    public ChromeDriver driver() {
        if (driver == null) {
            if (starting == null) {
                throw new IllegalStateException("no browser: register Browser with @RegisterExtension on a static field");
            }
            try {
                driver = starting.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        return driver;
    }

    /** Opens a page and waits until it has loaded. */
    public void open(String url) {
        driver().get(requireNonNull(url, "url is null"));
    }

    /** The first element matching a CSS selector. */
    public WebElement find(String css) {
        return driver().findElement(By.cssSelector(css));
    }

    /**
     * Clicks the element matching {@code click}, waits for the page it leads to, and returns that page's
     * first element matching {@code css}. A click on a link or a submit button does not wait for the next
     * page, so a {@link #find} straight after it may look at the old page, or at none.
     */
    public WebElement clickThen(String click, String css) {
        WebElement old = find("html");
        find(click).click();
        WebDriverWait wait = new WebDriverWait(driver(), Duration.ofSeconds(20));
        wait.until(d -> gone(old));
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    /**
     * Whether the old page's element has gone with its document. Chromium answers a question about an element of a
     * replaced document either with "stale element" or, during the switch, with "does not belong to the document"
     * (a plain WebDriverException, which ExpectedConditions.stalenessOf does not expect and fails on).
     */
    private static boolean gone(WebElement old) {
        try {
            old.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    /**
     * Makes the page's viewport exactly {@code width} x {@code height} CSS pixels (the window is sized so
     * that its inside is), and the page lays itself out again.
     */
    public void viewport(Dimension size) {
        requireNonNull(size, "size is null");
        ChromeDriver d = driver();
        d.manage().window().setSize(size);
        Dimension inner = innerSize();
        if (!inner.equals(size)) {
            // The window has a frame around the viewport: grow it by the difference.
            d.manage().window().setSize(new Dimension(2 * size.width - inner.width, 2 * size.height - inner.height));
            inner = innerSize();
        }
        if (!inner.equals(size)) {
            throw new IllegalStateException("Chromium would not size its viewport to " + size + "; it is " + inner);
        }
    }

    /** {@link #viewport(Dimension)} in numbers. */
    public void viewport(int width, int height) {
        viewport(new Dimension(width, height));
    }

    private Dimension innerSize() {
        List<?> size = (List<?>) driver().executeScript("return [window.innerWidth, window.innerHeight];");
        return new Dimension(((Number) size.get(0)).intValue(), ((Number) size.get(1)).intValue());
    }

    /**
     * Saves the whole page, beyond what the viewport shows, as {@code target/screenshots/<TestClass>/<name>.png}
     * (through Chrome DevTools' {@code Page.captureScreenshot}).
     *
     * @return the file written
     */
    public Path screenshot(String name) {
        requireNonNull(name, "name is null");
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("a screenshot's name is letters, digits, '.', '_' and '-': " + name);
        }
        ChromeDriver d = driver();
        // The whole window's width (a full-height capture has no vertical scrollbar to leave out), or more
        // if the content is wider; the whole document's height.
        List<?> size = (List<?>) d.executeScript("const root = document.documentElement;"
                + " return [Math.max(root.scrollWidth, window.innerWidth), Math.max(root.scrollHeight, window.innerHeight)];");
        Map<String, Object> shot = d.executeCdpCommand("Page.captureScreenshot", Map.of(
                "format", "png",
                "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", size.get(0), "height", size.get(1), "scale", 1)));
        Path file = screenshots.resolve(name + ".png");
        try {
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * The checks every page gets: a screenshot, axe-core (no serious or critical violation) at desktop width,
     * then the same at 320 px with no sideways scrolling; the window is left at desktop width.
     */
    public void checkAtBothWidths(String name) {
        viewport(DESKTOP);
        screenshot(name);
        assertAccessible();
        viewport(NARROW);
        screenshot(name + "-320");
        assertAccessible();
        assertNoHorizontalScroll();
        viewport(DESKTOP);
    }

    /**
     * Runs axe-core on the page (WCAG 2.0, 2.1 and 2.2 A and AA, and best practices) and returns what it
     * found, without judging it.
     */
    public AxeResults axe() {
        return Axe.run(driver());
    }

    /**
     * Fails listing every serious or critical axe violation on the page, with its rule, help and the
     * failing elements' selectors; logs moderate and minor ones, and what axe could not decide.
     *
     * @return the results, for further checks
     */
    public AxeResults assertAccessible() {
        AxeResults results = axe();
        for (AxeResults.Rule rule : results.lesser()) {
            LOG.warn("axe-core on {}: {}", results.url(), rule.describe());
        }
        for (AxeResults.Rule rule : results.incomplete()) {
            LOG.info("axe-core on {} needs a person to check: {}", results.url(), rule.describe());
        }
        List<AxeResults.Rule> failing = results.failing();
        if (!failing.isEmpty()) {
            StringBuilder message = new StringBuilder("axe-core ").append(results.axeVersion()).append(" found ")
                    .append(failing.size()).append(failing.size() == 1 ? " serious or critical violation" : " serious or critical violations")
                    .append(" on ").append(results.url()).append(" at ").append(innerSize().width).append(" px wide:\n");
            failing.forEach(rule -> message.append(rule.describe()));
            throw new AssertionError(message.toString());
        }
        return results;
    }

    /**
     * Fails if the page scrolls sideways at the current viewport (WCAG 1.4.10: at {@link #NARROW} content
     * MUST reflow into one column), naming the elements that reach past the edge.
     */
    public void assertNoHorizontalScroll() {
        Map<?, ?> found = (Map<?, ?>) driver().executeScript("""
                const root = document.documentElement;
                const edge = root.clientWidth;
                const beyond = e => { const r = e.getBoundingClientRect(); return r.right > edge + 0.5 || r.left < -0.5; };
                const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                    + [...e.classList].map(c => '.' + c).join('');
                const path = e => { const names = []; for (; e && e !== root; e = e.parentElement) names.unshift(name(e)); return names.join(' > '); };
                const wide = [...document.body.querySelectorAll('*')]
                    .filter(e => beyond(e) && ![...e.children].some(beyond))
                    .slice(0, 10)
                    .map(e => { const r = e.getBoundingClientRect(); return path(e) + ' (' + Math.round(r.left) + ' to ' + Math.round(r.right) + ' px)'; });
                return {scrollWidth: root.scrollWidth, clientWidth: edge, innerWidth: window.innerWidth, wide: wide};
                """);
        long scrollWidth = ((Number) found.get("scrollWidth")).longValue();
        long clientWidth = ((Number) found.get("clientWidth")).longValue();
        if (scrollWidth > clientWidth) {
            throw new AssertionError("the page scrolls horizontally at " + found.get("innerWidth") + " px wide (WCAG 1.4.10 Reflow): "
                    + "its content is " + scrollWidth + " px wide and the viewport shows " + clientWidth + " px of it. "
                    + "Elements reaching past the edge: " + String.join("; ", ((List<?>) found.get("wide")).stream().map(String::valueOf).toList()));
        }
    }

    // ---- files ---------------------------------------------------------------------------------------

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
