package io.berth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;

import tools.jackson.databind.JsonNode;

import io.berth.engine.EngineAvailable;
import io.berth.support.BerthIntegrationTest;
import io.berth.support.Commands;
import io.berth.support.EngineRequirement;
import io.berth.support.OciImages;
import io.berth.support.RegistryClient;
import io.berth.support.RequiredTools;

/**
 * What an operator checks with curl: health and its probes, Prometheus with Berth's own meters, {@code hub},
 * {@code engine} and {@code info} on the management port, and none of it on the Hub's public port.
 */
class ActuatorCurlTest extends BerthIntegrationTest {

    @LocalManagementPort
    private int managementPort;

    private final Curl curl = new Curl();

    private String management(String path) {
        return "http://127.0.0.1:" + managementPort + "/actuator" + path;
    }

    private JsonNode managementJson(String path) {
        Curl.Response response = curl.get(management(path));
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(200);
        return response.json();
    }

    private PrometheusScrape scrape() {
        Curl.Response response = curl.get(management("/prometheus"));
        assertThat(response.status()).isEqualTo(200);
        return PrometheusScrape.parse(response.body());
    }

    private static boolean engineRuns() {
        return EngineAvailable.reason(true) == null;
    }

    @Test
    void healthIsUpWithTheDatabaseBlobStorageAndTheEngine() {
        JsonNode health = managementJson("/health");
        assertThat(health.path("status").asString()).isEqualTo("UP");
        JsonNode components = health.path("components");
        assertThat(components.path("db").path("status").asString()).isEqualTo("UP");
        JsonNode blobStorage = components.path("blobStorage");
        assertThat(blobStorage.path("status").asString()).isEqualTo("UP");
        assertThat(blobStorage.path("details").path("blobs").path("path").asString())
                .isEqualTo(dataDir().resolve("blobs").toString());
        assertThat(blobStorage.path("details").path("blobs").path("writable").asBoolean()).isTrue();
        assertThat(blobStorage.path("details").path("uploads").path("free").asLong()).isPositive();
        if (engineRuns()) {
            JsonNode engine = components.path("engine");
            assertThat(engine.path("status").asString()).isEqualTo("UP");
            Path berthInit = Path.of(engine.path("details").path("berthInit").asString());
            assertThat(berthInit).isEqualTo(dataDir().resolve("engine/bin/berth-init"));
            assertThat(Files.isExecutable(berthInit)).isTrue();
            assertThat(engine.path("details").path("socket").asString()).isEqualTo(engineSocket().toString());
            assertThat(engine.path("details").path("runtime").asString()).isIn("native", "runc", "crun");
            assertThat(engine.path("details").path("storageDriver").asString()).isIn("overlay", "vfs");
            assertThat(engine.path("details").path("cgroupLayout").asString()).isIn("v1", "v2", "hybrid");
        } else {
            assertThat(components.has("engine")).isFalse();
        }
    }

