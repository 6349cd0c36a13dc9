package io.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.EngineRequirement;
import io.berth.support.OciImages;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The image endpoints over the Engine's unix socket, with the requests the docker CLI sends. */
class ImagesApiTest extends BerthIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeEach
    void engine() {
        EngineRequirement.assumeEngine();
    }

    @Test
    void pullInspectTagListAndRemoveAsTheDockerCliDoes() throws IOException {
        String repository = "engine-api/busybox-" + UUID.randomUUID().toString().substring(0, 8);
        OciImages.Image image = OciImages.busybox(true);
        registry().push(repository, "1", image);
        String name = registryHost() + "/" + repository;

        SocketHttp.Response pull = call("POST", "/v1.41/images/create?fromImage=" + encode(name) + "&tag=1",
                "X-Registry-Auth", "e30=");
        assertThat(pull.status()).isEqualTo(200);
        assertThat(pull.headers().get("content-type")).startsWith("application/json");
        assertThat(pull.headers().get("transfer-encoding")).isEqualTo("chunked");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : pull.body().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines.get(0).toString()).isEqualTo("{\"status\":\"Pulling from " + repository + "\",\"id\":\"1\"}");
        assertThat(lines).noneMatch(line -> line.has("error"));
        assertThat(lines.get(lines.size() - 2).path("status").asString())
                .isEqualTo("Digest: " + image.manifest().digest());
        assertThat(lines.get(lines.size() - 1).toString())
                .isEqualTo("{\"status\":\"Status: Downloaded newer image for " + name + ":1\"}");

        // A name with a registry port and slashes, before a sub-resource.
        SocketHttp.Response inspect = call("GET", "/v1.41/images/" + name + ":1/json");
        assertThat(inspect.status()).isEqualTo(200);
        JsonNode inspected = JSON.readTree(inspect.body());
        assertThat(inspected.path("Id").asString()).isEqualTo(image.config().digest());
        assertThat(inspected.path("RepoTags").toString()).isEqualTo("[\"" + name + ":1\"]");
        assertThat(inspected.path("RootFS").path("Layers").size()).isEqualTo(3);
        assertThat(call("GET", "/v1.41/images/" + name + ":1/history").status()).isEqualTo(200);

        SocketHttp.Response tag = call("POST", "/v1.41/images/" + name + ":1/tag?repo="
                + encode("berth-api/copy") + "&tag=2");
        assertThat(tag.status()).isEqualTo(201);
        assertThat(tag.body()).isEmpty();

        JsonNode list = JSON.readTree(call("GET", "/v1.41/images/json").body());
        JsonNode entry = null;
        for (JsonNode candidate : list) {
            if (candidate.path("Id").asString().equals(image.config().digest())) {
                entry = candidate;
            }
        }
        assertThat(entry).isNotNull();
        assertThat(entry.path("RepoTags").toString()).contains("\"berth-api/copy:2\"", "\"" + name + ":1\"");
        assertThat(entry.path("RepoDigests").toString()).isEqualTo("[\"" + name + "@" + image.manifest().digest()
                + "\"]");
        // Filtered by reference, an image shows only the names that match, as dockerd lists it.
        JsonNode copies = JSON.readTree(call("GET", "/v1.41/images/json?filters="
                + encode("{\"reference\":[\"berth-api/copy\"]}")).body());
        assertThat(copies).filteredOn(candidate -> candidate.path("Id").asString().equals(image.config().digest()))
                .singleElement().satisfies(copy -> {
                    assertThat(copy.path("RepoTags").toString()).isEqualTo("[\"berth-api/copy:2\"]");
                    assertThat(copy.path("RepoDigests").toString()).isEqualTo("[]");
                });
        JsonNode pulled = JSON.readTree(call("GET", "/v1.41/images/json?filters="
                + encode("{\"reference\":{\"" + name + "\":true}}")).body());
        assertThat(pulled).singleElement().satisfies(original -> {
            assertThat(original.path("RepoTags").toString()).isEqualTo("[\"" + name + ":1\"]");
            assertThat(original.path("RepoDigests").toString())
                    .isEqualTo("[\"" + name + "@" + image.manifest().digest() + "\"]");
        });

        SocketHttp.Response untag = call("DELETE", "/v1.41/images/" + name + ":1");
        assertThat(untag.status()).isEqualTo(200);
        assertThat(untag.body()).isEqualTo("[{\"Untagged\":\"" + name + ":1\"},{\"Untagged\":\"" + name + "@"
                + image.manifest().digest() + "\"}]");
        SocketHttp.Response delete = call("DELETE", "/v1.41/images/berth-api/copy:2");
        assertThat(delete.status()).isEqualTo(200);
        assertThat(delete.body()).startsWith("[{\"Untagged\":\"berth-api/copy:2\"},{\"Deleted\":\""
                + image.config().digest() + "\"}");

        SocketHttp.Response gone = call("GET", "/v1.41/images/berth-api/copy:2/json");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.body()).contains("{\"message\":\"No such image: berth-api/copy:2\"}");
    }

    @Test
    void aMissingManifestIsAPlain404BeforeStreaming() throws IOException {
        String repository = "engine-api/present-" + UUID.randomUUID().toString().substring(0, 8);
        registry().pushImage(repository, "v1");
        String name = registryHost() + "/" + repository;
        SocketHttp.Response pull = call("POST", "/v1.41/images/create?fromImage=" + encode(name) + "&tag=nosuch",
                "X-Registry-Auth", "e30=");
        assertThat(pull.status()).isEqualTo(404);
        assertThat(JSON.readTree(pull.body()).path("message").asString())
                .startsWith("manifest for " + name + ":nosuch not found: manifest unknown");
    }

    @Test
    void pushStreamsProgressAndEndsWithTheDigest() throws IOException {
        String repository = "engine-api/push-" + UUID.randomUUID().toString().substring(0, 8);
        OciImages.Image image = OciImages.busybox(true);
        registry().push(repository, "1", image);
        String pulled = registryHost() + "/" + repository + ":1";
        assertThat(call("POST", "/v1.41/images/create?fromImage=" + encode(pulled), "X-Registry-Auth", "e30=").status())
                .isEqualTo(200);
        // "localhost" is another registry name for the same Hub: no repository there to mount from, so every layer
        // is uploaded.
        String target = "localhost" + registryHost().substring(registryHost().indexOf(':')) + "/" + repository + "-copy";
        assertThat(call("POST", "/v1.41/images/" + pulled + "/tag?repo=" + encode(target) + "&tag=2").status())
                .isEqualTo(201);

        SocketHttp.Response push = call("POST", "/v1.41/images/" + target + "/push?tag=2", "X-Registry-Auth",
                registryAuth(io.berth.support.TestAccounts.ADMIN, io.berth.support.TestAccounts.ADMIN_PASSWORD));
        assertThat(push.status()).isEqualTo(200);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : push.body().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).noneMatch(line -> line.has("error"));
        assertThat(lines.get(0).toString()).isEqualTo("{\"status\":\"The push refers to repository [" + target + "]\"}");
        assertThat(lines).filteredOn(line -> line.path("status").asString().equals("Preparing")).hasSize(3);
        assertThat(lines).filteredOn(line -> line.path("status").asString().equals("Pushed")).hasSize(3);
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("status").asString()).isEqualTo("Pushing");
            assertThat(line.path("progressDetail").path("total").asLong()).isPositive();
            assertThat(line.path("progress").asString()).startsWith("[");
        });
        JsonNode aux = lines.get(lines.size() - 1).path("aux");
        assertThat(aux.path("Tag").asString()).isEqualTo("2");
        assertThat(aux.path("Digest").asString()).isEqualTo(image.manifest().digest());
        assertThat(aux.path("Size").asLong()).isEqualTo(image.manifest().bytes().length);
        String copy = target.substring(target.indexOf('/') + 1);
        assertThat(registry().head("/v2/" + copy + "/manifests/2", "Accept", OciImages.MANIFEST_TYPE).statusCode())
                .isEqualTo(200);

        SocketHttp.Response missing = call("POST", "/v1.41/images/" + target + "/push?tag=nosuch");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"message\":\"An image does not exist locally with the tag: "
                + target + "\"}");
    }

    private static String registryAuth(String user, String password) {
        String json = "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
        return java.util.Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private SocketHttp.Response call(String method, String path, String... headers) throws IOException {
        return SocketHttp.exchange(engineSocket(), method, path, headers);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
