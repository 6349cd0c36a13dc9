package io.berth.support;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browsers of one test: {@code @RegisterExtension final Browsers browsers = new Browsers();} then
 * {@code browsers.open(baseUri())} as often as the test needs users. After each test, passed or failed, every
 * browser is quit with its chromedriver and profile; a failed test first gets a screenshot of what each browser
 * showed ({@code target/screenshots/FAILED-<test>-<n>.png}).
 */
public final class Browsers implements AfterEachCallback {

    private static final Logger LOG = LoggerFactory.getLogger(Browsers.class);

    private final List<Browser> open = new ArrayList<>();

    /** Starts a new Chromium with an empty profile (no session): see {@link Browser#open}. */
    public Browser open(URI base) {
        Browser browser = Browser.open(base);
        open.add(browser);
        return browser;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < open.size(); i++) {
            Browser browser = open.get(i);
            if (context.getExecutionException().isPresent()) {
                String name = "FAILED-" + context.getRequiredTestMethod().getName() + "-" + (i + 1);
                try {
                    LOG.info("{} showed {} when the test failed: {}", name, browser.path(), browser.screenshot(name));
                } catch (RuntimeException e) {
                    LOG.warn("no screenshot of {}: {}", name, e.toString());
                }
            }
            try {
                browser.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        open.clear();
        if (!failures.isEmpty()) {
            IllegalStateException closing =
                    new IllegalStateException("could not quit " + failures.size() + " browser(s)");
            failures.forEach(closing::addSuppressed);
            throw closing;
        }
    }
}