    @Test
    void livenessAndReadinessProbesAnswer200WithTheirOwnComponents() {
        JsonNode liveness = managementJson("/health/liveness");
        assertThat(liveness.path("status").asString()).isEqualTo("UP");
        assertThat(fieldNames(liveness.path("components"))).containsExactly("livenessState");

        JsonNode readiness = managementJson("/health/readiness");
        assertThat(readiness.path("status").asString()).isEqualTo("UP");
        List<String> expected = new ArrayList<>(List.of("blobStorage", "db", "readinessState"));
        if (engineRuns()) {
            expected.add("engine");
        }
        assertThat(fieldNames(readiness.path("components"))).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void prometheusCountsAPushAndAPullAndShowsTheStoredBytes() {
        PrometheusScrape before = scrape();
        String repository = "ops/metrics-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] config = RegistryClient.config();
        byte[] layer = RegistryClient.bytes("layer of " + repository);
        RegistryClient client = registry();
        RegistryClient.Image image = client.pushImage(repository, "1", config, layer, RegistryClient.Upload.POST_PUT);
        RegistryClient.expect(client.get("/v2/" + repository + "/manifests/1",
                "Accept", RegistryClient.OCI_MANIFEST), 200);
        RegistryClient.expect(client.get("/v2/" + repository + "/blobs/" + image.layer()), 200);

        PrometheusScrape after = scrape();
        assertThat(after.value("berth_hub_pushes_total") - before.value("berth_hub_pushes_total")).isEqualTo(1);
        assertThat(after.value("berth_hub_pulls_total") - before.value("berth_hub_pulls_total")).isEqualTo(1);
        assertThat(after.value("berth_hub_bytes_received_bytes_total")
                - before.value("berth_hub_bytes_received_bytes_total")).isEqualTo(config.length + layer.length);
        assertThat(after.value("berth_hub_bytes_sent_bytes_total")
                - before.value("berth_hub_bytes_sent_bytes_total")).isEqualTo(layer.length);
        assertThat(after.names()).contains("http_server_requests_seconds_bucket", "jvm_memory_used_bytes",
                "process_cpu_usage");
        assertThat(after.samples().keySet()).anyMatch(sample -> sample.startsWith("http_server_requests_seconds_bucket{")
                && sample.contains("uri=\"/v2/{name}/manifests/{reference}\""));

        // /actuator/hub reads the figures anew; the gauges show the same ones until they are read again.
        JsonNode hub = managementJson("/hub");
        PrometheusScrape gauges = scrape();
        assertThat(gauges.value("berth_hub_storage_bytes")).isEqualTo(hub.path("bytesStored").asDouble());
        assertThat(gauges.value("berth_hub_repositories")).isEqualTo(hub.path("repositories").asDouble());
        assertThat(gauges.value("berth_hub_storage_bytes")).isGreaterThanOrEqualTo(config.length + layer.length);
    }

    @Test
    void hubEndpointCountsWhatIsPushedUploadedAndCollected() {
        JsonNode before = managementJson("/hub");
        String repository = "ops/hub-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] config = RegistryClient.config();
        byte[] layer = RegistryClient.bytes("layer " + UUID.randomUUID());
        RegistryClient client = registry();
        RegistryClient.Image image = client.pushImage(repository, "1", config, layer, RegistryClient.Upload.POST_PUT);
        RegistryClient.expect(client.putManifest(repository, "latest", RegistryClient.OCI_MANIFEST, image.manifest()),
                201);
        String upload = RegistryClient.expect(client.send("POST", "/v2/" + repository + "/blobs/uploads/", new byte[0]),
                202).headers().firstValue("Location").orElseThrow();

        JsonNode after = managementJson("/hub");
        assertThat(after.path("repositories").asLong() - before.path("repositories").asLong()).isEqualTo(1);
        assertThat(after.path("tags").asLong() - before.path("tags").asLong()).isEqualTo(2);
        assertThat(after.path("manifests").asLong() - before.path("manifests").asLong()).isEqualTo(1);
        assertThat(after.path("blobs").asLong() - before.path("blobs").asLong()).isEqualTo(2);
        assertThat(after.path("bytesStored").asLong() - before.path("bytesStored").asLong())
                .isEqualTo(config.length + layer.length);
        assertThat(after.path("uploadsInProgress").asLong() - before.path("uploadsInProgress").asLong()).isEqualTo(1);

        RegistryClient.expect(client.send("DELETE", upload, null), 204);
        assertThat(managementJson("/hub").path("uploadsInProgress").asLong())
                .isEqualTo(before.path("uploadsInProgress").asLong());

        // A collection now (everything is younger than the grace period, so it keeps it all), as an admin runs it.
        String adminAuth = "Authorization: Basic " + Base64.getEncoder().encodeToString(
                (ADMIN + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        Curl.Response gc = curl.request("POST", baseUri() + "/api/v1/admin/gc", null, adminAuth);
        assertThat(gc.status()).as(gc.body()).isEqualTo(200);
        // The last run as the admin API reads it back from the database (whose timestamps are microseconds).
        JsonNode stored = curl.request("GET", baseUri() + "/api/v1/admin/gc", null, adminAuth).json();
        assertThat(stored.path("trigger").asString()).isEqualTo(gc.json().path("trigger").asString());
        JsonNode lastGc = managementJson("/hub").path("lastGc");
        assertThat(lastGc.path("trigger").asString()).isEqualTo(stored.path("trigger").asString());
        for (String time : List.of("startedAt", "finishedAt")) {
            assertThat(Instant.parse(lastGc.path(time).asString())).as(time)
                    .isEqualTo(Instant.parse(stored.path(time).asString()));
        }
        for (String figure : List.of("linksRemoved", "blobsRemoved", "bytesFreed", "uploadsRemoved")) {
            assertThat(lastGc.path(figure).asLong()).as(figure).isEqualTo(gc.json().path(figure).asLong());
        }
        assertThat(managementJson("/hub").path("blobs").asLong()).isEqualTo(after.path("blobs").asLong());
    }

    @Test
    void engineEndpointAndMetersAgreeWithTheEngineApi() {
        EngineRequirement.assumeEngine();
        Curl engineApi = curl.overUnixSocket(engineSocket());
        String repository = "ops/busybox-" + UUID.randomUUID().toString().substring(0, 8);
        OciImages.Image image = OciImages.busybox(true);
        registry().push(repository, "1", image);
        String name = registryHost() + "/" + repository + ":1";
        PrometheusScrape before = scrape();

        Curl.Response pull = engineApi.request("POST", "http://engine/v1.41/images/create?fromImage="
                + URLEncoder.encode(registryHost() + "/" + repository, StandardCharsets.UTF_8) + "&tag=1", null,
                "X-Registry-Auth: e30=");
        assertThat(pull.status()).as(pull.body()).isEqualTo(200);
        assertThat(pull.body()).doesNotContain("\"error\"");
        String id = null;
        try {
            Curl.Response created = engineApi.request("POST", "http://engine/v1.41/containers/create", "{\"Image\":\""
                    + name + "\",\"Cmd\":[\"sleep\",\"120\"]}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            id = created.json().path("Id").asString();
            Curl.Response started = engineApi.request("POST", "http://engine/v1.41/containers/" + id + "/start", null);
            assertThat(started.status()).as(started.body()).isEqualTo(204);

            JsonNode info = engineApi.get("http://engine/v1.41/info").json();
            JsonNode engine = managementJson("/engine");
            JsonNode containers = engine.path("containers");
            assertThat(fieldNames(containers)).containsExactly("created", "running", "paused", "restarting",
                    "removing", "exited", "dead");
            long total = 0;
            for (String state : fieldNames(containers)) {
                total += containers.path(state).asLong();
            }
            assertThat(total).isEqualTo(info.path("Containers").asLong());
            assertThat(containers.path("running").asLong()).isEqualTo(info.path("ContainersRunning").asLong())
                    .isPositive();
            assertThat(engine.path("images").asLong()).isEqualTo(info.path("Images").asLong()).isPositive();
            long imageSize = engineApi.get("http://engine/v1.41/images/" + name + "/json").json().path("Size").asLong();
            assertThat(engine.path("imageBytes").asLong()).isGreaterThanOrEqualTo(imageSize).isPositive();
            assertThat(engine.path("runtime").asString()).isEqualTo(info.path("DefaultRuntime").asString());
            assertThat(engine.path("cgroupVersion").asString()).isEqualTo(info.path("CgroupVersion").asString());
            assertThat(engine.path("storageDriver").asString()).isEqualTo(info.path("Driver").asString());
            assertThat(engine.path("cgroupLayout").asString()).isIn("v1", "v2", "hybrid");

            PrometheusScrape after = scrape();
            String starts = "berth_engine_container_start_seconds_count{outcome=\"success\"}";
            assertThat(after.value(starts) - before.value(starts)).isEqualTo(1);
            assertThat(after.value("berth_engine_container_start_seconds_sum{outcome=\"success\"}"))
                    .isGreaterThan(before.value("berth_engine_container_start_seconds_sum{outcome=\"success\"}"));
            assertThat(after.value("berth_engine_containers{state=\"running\"}"))
                    .isEqualTo(containers.path("running").asDouble());
            assertThat(after.value("berth_engine_images")).isEqualTo(engine.path("images").asDouble());
        } finally {
            if (id != null) {
                engineApi.request("DELETE", "http://engine/v1.41/containers/" + id + "?force=1", null);
            }
            engineApi.request("DELETE", "http://engine/v1.41/images/" + name, null);
        }
    }

    @Test
    void infoHasTheBuildAndTheGitCommit() {
        JsonNode info = managementJson("/info");
        assertThat(info.path("build").path("artifact").asString()).isEqualTo("berth");
        assertThat(info.path("build").path("version").asString()).isNotBlank();
        assertThat(info.path("build").path("time").asString()).isNotBlank();
        Path git = RequiredTools.require("git", "git");
        String commit = info.path("git").path("commit").path("id").asString();
        assertThat(commit).hasSizeGreaterThanOrEqualTo(7);
        assertThat(info.path("git").path("branch").asString()).isNotBlank();
        assertThat(Instant.parse(info.path("git").path("commit").path("time").asString())).isBefore(Instant.now());
        if (Files.isDirectory(Path.of(".git"))) {
            String head = Commands.succeed(git.toString(), "rev-parse", "HEAD").stdout().strip();
            assertThat(head).startsWith(commit);
        } else {
            // A linked worktree, where the plugin reads the main checkout's HEAD (its issue 882): a commit of this
            // repository all the same.
            Commands.succeed(git.toString(), "cat-file", "-e", commit + "^{commit}");
        }
    }

    @Test
    void noActuatorEndpointExistsOnTheHubsPublicPort() {
        for (String path : List.of("", "/health", "/health/liveness", "/health/readiness", "/prometheus", "/hub",
                "/engine", "/info", "/metrics", "/metrics/berth.hub.pushes", "/env", "/beans", "/configprops")) {
            Curl.Response response = curl.get(baseUri() + "/actuator" + path);
            assertThat(response.status()).as("/actuator" + path + " on the Hub's port: " + response.body())
                    .isEqualTo(404);
        }
        // While on the management port those exposed answer, and what is not exposed does not exist there either.
        for (String path : List.of("", "/health", "/prometheus", "/hub", "/info", "/metrics",
                "/metrics/berth.hub.pushes")) {
            assertThat(curl.get(management(path)).status()).as(path).isEqualTo(200);
        }
        for (String path : List.of("/env", "/beans", "/configprops", "/heapdump")) {
            assertThat(curl.get(management(path)).status()).as(path).isEqualTo(404);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }
}

