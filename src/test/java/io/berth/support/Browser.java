package io.berth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One headless Chromium (Debian's {@code chromium}, driven through Debian's {@code chromedriver}) with a profile of its
 * own, for tests of the web UI as a user's browser sees it. Open browsers through {@link Browsers}, which closes them
 * after each test whether it passed or not.
 *
 * <p>Nothing here waits implicitly: every lookup waits explicitly for its condition, up to {@link #WAIT}. Every action
 * that leads to another page ({@link #go}, {@link #follow}, {@link #submit}) returns once that page has replaced the
 * one before and finished loading: the page before is marked, and the wait is for a document without the mark, not
 * for time and not for an element of the old page to go stale (which a lookup may catch half way). Reads retry when
 * an element goes stale under them.
 */
public final class Browser implements AutoCloseable {

    /** Where {@link #screenshot} writes, relative to the module (Maven runs tests there). */
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /** How long a page, an element or a dialog may take (only a failing test waits this long). */
    static final Duration WAIT = Duration.ofSeconds(30);
    /** For chromedriver to answer: 20 s by default, which a loaded CI machine has been seen to need. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(Browser.class);
    private static final By SUBMIT = By.cssSelector("button[type=submit], button:not([type]), input[type=submit]");
    /** Tall pages are shot whole, up to this height: a runaway page should not make a gigabyte PNG. */
    private static final long MAX_SCREENSHOT_HEIGHT = 8000;

    private final URI base;
    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final FluentWait<WebDriver> wait;

    private Browser(URI base, Path profile, ChromeDriverService service, ChromeDriver driver) {
        this.base = base;
        this.profile = profile;
        this.service = service;
        this.driver = driver;
        this.wait = new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class);
    }

    /**
     * Starts Chromium on a fresh profile. Fails the test under {@code CI=true} when chromium or chromedriver is
     * missing, skips it otherwise.
     *
     * @param base where relative paths given to {@link #go} are resolved, e.g. {@code http://127.0.0.1:34567}
     */
    static Browser open(URI base) {
        Path chromium = RequiredTools.require("chromium", "chromium");
        Path chromedriver = RequiredTools.require("chromedriver", "chromium-driver");
        long started = System.nanoTime();
        Path profile = createProfile();
        // The driver is named here, so Selenium never runs Selenium Manager, which would try to download one
        // (these machines have no internet; SE_OFFLINE in the pom's surefire settings is the second line of defence).
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withTimeout(START_TIMEOUT)
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(chromium.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                        "--window-size=1280,900", "--hide-scrollbars", "--user-data-dir=" + profile,
                        "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                        "--disable-background-networking", "--disable-sync", "--disable-component-update",
                        "--password-store=basic");
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            LOG.info("Chromium started in {} ms", (System.nanoTime() - started) / 1_000_000);
            return new Browser(base, profile, service, driver);
        } catch (RuntimeException | Error e) {
            service.stop();
            deleteRecursively(profile);
            throw e;
        }
    }

    /** Opens {@code path} (relative to the base URI, e.g. {@code /r/acme/app}) and waits until it has loaded. */
    public Browser go(String path) {
        String page = markPage();
        driver.get(base.resolve(path).toString());
        awaitNavigationFrom(page);
        return this;
    }

    /** The path (and query) of the page shown, e.g. {@code /r/acme/app}. */
    public String path() {
        URI current = URI.create(driver.getCurrentUrl());
        String query = current.getRawQuery();
        return query == null ? current.getRawPath() : current.getRawPath() + "?" + query;
    }

    /** The document's title, e.g. {@code Sign in · Berth}. */
    public String title() {
        return driver.getTitle();
    }

    /** The text of the page's first heading. */
    public String heading() {
        return text(By.cssSelector("main h1"));
    }

    /** Waits for an element to be visible and returns its text. */
    public String text(By locator) {
        return read(driver -> {
            WebElement element = driver.findElement(locator);
            return element.isDisplayed() ? element.getText() : null;
        }, () -> "the text of a visible " + locator + " on " + path());
    }

    /** Waits for an element to be visible and returns it. */
    public WebElement find(By locator) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    /** Every element matching {@code locator} on the page as it is now (an empty list is an answer: no waiting). */
    public List<WebElement> all(By locator) {
        return driver.findElements(locator);
    }

    /** Whether the page as it is now has an element matching {@code locator}. */
    public boolean has(By locator) {
        return !driver.findElements(locator).isEmpty();
    }

    /** Waits for the first visible element matching {@code locator} whose text is exactly {@code text}. */
    public WebElement findWithText(By locator, String text) {
        return read(driver -> driver.findElements(locator).stream()
                        .filter(element -> element.isDisplayed() && element.getText().strip().equals(text))
                        .findFirst().orElse(null),
                () -> "an element " + locator + " with the text \"" + text + "\" on " + path());
    }

    /** Replaces the value of an input or textarea. */
    public Browser type(By locator, String text) {
        WebElement field = find(locator);
        field.clear();
        field.sendKeys(text);
        return this;
    }

    /** Picks the option of a select by its value. */
    public Browser select(By locator, String value) {
        new Select(find(locator)).selectByValue(value);
        return this;
    }

    public Browser click(By locator) {
        wait.until(ExpectedConditions.elementToBeClickable(locator)).click();
        return this;
    }

    /** Follows a link and waits for the page it leads to. */
    public Browser follow(WebElement link) {
        String page = markPage();
        link.click();
        awaitNavigationFrom(page);
        return this;
    }

    /** Submits the form {@code locator} finds with its submit button; see {@link #submit(WebElement)}. */
    public Browser submit(By locator) {
        return submit(find(locator));
    }

    /**
     * Submits a form with its (first) submit button, as a user clicks it, and waits for the page the server answers
     * with. A form with {@code data-confirm} makes berth.js ask {@code window.confirm} first: the dialog is accepted.
     */
    public Browser submit(WebElement form) {
        String page = markPage();
        boolean confirms = form.getDomAttribute("data-confirm") != null;
        form.findElement(SUBMIT).click();
        if (confirms) {
            waitFor(() -> "the confirmation of form " + form.getDomAttribute("id") + " on " + path())
                    .until(ExpectedConditions.alertIsPresent()).accept();
        }
        awaitNavigationFrom(page);
        return this;
    }

    /** Signs in with the form of /sign-in and waits for the page it leads to. */
    public Browser signIn(String username, String password) {
        go("/sign-in");
        type(By.id("username"), username);
        type(By.id("password"), password);
        return submit(By.id("sign-in"));
    }

    /** Who the page header says is signed in, if anyone (the layout links the name to /account). */
    public Optional<String> signedInAs() {
        return read(driver -> driver.findElements(By.cssSelector(".nav-account a[href$='/account']")).stream()
                .map(WebElement::getText).findFirst(), () -> "the header of " + path());
    }

    /** Waits for any condition, e.g. {@code ExpectedConditions.urlMatches(...)}. */
    public <T> T await(ExpectedCondition<T> condition) {
        return wait.until(condition);
    }

    /**
     * Writes {@code target/screenshots/<name>.png}: the whole page (the window's width, the page's full height) as it
     * is rendered now. Returns the file.
     */
    public Path screenshot(String name) {
        Path file = SCREENSHOTS.resolve(name + ".png");
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(file, fullPagePng());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The HTML of the page as the browser has it now, for messages of failed tests. */
    public String source() {
        return driver.getPageSource();
    }

    /** Where this browser's chromedriver listens. */
    URI driverUri() {
        return URI.create(service.getUrl().toString());
    }

    /** This browser's profile directory (removed by {@link #close}). */
    Path profile() {
        return profile;
    }

    /** Quits Chromium and chromedriver and removes the profile; safe to call twice. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try {
                // quit() normally ends chromedriver too; stop() makes sure when quit() failed half way.
                service.stop();
            } finally {
                deleteRecursively(profile);
            }
        }
    }

    private byte[] fullPagePng() {
        // Selenium's own screenshot stops at the viewport: DevTools can capture beyond it.
        Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        Map<String, Object> content = map(metrics.get("cssContentSize"));
        Map<String, Object> viewport = map(metrics.get("cssLayoutViewport"));
        // A short page is shot as the whole window, a long one to its end.
        long width = Math.max(number(content.get("width")), number(viewport.get("clientWidth")));
        long height = Math.min(MAX_SCREENSHOT_HEIGHT,
                Math.max(number(content.get("height")), number(viewport.get("clientHeight"))));
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        return Base64.getDecoder().decode((String) shot.get("data"));
    }

    /**
     * Reads from the page as it is, again when an element went stale under the read (or the read found nothing yet),
     * up to {@link #WAIT}.
     */
    private <T> T read(Function<WebDriver, T> read, Supplier<String> what) {
        return waitFor(what).until(read::apply);
    }

    /** A wait of its own (a wait's message sticks to it) that says what it waited for when it times out. */
    private FluentWait<WebDriver> waitFor(Supplier<String> what) {
        return new WebDriverWait(driver, WAIT).withMessage(() -> "waited " + WAIT.toSeconds() + "s for " + what.get())
                .ignoring(StaleElementReferenceException.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static long number(Object value) {
        return Math.round(((Number) value).doubleValue());
    }

    /**
     * Marks the page shown now with a random value on its window object, and returns the value. A navigation gives
     * the new document a window object of its own, without the mark; so a window without it is a new page, whenever
     * the old one went.
     */
    private String markPage() {
        String mark = UUID.randomUUID().toString();
        driver.executeScript("window.berthTestPage = arguments[0];", mark);
        return mark;
    }

    /** Waits until a page without {@code mark} is shown and has loaded completely. */
    private void awaitNavigationFrom(String mark) {
        waitFor(() -> "a new page to load after " + path())
                // A script may meet the old document as it goes: then the next poll meets the new one.
                .ignoring(JavascriptException.class)
                .until(driver -> "complete".equals(((JavascriptExecutor) driver).executeScript(
                        "return window.berthTestPage === arguments[0] ? 'old' : document.readyState;", mark)));
    }

    private static Path createProfile() {
        try {
            return Files.createTempDirectory("berth-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not remove the Chromium profile {}: {}", dir, e.toString());
        }
    }
}
