package io.berth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import io.berth.support.BerthProcess;
import io.berth.support.EngineRequirement;

/**
 * Health, endpoints and meters on nodes where a role is off: each node starts (BerthProcess waits for its readiness
 * probe) and reports what it runs, nothing of what it does not, and nothing on its public port.
 */
class OpsRolesTest {

    @TempDir
    Path temp;

    private final Curl curl = new Curl();

    @Test
    void hubOnlyNodeHasBlobStorageHealthAndTheHubEndpointButNothingOfTheEngine() {
        try (BerthProcess berth = BerthProcess.start(temp.resolve("data"), "--berth.engine.enabled=false")) {
            JsonNode components = health(berth, "/health");
            assertThat(components.path("blobStorage").path("status").asString()).isEqualTo("UP");
            assertThat(components.has("engine")).isFalse();
            JsonNode readiness = health(berth, "/health/readiness");
            assertThat(readiness.has("blobStorage")).isTrue();
            assertThat(readiness.has("engine")).isFalse();

            assertThat(get(berth, "/hub").json().path("repositories").asLong()).isZero();
            assertThat(get(berth, "/engine").status()).isEqualTo(404);
            PrometheusScrape scrape = PrometheusScrape.parse(get(berth, "/prometheus").body());
            assertThat(scrape.names()).contains("berth_hub_storage_bytes", "berth_hub_repositories",
                    "berth_hub_pushes_total");
            assertThat(scrape.names()).noneMatch(name -> name.startsWith("berth_engine_"));
            // Not recorded unless asked for (berth.ops.startup-timeline), so not served either.
            assertThat(get(berth, "/startup").status()).isEqualTo(404);
            assertNothingOnThePublicPort(berth);
        }
    }

    @Test
    void engineOnlyNodeHasEngineHealthAndTheEngineEndpointButNothingOfTheHub() {
        EngineRequirement.assumeEngine();
        try (BerthProcess berth = BerthProcess.start(temp.resolve("data"), "--berth.hub.enabled=false")) {
            JsonNode components = health(berth, "/health");
            assertThat(components.path("engine").path("status").asString()).isEqualTo("UP");
            assertThat(components.path("engine").path("details").path("socket").asString())
                    .isEqualTo(berth.engineSocket().toString());
            assertThat(components.has("blobStorage")).isFalse();
            JsonNode readiness = health(berth, "/health/readiness");
            assertThat(readiness.path("engine").path("status").asString()).isEqualTo("UP");
            assertThat(readiness.has("blobStorage")).isFalse();

            JsonNode engine = get(berth, "/engine").json();
            assertThat(engine.path("containers").path("running").asLong()).isZero();
            assertThat(engine.path("images").asLong()).isZero();
            assertThat(get(berth, "/hub").status()).isEqualTo(404);
            PrometheusScrape scrape = PrometheusScrape.parse(get(berth, "/prometheus").body());
            assertThat(scrape.value("berth_engine_containers{state=\"running\"}")).isZero();
            assertThat(scrape.value("berth_engine_images")).isZero();
            assertThat(scrape.names()).contains("berth_engine_container_start_seconds_bucket");
            assertThat(scrape.names()).noneMatch(name -> name.startsWith("berth_hub_"));
            assertNothingOnThePublicPort(berth);
        }
    }

    @Test
    void nodeWithNeitherRoleStillServesItsManagementPortWithTheStartupTimelineWhenAskedFor() {
        try (BerthProcess berth = BerthProcess.start(temp.resolve("data"), "--berth.hub.enabled=false",
                "--berth.engine.enabled=false", "--berth.ops.startup-timeline=true")) {
            Curl.Response startup = get(berth, "/startup");
            assertThat(startup.status()).as(startup.body()).isEqualTo(200);
            List<String> steps = new ArrayList<>();
            startup.json().path("timeline").path("events")
                    .forEach(event -> steps.add(event.path("startupStep").path("name").asString()));
            assertThat(steps).contains("spring.context.refresh", "spring.beans.instantiate");

            JsonNode components = health(berth, "/health");
            assertThat(components.has("db")).isTrue();
            assertThat(components.has("blobStorage")).isFalse();
            assertThat(components.has("engine")).isFalse();
            assertThat(get(berth, "/info").json().path("build").path("artifact").asString()).isEqualTo("berth");
            assertThat(PrometheusScrape.parse(get(berth, "/prometheus").body()).names())
                    .contains("jvm_memory_used_bytes")
                    .noneMatch(name -> name.startsWith("berth_"));
            assertThat(get(berth, "/hub").status()).isEqualTo(404);
            assertThat(get(berth, "/engine").status()).isEqualTo(404);
            assertNothingOnThePublicPort(berth);
        }
    }

    private Curl.Response get(BerthProcess berth, String path) {
        return curl.get(berth.managementUri() + "/actuator" + path);
    }

    /** The components of a health response that must be UP. */
    private JsonNode health(BerthProcess berth, String path) {
        Curl.Response response = get(berth, path);
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(200);
        assertThat(response.json().path("status").asString()).isEqualTo("UP");
        return response.json().path("components");
    }

    private void assertNothingOnThePublicPort(BerthProcess berth) {
        for (String path : new String[] {"/health", "/prometheus", "/hub", "/engine", "/info", "/metrics", "/env",
            "/startup"}) {
            assertThat(curl.get(berth.baseUri() + "/actuator" + path).status()).as(path).isEqualTo(404);
        }
    }
}
