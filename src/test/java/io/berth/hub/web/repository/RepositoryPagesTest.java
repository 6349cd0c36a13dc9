package io.berth.hub.web.repository;

import static io.berth.support.RegistryClient.bytes;
import static io.berth.support.RegistryClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.OciImages;
import io.berth.support.PageClient;
import io.berth.support.RegistryClient;

/**
 * The web UI's repository pages over HTTP, as a browser without JavaScript uses them: explore, create, a repository
 * with its tags, a tag's contents, settings, stars, deletions; and that a private repository is as invisible in the
 * pages as in the API. Every test makes accounts and repositories of its own (the context is shared).
 */
class RepositoryPagesTest extends BerthIntegrationTest {

    private static final String PASSWORD = "a page-test password";
    private static final Pattern TAG_ROW = Pattern.compile("<tr class=\"tag\">(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern LAYER_ROW = Pattern.compile("<tr class=\"layer\">(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern REFERRER_ROW = Pattern.compile("<tr class=\"referrer\">(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern LISTED = Pattern.compile("<a class=\"repository-link\" href=\"([^\"]+)\">([^<]+)</a>");

    @Test
    void exploreListsPublicRepositoriesToAllAndPrivateOnesToTheirOwner() {
        String owner = signUp("explorer");
        String outsider = signUp("outsider");
        String word = unique("w");
        PageClient owned = PageClient.signedIn(baseUri(), owner, PASSWORD);
        createThroughForm(owned, owner, "open-" + word, "public", "An open " + word);
        createThroughForm(owned, owner, "closed-" + word, "private", "A closed " + word);

        HttpResponse<String> anonymous = new PageClient(baseUri()).get("/?q=" + word);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(listed(anonymous.body())).containsExactly(owner + "/open-" + word);
        assertThat(anonymous.body()).contains("href=\"/r/" + owner + "/open-" + word + "\"", "badge public",
                "0 stars", "0 pulls").doesNotContain("closed-" + word, "new-repository-link");

        String outsiders = PageClient.signedIn(baseUri(), outsider, PASSWORD).get("/?q=" + word).body();
        assertThat(listed(outsiders)).containsExactly(owner + "/open-" + word);

        String owners = owned.get("/?q=" + word).body();
        assertThat(listed(owners)).containsExactlyInAnyOrder(owner + "/open-" + word, owner + "/closed-" + word);
        assertThat(owners).contains("badge private", "id=\"new-repository-link\"", "2 repositories");
    }

