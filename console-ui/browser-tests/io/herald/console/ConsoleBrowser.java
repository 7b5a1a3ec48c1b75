package io.herald.console;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's headless Chromium driven through its ChromeDriver, both at fixed paths so nothing is looked up or
 * downloaded. Where Chromium is missing the browser tests are skipped, unless HERALD_BROWSER_REQUIRED is set (as
 * .ci/run does, after installing it): then they fail.
 */
final class ConsoleBrowser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("HERALD_CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("HERALD_CHROMEDRIVER", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    final WebDriver driver;
    private final String base;
    private final Path profile;
    /** Numbered across browsers and tests, so every page's screenshot keeps its own file. */
    private static final java.util.concurrent.atomic.AtomicInteger SHOTS = new java.util.concurrent.atomic.AtomicInteger();

    ConsoleBrowser(String base) throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && System.getenv("HERALD_BROWSER_REQUIRED") == null) {
            Assumptions.abort("Chromium is not installed (" + CHROMIUM + "); .ci/run installs it");
        }
        assertTrue(present, "HERALD_BROWSER_REQUIRED is set but Chromium or ChromeDriver is missing at " + CHROMIUM + " / " + CHROMEDRIVER);
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.profile = Files.createTempDirectory("herald-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Offline-safe flags: no background fetches, no component updates, a fresh profile.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ZERO);
        Files.createDirectories(SCREENSHOTS);
    }

    void open(String path) {
        driver.get(base + path);
    }

    WebElement find(By by) {
        return driver.findElement(by);
    }

    List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    String text(By by) {
        return driver.findElement(by).getText();
    }

    void type(By by, String value) {
        WebElement field = driver.findElement(by);
        field.clear();
        field.sendKeys(value);
    }

    /** Sets a field's value in one go (long JSON typed key by key would take seconds). */
    void fill(By by, String value) {
        WebElement field = driver.findElement(by);
        ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1];", field, value);
    }

    void click(By by) {
        driver.findElement(by).click();
    }

    /** Clicks something that loads a new page, and waits until the new page has replaced the old one. */
    void submit(By by) {
        WebElement page = driver.findElement(By.tagName("html"));
        driver.findElement(by).click();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> replaced(page));
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> "complete".equals(script("return document.readyState;")));
    }

    /**
     * Whether an element's page has been replaced. ChromeDriver 156 sometimes answers a question about an element of a
     * page being torn down with "Node with given id does not belong to the document" instead of a stale element
     * reference (it failed ExpectedConditions.stalenessOf in CI); both mean the old page is gone.
     */
    private static boolean replaced(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        } catch (WebDriverException e) {
            if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    String path() {
        return driver.getCurrentUrl().substring(base.length());
    }

    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(String.format("%02d-%s.png", SHOTS.incrementAndGet(), name)), StandardCopyOption.REPLACE_EXISTING);
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Every visible form control has an accessible name: a label, an aria-label, or a wrapping label. */
    void assertControlsLabelled() {
        Object unlabelled = script("""
                return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
                  .filter(e => e.offsetParent !== null)
                  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
                  .map(e => e.name || e.id);""");
        assertEquals(List.of(), unlabelled, "form controls without a label on " + path());
    }

    /** Nothing overflows sideways: the page is usable at this width without scrolling horizontally. */
    void assertNoHorizontalScroll() {
        Object overflow = script("return document.documentElement.scrollWidth - window.innerWidth;");
        assertTrue(((Number) overflow).longValue() <= 0, "page " + path() + " scrolls sideways by " + overflow + " px");
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
