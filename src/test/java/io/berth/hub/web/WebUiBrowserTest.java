package io.berth.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.berth.engine.EngineAvailable;
import io.berth.support.BerthIntegrationTest;
import io.berth.support.Browser;
import io.berth.support.Browsers;
import io.berth.support.OciImages;
import io.berth.support.OciImages.Blob;
import io.berth.support.OciImages.Image;
import io.berth.support.OciImages.Layout;
import io.berth.support.Skopeo;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web UI in headless Chromium, as its users click through it: an administrator publishes a private image and
 * manages tokens and garbage collection, an outsider's browser finds no trace of the private repository. Screenshots
 * of the main pages go to {@code target/screenshots/}.
 *
 * <p>The pages are located by the ids and classes of the web UI's contract (the UI brief), not by their layout.
 */
class WebUiBrowserTest extends BerthIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(WebUiBrowserTest.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String NOT_FOUND_TITLE = "Not found · Berth";
    private static final String TAG = "1.0";

    @RegisterExtension
    final Browsers browsers = new Browsers();

    @TempDir
    Path work;

    @Test
    void aWrongPasswordIsRefusedOnTheSignInPageAndTheRightOneSignsIn() {
        String user = signUp("browser");
        Browser browser = browsers.open(baseUri());

        browser.go("/sign-in");
        assertThat(browser.title()).isEqualTo("Sign in · Berth");
        assertThat(browser.text(By.cssSelector("label[for=username]"))).isEqualTo("Username");
        assertThat(browser.text(By.cssSelector("label[for=password]"))).isEqualTo("Password");
        assertThat(browser.signedInAs()).isEmpty();
        browser.screenshot("sign-in");

        browser.type(By.id("username"), user).type(By.id("password"), "not the password").submit(By.id("sign-in"));
        assertThat(browser.text(By.cssSelector("p.alert.error")))
                .isEqualTo("incorrect username or password");
        assertThat(browser.find(By.id("username")).getDomProperty("value")).as("the form keeps the username")
                .isEqualTo(user);
        assertThat(browser.signedInAs()).isEmpty();
        browser.screenshot("sign-in-refused");

        browser.type(By.id("password"), passwordOf(user)).submit(By.id("sign-in"));
        assertThat(browser.path()).isEqualTo("/");
        browser.go("/sign-in");
        assertThat(browser.signedInAs()).hasValue(user);
        browser.screenshot("signed-in");
    }

    @Test
    void theAdministratorSignsInAndTheHeaderSaysSo() {
        Browser browser = browsers.open(baseUri());

        browser.signIn(ADMIN, ADMIN_PASSWORD);

        assertThat(browser.path()).as("sign-in leads to the front page").isEqualTo("/");
        // Every page of the frame names who is signed in; /sign-in is one that is sure to exist.
        browser.go("/sign-in");
        assertThat(browser.signedInAs()).hasValue(ADMIN);
        assertThat(browser.text(By.cssSelector(".nav-account button[type=submit]"))).isEqualTo("Sign out");
    }

    /**
     * Issue 7's scenario end to end. The steps share the state they build (the organisation, the repository, the
     * pushed image), so they are one test; each step logs how long it took.
     */
    @Test
    void aPrivateImageIsPublishedAndManagedInTheBrowserAndAnOutsiderSeesNoneOfIt() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String org = "webui-" + suffix;
        String name = "shop-" + suffix;
        String repository = org + "/" + name;
        String outsider = signUp("outsider");
        // A public repository of the same organisation that the outsider's search must find: the proof that the
        // search worked and only the private repository was left out.
        String publicRepository = repository + "-public";
        createRepository(publicRepository, "public");

        Browser admin = step("admin signs in", () -> {
            Browser browser = browsers.open(baseUri());
            browser.go("/sign-in");
            browser.screenshot("sign-in");
            browser.signIn(ADMIN, ADMIN_PASSWORD);
            assertThat(browser.signedInAs()).hasValue(ADMIN);
            return browser;
        });

        step("organisation created", () -> {
            admin.go("/account/organisations");
            admin.type(By.id("organisation-name"), org).submit(By.id("new-organisation"));
            // Whether the form leads back to the list or to the new organisation's page, the list must name it.
            admin.go("/account/organisations");
            WebElement link = admin.findWithText(By.cssSelector("ul#organisations a.organisation-link"), org);
            assertThat(link.getDomAttribute("href")).endsWith("/orgs/" + org);
            admin.screenshot("organisations");
            return null;
        });

        step("private repository created", () -> {
            admin.go("/");
            admin.follow(admin.find(By.id("new-repository-link")));
            assertThat(admin.path()).isEqualTo("/repositories/new");
            admin.select(By.id("repository-namespace"), org)
                    .type(By.id("repository-name"), name)
                    .click(By.id("visibility-private"))
                    .type(By.id("repository-description"), "The shop, built by the browser test")
                    .screenshot("new-repository");
            admin.submit(By.id("new-repository"));
            assertThat(admin.path()).isEqualTo("/r/" + repository);
            assertThat(admin.heading()).isEqualTo(repository);
            assertThat(admin.has(By.cssSelector(".badge.private"))).as("the new repository says it is private")
                    .isTrue();
            return null;
        });

        Image image = step("image pushed with skopeo", () -> {
            Image pushed = OciImages.busybox(true);
            Layout layout = OciImages.writeLayout(work.resolve("layout"), TAG, pushed);
            new Skopeo(work.resolve("skopeo")).withCredentials(ADMIN, ADMIN_PASSWORD).run("copy",
                    "--dest-tls-verify=false", "--preserve-digests", layout.reference(),
                    "docker://" + registryHost() + "/" + repository + ":" + TAG);
            return pushed;
        });

        step("tags on the repository page", () -> {
            admin.go("/r/" + repository);
            WebElement row = tagRow(admin, TAG);
            assertThat(showsDigest(row.findElement(By.cssSelector("td.digest")), image.manifest().digest()))
                    .as("the tag row shows the manifest digest").isTrue();
            assertThat(row.findElement(By.cssSelector("td.size")).getText()).containsPattern("\\d");
            assertThat(row.findElement(By.cssSelector("td.platforms")).getText()).contains("amd64");
            assertThat(admin.text(By.cssSelector(".copy-line")))
                    .contains("docker pull ").contains("/" + repository);
            admin.screenshot("repository");
            return null;
        });

        step("layers on the tag page", () -> {
            admin.follow(tagRow(admin, TAG).findElement(By.cssSelector("td.tag-name a")));
            assertThat(admin.path()).isEqualTo("/r/" + repository + "/tags/" + TAG);
            String manifest = admin.text(By.id("manifest"));
            assertThat(manifest).contains(OciImages.MANIFEST_TYPE).contains(shortHex(image.manifest().digest()));
            assertThat(admin.text(By.id("config"))).contains("linux").contains("amd64");
            List<WebElement> layers = admin.all(By.cssSelector("table#layers tr.layer"));
            assertThat(layers).hasSize(image.layers().size());
            for (int i = 0; i < layers.size(); i++) {
                Blob layer = image.layers().get(i);
                WebElement row = layers.get(i);
                assertThat(showsDigest(row.findElement(By.cssSelector("td.layer-digest")), layer.digest()))
                        .as("layer %d shows its digest %s", i + 1, layer.digest()).isTrue();
                assertThat(row.findElement(By.cssSelector("td.layer-size")).getText())
                        .as("layer %d (%d bytes) shows a size", i + 1, layer.size()).containsPattern("\\d");
            }
            admin.screenshot("tag");
            return null;
        });

        step("explore and search list the private repository for its owner", () -> {
            admin.go("/?q=" + name);
            WebElement entry = repositoryEntry(admin, repository)
                    .orElseThrow(() -> new AssertionError(repository + " is not listed for the administrator"));
            assertThat(entry.findElements(By.cssSelector(".badge.private"))).isNotEmpty();
            admin.screenshot("explore");
            return null;
        });

        step("token created, used and revoked", () -> {
            String description = "browser test " + suffix;
            admin.go("/account/tokens");
            admin.type(By.id("token-description"), description).select(By.id("token-scope"), "read")
                    .submit(By.id("new-token"));
            String secret = admin.text(By.id("new-token-secret")).strip();
            assertThat(secret).isNotBlank();
            admin.screenshot("tokens");

            HttpResponse<String> me = getWithBearer("/api/v1/user", secret);
            assertThat(me.statusCode()).as("the new token works with the REST API").isEqualTo(200);
            assertThat(JSON.readTree(me.body()).get("username").asString()).isEqualTo(ADMIN);

            WebElement row = admin
                    .findWithText(By.cssSelector("table#tokens tr.token td.token-description"), description)
                    .findElement(By.xpath("./ancestor::tr[1]"));
            admin.submit(row.findElement(By.cssSelector("form.revoke-token")));
            assertThat(admin.find(By.id("tokens")).isDisplayed()).isTrue();
            assertThat(admin.all(By.cssSelector("table#tokens tr.token")).stream()
                    .filter(token -> token.findElement(By.cssSelector("td.token-description")).getText().strip()
                            .equals(description))
                    .filter(token -> !token.findElements(By.cssSelector("form.revoke-token")).isEmpty()))
                    .as("a revoked token cannot be revoked again").isEmpty();
            assertThat(getWithBearer("/api/v1/user", secret).statusCode()).as("the revoked token is refused")
                    .isEqualTo(401);
            admin.screenshot("tokens-revoked");
            return null;
        });

        step("garbage collection run from the admin page", () -> {
            Optional<Instant> before = lastGcStart();
            Instant clicked = Instant.now();
            admin.go("/admin/gc").submit(By.id("run-gc"));
            assertThat(admin.text(By.id("gc-last"))).isNotBlank();
            Instant started = lastGcStart().orElseThrow(() -> new AssertionError("no garbage collection has run"));
            assertThat(started).as("the button ran a collection").isNotEqualTo(before.orElse(null))
                    .isAfterOrEqualTo(clicked.minusSeconds(1));
            admin.screenshot("admin-gc");
            return null;
        });

        step("the other administrators' pages", () -> {
            screenshotPage(admin, "/admin", "Administration", "admin");
            screenshotPage(admin, "/admin/storage", "Storage", "admin-storage");
            screenshotPage(admin, "/admin/audit", "Audit log", "admin-audit");
            admin.go("/dashboard");
            assertThat(admin.title()).isEqualTo("Dashboard · Berth");
            // The charts are drawn by the page's script with uPlot from its WebJar: canvases mean both loaded and ran
            // under the Content Security Policy.
            assertThat(admin.find(By.cssSelector(".uplot canvas")).isDisplayed()).isTrue();
            admin.screenshot("dashboard");
            if (EngineAvailable.reason(true) == null) { // the node page is there where the Engine runs
                screenshotPage(admin, "/node", "Node", "node");
            }
            return null;
        });

        step("an outsider sees nothing of the private repository", () -> {
            Browser browser = browsers.open(baseUri());
            browser.signIn(outsider, passwordOf(outsider));
            assertThat(browser.signedInAs()).hasValue(outsider);

            browser.go("/");
            browser.find(By.id("search"));
            assertThat(repositoryEntry(browser, repository)).as("explore lists the private repository").isEmpty();
            browser.screenshot("outsider-explore");

            browser.type(By.cssSelector("form#search input[name=q]"), name).submit(By.id("search"));
            assertThat(repositoryEntry(browser, publicRepository)).as("the search finds the public repository")
                    .isPresent();
            assertThat(repositoryEntry(browser, repository)).as("the search finds the private repository").isEmpty();
            assertThat(browser.source()).doesNotContain(shortHex(image.manifest().digest()));
            browser.screenshot("outsider-search");

            for (String page : List.of("/r/" + repository, "/r/" + repository + "/tags/" + TAG)) {
                browser.go(page);
                assertThat(browser.title()).as(page).isEqualTo(NOT_FOUND_TITLE);
                assertThat(browser.heading()).as(page).isEqualTo("Not found");
                assertThat(browser.has(By.id("tags"))).as(page).isFalse();
                assertThat(browser.has(By.id("layers"))).as(page).isFalse();
                assertThat(browser.source()).as(page).doesNotContain(shortHex(image.manifest().digest()))
                        .doesNotContain(shortHex(image.config().digest()));
            }
            browser.screenshot("outsider-not-found");
            return null;
        });
    }

    /** Runs one step of the scenario and logs how long it took. */
    private static <T> T step(String name, StepBody<T> body) {
        long started = System.nanoTime();
        T result = body.run();
        LOG.info("step '{}' took {} ms", name, (System.nanoTime() - started) / 1_000_000);
        return result;
    }

    @FunctionalInterface
    private interface StepBody<T> {
        T run();
    }

    private static WebElement tagRow(Browser browser, String tag) {
        return browser.findWithText(By.cssSelector("table#tags tr.tag td.tag-name"), tag)
                .findElement(By.xpath("./ancestor::tr[1]"));
    }

    /** The explore page's entry of {@code repository} ("namespace/name"), if the page lists it. */
    private static Optional<WebElement> repositoryEntry(Browser browser, String repository) {
        return browser.all(By.cssSelector("ul#repositories li.repository")).stream()
                .filter(entry -> entry.findElements(By.cssSelector("a.repository-link")).stream()
                        .anyMatch(link -> link.getText().strip().equals(repository)))
                .findFirst();
    }

    /**
     * Whether a cell shows {@code digest}: in full or shortened (as Docker Hub does) to at least 12 hex digits, as
     * text or as the title that holds the full digest of a shortened one.
     */
    private static boolean showsDigest(WebElement cell, String digest) {
        String title = Optional.ofNullable(cell.getDomAttribute("title")).orElse("");
        return cell.getText().contains(shortHex(digest)) || title.contains(digest)
                || cell.findElements(By.cssSelector("[title]")).stream()
                        .anyMatch(element -> element.getDomAttribute("title").contains(digest));
    }

    /** The first 12 hex digits of a digest: what a shortened digest shows at least. */
    private static String shortHex(String digest) {
        return digest.substring(digest.indexOf(':') + 1, digest.indexOf(':') + 13);
    }

    private static void screenshotPage(Browser browser, String path, String title, String screenshot) {
        browser.go(path);
        assertThat(browser.title()).as(path).isEqualTo(title + " · Berth");
        browser.screenshot(screenshot);
    }

    private Optional<Instant> lastGcStart() {
        HttpResponse<String> last = send(HttpRequest.newBuilder(baseUri().resolve("/api/v1/admin/gc"))
                .header("Authorization", basic(ADMIN, ADMIN_PASSWORD)).GET().build());
        if (last.statusCode() == 204) {
            return Optional.empty();
        }
        assertThat(last.statusCode()).as(last.body()).isEqualTo(200);
        return Optional.of(Instant.parse(JSON.readTree(last.body()).get("startedAt").asString()));
    }

    private void createRepository(String name, String visibility) {
        HttpResponse<String> created = send(HttpRequest.newBuilder(baseUri().resolve("/api/v1/repositories"))
                .header("Authorization", basic(ADMIN, ADMIN_PASSWORD)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        Map.of("name", name, "visibility", visibility))))
                .build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    /** Signs a new user up through the REST API; its password is {@link #passwordOf}. Returns its name. */
    private String signUp(String prefix) {
        String user = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = send(HttpRequest.newBuilder(baseUri().resolve("/api/v1/users"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("username", user,
                        "email", user + "@example.com", "password", passwordOf(user)))))
                .build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return user;
    }

    private static String passwordOf(String user) {
        return "a password of " + user;
    }

    private HttpResponse<String> getWithBearer(String path, String token) {
        return send(HttpRequest.newBuilder(baseUri().resolve(path)).header("Authorization", "Bearer " + token)
                .GET().build());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
