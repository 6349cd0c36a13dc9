package io.berth.engine.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.EngineRequirement;
import io.berth.support.UnixHttp;

/** {@code GET /events}: what was published, filtered, live and from the past. */
class EngineEventsApiTest extends BerthIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private Environment environment;

    @Autowired
    private ApplicationContext context;

    private Path socket;
    private EngineEvents events;

    @BeforeEach
    void engineRuns() {
        EngineRequirement.assumeEngine();
        socket = Path.of(environment.getRequiredProperty("berth.engine.socket"));
        events = context.getBean(EngineEvents.class);
    }

    @Test
    void pastEventsBetweenSinceAndUntil() throws IOException {
        String id = UUID.randomUUID().toString();
        double since = seconds(Instant.now().minusSeconds(1));
        events.publish("container", "create", id, Map.of("name", "past-" + id));
        double until = seconds(Instant.now().plusMillis(50));

        UnixHttp.Response response = UnixHttp.request(socket, "GET",
                "/v1.47/events?since=" + since + "&until=" + until + "&filters=" + filters("{\"container\":{\"" + id + "\":true}}"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode event = JSON.readTree(response.body().strip());
        assertThat(event.path("Type").asString()).isEqualTo("container");
        assertThat(event.path("Action").asString()).isEqualTo("create");
        assertThat(event.path("Actor").path("ID").asString()).isEqualTo(id);
        assertThat(event.path("Actor").path("Attributes").path("name").asString()).isEqualTo("past-" + id);
        assertThat(event.path("scope").asString()).isEqualTo("local");
        assertThat(event.path("timeNano").asLong() / 1_000_000_000L).isEqualTo(event.path("time").asLong());
    }

    @Test
    void liveEventsOfTheRequestedTypeOnly() throws Exception {
        String id = UUID.randomUUID().toString();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (UnixHttp stream = UnixHttp.open(socket, "GET", "/events?filters=" + filters("{\"type\":[\"image\"]}"))) {
            // The head arrives before any event: clients wait for it.
            assertThat(stream.status).isEqualTo(200);
            assertThat(stream.headers.get("api-version")).isEqualTo("1.47");
            Future<String> line = reader.submit(stream::readLine);

            events.publish("container", "start", id, Map.of());
            events.publish("image", "pull", "busybox:" + id, Map.of("name", "busybox:" + id));

            JsonNode event = JSON.readTree(line.get(10, TimeUnit.SECONDS));
            assertThat(event.path("Type").asString()).isEqualTo("image");
            assertThat(event.path("Action").asString()).isEqualTo("pull");
            assertThat(event.path("Actor").path("ID").asString()).isEqualTo("busybox:" + id);
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    void streamEndsAtUntil() throws Exception {
        double until = seconds(Instant.now().plus(Duration.ofMillis(300)));
        UnixHttp.Response response = UnixHttp.request(socket, "GET",
                "/events?until=" + until + "&filters=" + filters("{\"type\":[\"no-such-type\"]}"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void badTimesAreRefused() throws IOException {
        UnixHttp.Response response = UnixHttp.request(socket, "GET", "/events?since=yesterday");
        assertThat(response.status()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("message").asString()).isEqualTo("invalid value for since: yesterday");
    }

    private static String filters(String json) {
        return URLEncoder.encode(json, StandardCharsets.UTF_8);
    }

    private static double seconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }
}