    @Test
    void creatingARepositoryOffersTheViewersNamespacesAndRefusesBadNames() {
        String owner = signUp("creator");
        String org = unique("org");
        call("POST", "/api/v1/orgs", owner, "{\"name\":\"" + org + "\"}", 201);
        PageClient browser = PageClient.signedIn(baseUri(), owner, PASSWORD);
        String form = browser.get("/repositories/new").body();
        assertThat(form).contains("<option value=\"" + owner + "\" selected=\"selected\">", "<option value=\"" + org + "\">",
                "id=\"visibility-private\"", "for=\"repository-name\"");

        HttpResponse<String> refused = browser.submit("/repositories/new", "/repositories/new",
                Map.of("namespace", owner, "name", "Not Valid", "visibility", "public"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("invalid repository name", "value=\"Not Valid\"");

        HttpResponse<String> foreign = browser.submit("/repositories/new", "/repositories/new",
                Map.of("namespace", signUp("other"), "name", "app", "visibility", "public"));
        assertThat(foreign.statusCode()).as("not the viewer's namespace").isEqualTo(403);

        createThroughForm(browser, org, "service", "private", "");
        assertThat(browser.get("/r/" + org + "/service").body()).contains("badge private");

        HttpResponse<String> anonymous = new PageClient(baseUri()).get("/repositories/new");
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location").orElseThrow()).contains("/sign-in?next=");
    }

    @Test
    void searchFindsAndSortOrdersByStarsPullsAndUpdates() {
        String owner = signUp("sorter");
        String fan = signUp("fan");
        String word = unique("s");
        for (String name : List.of("a-" + word, "b-" + word, "c-" + word)) {
            call("POST", "/api/v1/repositories", owner, "{\"name\":\"" + owner + "/" + name + "\"}", 201);
        }
        call("POST", "/api/v1/repositories", owner, "{\"name\":\"" + owner + "/unrelated\"}", 201);
        PageClient fans = PageClient.signedIn(baseUri(), fan, PASSWORD);
        PageClient owners = PageClient.signedIn(baseUri(), owner, PASSWORD);
        for (PageClient browser : List.of(fans, owners)) {
            assertThat(browser.submit("/r/" + owner + "/b-" + word, "/r/" + owner + "/b-" + word + "/star",
                    Map.of("star", "true")).statusCode()).isEqualTo(302);
        }
        registry().push(owner + "/c-" + word, "latest", OciImages.busybox(true));

        PageClient anonymous = new PageClient(baseUri());
        assertThat(listed(anonymous.get("/?q=" + word + "&sort=stars").body())).first().isEqualTo(owner + "/b-" + word);
        assertThat(listed(anonymous.get("/?q=" + word + "&sort=updated").body())).first().isEqualTo(owner + "/c-" + word);
        assertThat(listed(anonymous.get("/?q=" + word + "&sort=name").body()))
                .containsExactly(owner + "/a-" + word, owner + "/b-" + word, owner + "/c-" + word);
        assertThat(anonymous.get("/?q=" + word + "&sort=stars").body()).contains("2 stars",
                "<option value=\"stars\" selected=\"selected\">");
        assertThat(anonymous.get("/?sort=random").statusCode()).isEqualTo(400);
    }

    @Test
    void repositoryPageShowsTagsAndThePullLineAndTheTagPageShowsLayersAndReferrers() {
        String repository = ADMIN + "/" + unique("shown");
        RegistryClient registry = registry();
        OciImages.Image image = registry.push(repository, "1.0", OciImages.busybox(true));
        OciImages.ImageIndex index = OciImages.busyboxIndex(true);
        for (OciImages.Image platform : index.manifests()) {
            registry.push(repository, "only-" + platform.config().hex().substring(0, 8), platform);
        }
        expect(registry.putManifest(repository, "multi", OciImages.INDEX_TYPE, index.index().bytes()), 201);
        String sbom = pushReferrer(registry, repository, image.manifest());

        PageClient browser = new PageClient(baseUri());
        HttpResponse<String> page = browser.get("/r/" + repository);
        assertThat(page.statusCode()).isEqualTo(200);
        String html = page.body();
        assertThat(html).contains("<h1><span>" + repository + "</span></h1>", "badge public",
                "<code id=\"pull-command\">docker pull " + registryHost() + "/" + repository,
                "data-copy=\"docker pull " + registryHost() + "/" + repository);
        String row = row(html, TAG_ROW, "1.0");
        long size = image.manifest().size() + image.blobs().stream().mapToLong(OciImages.Blob::size).sum();
        assertThat(row).contains("href=\"/r/" + repository + "/tags/1.0\"", "title=\"" + image.manifest().digest() + "\"",
                image.manifest().digest().substring(0, 19), "data-bytes=\"" + size + "\"", "linux/amd64",
                "<time datetime=\"20");
        assertThat(row(html, TAG_ROW, "multi")).contains("linux/amd64, linux/arm64");
        assertThat(html).as("anonymous viewers may not delete").doesNotContain("delete-tag", "Settings");

        String tag = browser.get("/r/" + repository + "/tags/1.0").body();
        assertThat(tag).contains("id=\"manifest\"", OciImages.MANIFEST_TYPE, image.manifest().digest(),
                "docker pull " + registryHost() + "/" + repository + ":1.0", "id=\"config\"", "linux/amd64",
                "<code>sh</code>", "PATH=/usr/local/sbin").doesNotContain("<dt>Artifact type</dt>");
        List<String> layers = rows(tag, LAYER_ROW);
        assertThat(layers).hasSize(image.layers().size());
        for (int i = 0; i < layers.size(); i++) {
            OciImages.Blob layer = image.layers().get(i);
            assertThat(layers.get(i)).contains(layer.digest(), "data-bytes=\"" + layer.size() + "\"");
        }
        assertThat(layers.get(0)).contains("COPY /bin/busybox");
        assertThat(rows(tag, REFERRER_ROW)).singleElement().satisfies(referrer ->
                assertThat(referrer).contains("application/vnd.example.sbom+json", sbom));

        String multi = browser.get("/r/" + repository + "/tags/multi").body();
        assertThat(multi).contains(OciImages.INDEX_TYPE, "class=\"platform-manifest\"", ">linux/amd64</h2>",
                ">linux/arm64</h2>", index.manifests().get(1).manifest().digest());
        assertThat(rows(multi, LAYER_ROW)).hasSize(2 * index.manifests().get(0).layers().size());

        assertThat(browser.get("/r/" + repository + "/tags/missing").statusCode()).isEqualTo(404);
    }

    @Test
    void repositoriesWithLongerNamesHavePagesToo() {
        String repository = ADMIN + "/" + unique("team") + "/app";
        registry().push(repository, "v1", OciImages.busybox(false));
        PageClient browser = new PageClient(baseUri());
        String html = browser.get("/r/" + repository).body();
        assertThat(html).contains("<h1><span>" + repository + "</span></h1>",
                "href=\"/r/" + repository + "/-/tags/v1\"");
        assertThat(browser.get("/r/" + repository + "/-/tags/v1").body()).contains("class=\"layer\"");
        assertThat(listed(browser.get("/?q=" + repository.substring(ADMIN.length() + 1)).body()))
                .containsExactly(repository);
    }

    @Test
    void aPrivateRepositoryIsNotFoundForOutsidersOnEveryPage() {
        String owner = signUp("secret");
        String outsider = signUp("outsider");
        String repository = owner + "/hidden";
        call("POST", "/api/v1/repositories", owner, "{\"name\":\"" + repository + "\",\"visibility\":\"private\"}", 201);
        registry().push(repository, "1", OciImages.busybox(false));

        PageClient owners = PageClient.signedIn(baseUri(), owner, PASSWORD);
        for (String page : List.of("/r/" + repository, "/r/" + repository + "/tags/1", "/r/" + repository + "/settings")) {
            assertThat(owners.get(page).statusCode()).as(page).isEqualTo(200);
            for (PageClient stranger : List.of(new PageClient(baseUri()),
                    PageClient.signedIn(baseUri(), outsider, PASSWORD))) {
                HttpResponse<String> answer = stranger.get(page);
                assertThat(answer.statusCode()).as(page).isEqualTo(404);
                assertThat(answer.body()).contains("Not found").doesNotContain("hidden</span>");
            }
        }
        PageClient outsiders = PageClient.signedIn(baseUri(), outsider, PASSWORD);
        assertThat(outsiders.submit("/", "/r/" + repository + "/star", Map.of("star", "true")).statusCode())
                .isEqualTo(404);
        assertThat(outsiders.submit("/", "/r/" + repository + "/tags/1/delete", Map.of()).statusCode()).isEqualTo(404);
        assertThat(owners.get("/r/" + repository).body()).contains("class=\"tag\"");
    }

    @Test
    void starringNeedsTheCsrfTokenAndToggles() {
        String fan = signUp("starrer");
        String repository = ADMIN + "/" + unique("starred");
        registry().push(repository, "latest", OciImages.busybox(false));
        PageClient browser = PageClient.signedIn(baseUri(), fan, PASSWORD);
        String page = "/r/" + repository;
        assertThat(browser.get(page).body()).contains("id=\"star\"", ">Star</button>", "0 stars");

        assertThat(browser.post(page + "/star", Map.of("star", "true")).statusCode()).as("no CSRF token").isEqualTo(403);
        assertThat(browser.get(page).body()).contains("0 stars");

        HttpResponse<String> starred = browser.submit(page, page + "/star", Map.of("star", "true"));
        assertThat(starred.statusCode()).isEqualTo(302);
        assertThat(starred.headers().firstValue("Location").orElseThrow()).endsWith(page);
        assertThat(browser.get(page).body()).contains("1 star<", ">Unstar</button>", "Starred " + repository);
        browser.submit(page, page + "/star", Map.of("star", "false"));
        assertThat(browser.get(page).body()).contains("0 stars", ">Star</button>");
        assertThat(new PageClient(baseUri()).get(page).body()).doesNotContain("id=\"star\"").contains("Sign in to star");
    }

    @Test
    void ownersChangeVisibilityDeleteTagsAndTheRepositoryOthersCannot() {
        String owner = signUp("owner");
        String outsider = signUp("outsider");
        String repository = owner + "/managed";
        call("POST", "/api/v1/repositories", owner, "{\"name\":\"" + repository + "\"}", 201);
        registry().push(repository, "keep", OciImages.busybox(false));
        registry().push(repository, "drop", OciImages.busybox(true));
        String page = "/r/" + repository;

        PageClient outsiders = PageClient.signedIn(baseUri(), outsider, PASSWORD);
        assertThat(outsiders.get(page).body()).doesNotContain("delete-tag", "settings-link");
        assertThat(outsiders.get(page + "/settings").statusCode()).isEqualTo(403);
        assertThat(outsiders.submit(page, page + "/tags/drop/delete", Map.of()).statusCode()).isEqualTo(403);
        assertThat(outsiders.submit(page, page + "/settings", Map.of("visibility", "private")).statusCode())
                .isEqualTo(403);

        PageClient owners = PageClient.signedIn(baseUri(), owner, PASSWORD);
        String html = owners.get(page).body();
        assertThat(html).contains("id=\"settings-link\"", "href=\"" + page + "/settings\"");
        assertThat(row(html, TAG_ROW, "drop")).contains("class=\"delete-tag inline\"", "action=\"" + page + "/tags/drop/delete\"",
                "data-confirm=\"Delete tag drop?");

        HttpResponse<String> deleted = owners.submit(page, page + "/tags/drop/delete", Map.of());
        assertThat(deleted.statusCode()).isEqualTo(302);
        String after = owners.get(page).body();
        assertThat(after).contains("Deleted tag drop.");
        assertThat(rows(after, TAG_ROW)).singleElement().satisfies(row -> assertThat(row).contains(">keep</a>"));

        String settings = owners.get(page + "/settings").body();
        assertThat(settings).contains("id=\"repository-settings\"", "id=\"delete-repository\"", "data-confirm=");
        HttpResponse<String> saved = owners.submit(page + "/settings", page + "/settings",
                Map.of("visibility", "private", "description", "Now *private*", "readme", "# Managed"));
        assertThat(saved.statusCode()).isEqualTo(302);
        assertThat(owners.get(page).body()).contains("badge private", "<em>private</em>", "<h1>Managed</h1>");
        assertThat(new PageClient(baseUri()).get(page).statusCode()).as("private now").isEqualTo(404);
        assertThat(outsiders.get(page).statusCode()).isEqualTo(404);

        HttpResponse<String> gone = owners.submit(page + "/settings", page + "/delete", Map.of());
        assertThat(gone.statusCode()).isEqualTo(302);
        assertThat(owners.get("/").body()).contains("Deleted " + repository + ".");
        assertThat(owners.get(page).statusCode()).isEqualTo(404);
    }

    @Test
    void readmeMarkdownIsRenderedWithoutActiveContent() {
        String owner = signUp("writer");
        String repository = owner + "/docs";
        call("POST", "/api/v1/repositories", owner, "{\"name\":\"" + repository + "\"}", 201);
        String readme = String.join("\n",
                "# Title", "",
                "Some **bold** text and [a site](https://example.com/x).", "",
                "<script>alert('readme')</script>", "",
                "<img src=\"x\" onerror=\"alert('img')\">", "",
                "[click me](javascript:alert('link')) and ![pic](javascript:alert('image'))", "",
                "<a href=\"javascript:alert('raw')\">raw link</a>");
        PageClient owners = PageClient.signedIn(baseUri(), owner, PASSWORD);
        String page = "/r/" + repository;
        assertThat(owners.submit(page + "/settings", page + "/settings",
                Map.of("readme", readme, "description", "<b onmouseover=\"alert(1)\">desc</b>")).statusCode())
                .isEqualTo(302);

        String html = new PageClient(baseUri()).get(page).body();
        String rendered = html.substring(html.indexOf("id=\"readme\""));
        assertThat(rendered).contains("<h1>Title</h1>", "<strong>bold</strong>",
                "<a rel=\"nofollow noopener\" href=\"https://example.com/x\">a site</a>",
                "&lt;script&gt;alert(", "&lt;img src=&quot;x&quot; onerror=");
        assertThat(html).doesNotContainPattern("<script(?![^>]*src=\"/js/)")
                .doesNotContainPattern("<img[^>]*onerror")
                .doesNotContainPattern("(?i)href=\"\\s*javascript:")
                .doesNotContainPattern("(?i)src=\"\\s*javascript:")
                .doesNotContainPattern("<b onmouseover")
                .contains("&lt;b onmouseover=");
    }

    // ---- helpers

    private void createThroughForm(PageClient browser, String namespace, String name, String visibility,
                                   String description) {
        HttpResponse<String> created = browser.submit("/repositories/new", "/repositories/new",
                Map.of("namespace", namespace, "name", name, "visibility", visibility, "description", description));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(302);
        assertThat(created.headers().firstValue("Location").orElseThrow()).endsWith("/r/" + namespace + "/" + name);
    }

    /** Pushes an SBOM-like artifact whose subject is {@code subject}; returns its digest. */
    private static String pushReferrer(RegistryClient registry, String repository, OciImages.Blob subject) {
        OciImages.Blob empty = OciImages.Blob.of(bytes("{}"), "application/vnd.oci.empty.v1+json");
        OciImages.Blob sbom = OciImages.Blob.of(bytes("{\"packages\":[\"" + UUID.randomUUID() + "\"]}"),
                "application/spdx+json");
        registry.pushBlob(repository, empty.bytes());
        registry.pushBlob(repository, sbom.bytes());
        byte[] manifest = bytes("{\"schemaVersion\":2,\"mediaType\":\"" + OciImages.MANIFEST_TYPE + "\","
                + "\"artifactType\":\"application/vnd.example.sbom+json\",\"config\":" + empty.descriptor() + ","
                + "\"layers\":[" + sbom.descriptor() + "],\"subject\":" + subject.descriptor() + "}");
        String digest = OciImages.sha256(manifest);
        expect(registry.putManifest(repository, digest, OciImages.MANIFEST_TYPE, manifest), 201);
        return digest;
    }

    private static List<String> listed(String html) {
        List<String> names = new ArrayList<>();
        Matcher matcher = LISTED.matcher(html);
        while (matcher.find()) {
            assertThat(matcher.group(1)).isEqualTo("/r/" + matcher.group(2));
            names.add(matcher.group(2));
        }
        return names;
    }

    private static List<String> rows(String html, Pattern row) {
        List<String> rows = new ArrayList<>();
        Matcher matcher = row.matcher(html);
        while (matcher.find()) {
            rows.add(matcher.group(1));
        }
        return rows;
    }

    private static String row(String html, Pattern pattern, String tag) {
        return rows(html, pattern).stream().filter(row -> row.contains(">" + tag + "</a>")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + tag + " in " + html));
    }

    private String signUp(String prefix) {
        String name = unique(prefix);
        HttpResponse<String> created = send(HttpRequest.newBuilder(baseUri().resolve("/api/v1/users"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + name + "\",\"email\":\"" + name
                        + "@example.com\",\"password\":\"" + PASSWORD + "\"}"))
                .build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return name;
    }

    /** A REST API call with the user's basic credentials, which must answer {@code status}. */
    private void call(String method, String path, String user, String json, int status) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(baseUri().resolve(path))
                .header("Content-Type", "application/json")
                .header("Authorization", RegistryClient.basic(user, PASSWORD))
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build());
        assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isEqualTo(status);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
