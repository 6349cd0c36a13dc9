package io.berth.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import javax.imageio.ImageIO;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The browser harness itself, against a few pages of its own served by the JDK's HTTP server (no Berth needed):
 * forms that ask for confirmation through the real berth.js, reads after a navigation seeing the new page however
 * slowly it comes (even the same page again), whole-page screenshots, and that closing a browser leaves no
 * chromedriver and no profile behind.
 */
class BrowserTest {

    private static final Duration SLOW_ANSWER = Duration.ofMillis(1500);

    private HttpServer server;
    private final AtomicReference<String> posted = new AtomicReference<>();
    private Browser browser;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/js/berth.js", exchange -> reply(exchange, 200, "text/javascript", berthJs()));
        server.createContext("/form", exchange -> reply(exchange, 200, "text/html", """
                <!DOCTYPE html><html lang="en"><head><title>Form</title>
                <script src="/js/berth.js" defer></script></head><body><main>
                <form id="delete" method="post" action="/delete" data-confirm="Delete it?">
                  <label for="what">What</label>
                  <select id="what" name="what">
                    <option value="tag">Tag</option><option value="repo">Repo</option>
                  </select>
                  <button type="submit">Delete</button>
                </form></main></body></html>"""));
        server.createContext("/delete", exchange -> {
            posted.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.getResponseHeaders().set("Location", "/done");
            reply(exchange, 303, "text/plain", "");
        });
        server.createContext("/done", exchange -> reply(exchange, 200, "text/html",
                "<!DOCTYPE html><html lang=\"en\"><head><title>Done</title></head>"
                        + "<body><main><h1>Deleted</h1></main></body></html>"));
        // The same page again after a slow POST, as the sign-in page answers a wrong password: only the text differs.
        server.createContext("/again", exchange -> {
            boolean posted = "POST".equals(exchange.getRequestMethod());
            if (posted) {
                exchange.getRequestBody().readAllBytes();
                pause(SLOW_ANSWER);
            }
            reply(exchange, 200, "text/html", "<!DOCTYPE html><html lang=\"en\"><head><title>Again</title></head><body>"
                    + "<main><h1>" + (posted ? "Answered" : "Asked") + "</h1>"
                    + "<form id=\"again\" method=\"post\" action=\"/again\"><button type=\"submit\">Go</button></form>"
                    + "</main></body></html>");
        });
        server.createContext("/slow-link", exchange -> reply(exchange, 200, "text/html",
                "<!DOCTYPE html><html lang=\"en\"><head><title>Link</title></head><body><main><h1>Before</h1>"
                        + "<a id=\"next\" href=\"/slow-page\">next</a></main></body></html>"));
        server.createContext("/slow-page", exchange -> {
            pause(SLOW_ANSWER);
            reply(exchange, 200, "text/html", "<!DOCTYPE html><html lang=\"en\"><head><title>Slow</title></head>"
                    + "<body><main><h1>After</h1></main></body></html>");
        });
        server.createContext("/long", exchange -> reply(exchange, 200, "text/html",
                "<!DOCTYPE html><html lang=\"en\"><head><title>Long</title></head><body>"
                        + "<div style=\"height:2500px\">tall</div><p id=\"end\">end</p></body></html>"));
        server.start();
        browser = Browser.open(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        try {
            browser.close();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aFormThatAsksForConfirmationIsSubmittedOnceTheDialogIsAccepted() {
        browser.go("/form").select(By.id("what"), "repo").submit(By.id("delete"));

        assertThat(browser.path()).isEqualTo("/done");
        assertThat(browser.heading()).isEqualTo("Deleted");
        assertThat(posted.get()).isEqualTo("what=repo");
    }

    @Test
    void aFormAnsweredSlowlyWithTheSamePageIsReadOnlyOnceTheAnswerHasReplacedIt() {
        browser.go("/again");
        assertThat(browser.heading()).isEqualTo("Asked");

        browser.submit(By.id("again"));

        assertThat(browser.heading()).as("the answer's heading, not the question's").isEqualTo("Answered");
        assertThat(browser.path()).isEqualTo("/again");
    }

    @Test
    void followingALinkToASlowPageWaitsForThatPage() {
        browser.go("/slow-link").follow(browser.find(By.id("next")));

        assertThat(browser.path()).isEqualTo("/slow-page");
        assertThat(browser.heading()).isEqualTo("After");
        assertThat(browser.title()).isEqualTo("Slow");
    }

    @Test
    void aScreenshotCoversTheWholePageAtTheWindowsWidth() throws IOException {
        Path shot = browser.go("/long").screenshot("browser-harness-long-page");

        var image = ImageIO.read(shot.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(image.getHeight()).as("beyond the 900 pixels of the window").isGreaterThan(2500);
        Files.delete(shot);
    }

    @Test
    void closingQuitsChromedriverAndRemovesTheProfile() {
        URI driver = browser.driverUri();
        Path profile = browser.profile();
        assertThat(profile).isDirectory();

        browser.close();

        assertThat(profile).doesNotExist();
        assertThatThrownBy(() -> new Socket(driver.getHost(), driver.getPort()).close())
                .as("chromedriver no longer listens on %s", driver).isInstanceOf(ConnectException.class);
    }

    /** The server taking its time, as a loaded Berth does: what the browser must wait for, not guess at. */
    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] berthJs() {
        try (InputStream script = BrowserTest.class.getResourceAsStream("/static/js/berth.js")) {
            return script.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
        reply(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
