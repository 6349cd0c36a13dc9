package io.berth.hub.web.repository;

import static io.berth.support.RegistryClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.PageClient;
import io.berth.support.RegistryClient;
import io.berth.support.RestApi;

/**
 * A repository's tags a page at a time (issue 13: 10,000 tags came in one answer of megabytes), in the REST API and
 * on the repository page, for anonymous callers of a public repository; each tag points at a manifest of its own.
 */
class TagPagesTest extends BerthIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern TAG_NAME = Pattern.compile("<td class=\"tag-name\"><a [^>]*>([^<]+)</a>");
    private static final int TAGS = 30;

    @Test
    void theRestApiListsTagsAPageAtATimeWithTheCount() {
        String repository = pushTags("api");
        RestApi anonymous = RestApi.with(baseUri(), null);
        String tags = "/api/v1/repositories/" + repository + "/-/tags";

        JsonNode first = anonymous.get(tags).expect(200).json();
        assertThat(first.get("count").asLong()).isEqualTo(TAGS);
        assertThat(first.get("page").asInt()).isEqualTo(1);
        assertThat(first.get("size").asInt()).as("the default page").isEqualTo(25);
        assertThat(names(first)).isEqualTo(tagNames(0, 25));
        JsonNode tag = first.get("results").get(0);
        assertThat(tag.get("digest").asString()).startsWith("sha256:");
        assertThat(tag.get("size").asLong()).isPositive();
        assertThat(tag.get("platforms").toString()).contains("amd64");

        assertThat(names(anonymous.get(tags + "?page=2").expect(200).json())).isEqualTo(tagNames(25, 30));
        assertThat(names(anonymous.get(tags + "?page=3&size=10").expect(200).json())).isEqualTo(tagNames(20, 30));
        JsonNode beyond = anonymous.get(tags + "?page=4&size=10").expect(200).json();
        assertThat(names(beyond)).isEmpty();
        assertThat(beyond.get("count").asLong()).isEqualTo(TAGS);
        assertThat(names(anonymous.get(tags + "?size=100").expect(200).json())).isEqualTo(tagNames(0, 30));

        assertThat(anonymous.get(tags + "?size=101").expect(400).message()).contains("size is between 1 and 100");
        assertThat(anonymous.get(tags + "?page=0").expect(400).message()).contains("page counts from 1");
        anonymous.get(tags + "?size=many").expect(400);
    }

    @Test
    void theRepositoryPageShowsAPageOfTagsWithLinksToTheOthers() {
        String repository = pushTags("page");
        PageClient browser = new PageClient(baseUri());

        String first = browser.get("/r/" + repository).body();
        assertThat(tagNames(first)).isEqualTo(tagNames(0, 25));
        assertThat(first).contains("30 tags, 25 a page", "rel=\"next\" href=\"/r/" + repository + "?page=2\"")
                .doesNotContain("rel=\"prev\"");
        assertThat(first).as("the pull line names the tag pushed last: there is no latest")
                .contains("docker pull " + registryHost() + "/" + repository + ":t29<");

        String second = browser.get("/r/" + repository + "?page=2").body();
        assertThat(tagNames(second)).isEqualTo(tagNames(25, 30));
        assertThat(second).contains("rel=\"prev\" href=\"/r/" + repository + "?page=1\"").doesNotContain("rel=\"next\"");

        assertThat(browser.get("/r/" + repository + "?page=0").statusCode()).isEqualTo(400);
    }

    @Test
    void pagesOfAPrivateRepositoryAreNotFoundForOutsidersAsForAMissingOne() {
        String repository = pushTags("private");
        RestApi admin = RestApi.basic(baseUri(), ADMIN, ADMIN_PASSWORD);
        admin.call("PATCH", "/api/v1/repositories/" + repository, Map.of("visibility", "private")).expect(200);
        RestApi anonymous = RestApi.with(baseUri(), null);

        RestApi.Answer hidden = anonymous.get("/api/v1/repositories/" + repository + "/-/tags?page=2&size=5").expect(404);
        RestApi.Answer missing = anonymous.get("/api/v1/repositories/" + repository + "-never/-/tags?page=2&size=5")
                .expect(404);
        assertThat(hidden.body()).isEqualTo(missing.body().replace("-never", ""));
        assertThat(admin.get("/api/v1/repositories/" + repository + "/-/tags?page=2&size=5").expect(200).json()
                .get("count").asLong()).isEqualTo(TAGS);
    }

    /** Pushes {@link #TAGS} tags {@code t00}, {@code t01}, ... in that order, each to a manifest of its own. */
    private String pushTags(String prefix) {
        String repository = ADMIN + "/" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        RegistryClient registry = registry();
        RegistryClient.Image image = registry.pushImage(repository, "t00");
        ObjectNode manifest = (ObjectNode) JSON.readTree(image.manifest());
        for (int i = 1; i < TAGS; i++) {
            manifest.putObject("annotations").put("org.example.tag-number", Integer.toString(i));
            expect(registry.putManifest(repository, tagName(i), RegistryClient.OCI_MANIFEST,
                    JSON.writeValueAsString(manifest).getBytes(StandardCharsets.UTF_8)), 201);
        }
        return repository;
    }

    private static String tagName(int i) {
        return String.format("t%02d", i);
    }

    private static List<String> tagNames(int from, int to) {
        return IntStream.range(from, to).mapToObj(TagPagesTest::tagName).toList();
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.get("results").forEach(tag -> names.add(tag.get("name").asString()));
        return names;
    }

    /** The tag names of a repository page's table, in order. */
    private static List<String> tagNames(String html) {
        List<String> names = new ArrayList<>();
        Matcher name = TAG_NAME.matcher(html);
        while (name.find()) {
            names.add(name.group(1));
        }
        return names;
    }
}
