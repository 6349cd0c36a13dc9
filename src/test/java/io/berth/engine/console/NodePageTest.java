package io.berth.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;

import io.berth.engine.runtime.ContainerRuntime;
import io.berth.support.BerthIntegrationTest;
import io.berth.support.Commands;
import io.berth.support.EngineRequirement;
import io.berth.support.EngineWithBusybox;
import io.berth.support.PageClient;
import io.berth.support.TestAccounts;

/**
 * The web UI's node page over HTTP, signed in as an administrator: containers the docker CLI runs on the Engine appear
 * with their state, the page's forms stop, start and remove them, and the container page's log stream delivers what
 * the container writes while it is open.
 */
class NodePageTest extends BerthIntegrationTest {

    @Autowired
    private ObjectProvider<ContainerRuntime> runtime;

    private EngineWithBusybox engine;
    private String image;

    @BeforeEach
    void setUp() {
        EngineRequirement.assumeEngine();
        Assumptions.assumeTrue(runtime.getIfAvailable() != null, "no container runtime on this node yet");
        engine = EngineWithBusybox.pull(engineSocket(), registry(), registryHost(), "node-page");
        image = engine.image();
    }

    @AfterEach
    void cleanUp() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void listsContainersWithTheirStateAndTheFormsStopStartAndRemoveThem() {
        String name = unique("web");
        String id = run(name, "echo hello; " + WAIT_FOR_STOP);
        PageClient admin = PageClient.signedIn(baseUri(), ADMIN, ADMIN_PASSWORD);

        HttpResponse<String> page = admin.get("/node");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Node · Berth</title>", "href=\"/node\">Node</a>", "<table id=\"images\"",
                image);
        String row = row(page.body(), id);
        assertThat(row).contains(">" + name + "</a>", id.substring(0, 12), image, "class=\"badge running\"", "up ",
                "default", "Stop " + name, "Force remove");

        HttpResponse<String> stopped = admin.submit("/node", "/node/containers/" + id + "/stop", Map.of());
        assertThat(stopped.statusCode()).isEqualTo(302);
        assertThat(stopped.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/node"));
        page = admin.get("/node");
        assertThat(page.body()).contains("Stopped " + name + ".");
        assertThat(row(page.body(), id)).contains("class=\"badge exited\"", "exited less than a minute ago (code 0)",
                "Start " + name);
        assertThat(docker("inspect", "--format", "{{.State.Status}}", id).assertSuccess().stdout().strip())
                .isEqualTo("exited");

        HttpResponse<String> started = admin.submit("/node/containers/" + id,
                "/node/containers/" + id + "/start", Map.of("back", "container"));
        assertThat(started.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/node/containers/" + id));
        HttpResponse<String> details = admin.get("/node/containers/" + id);
        assertThat(details.body()).contains("Started " + name + ".", "id=\"container-state\" class=\"badge running\"");
        assertThat(docker("inspect", "--format", "{{.State.Status}}", id).assertSuccess().stdout().strip())
                .isEqualTo("running");

        HttpResponse<String> refused = admin.submit("/node", "/node/containers/" + id + "/remove", Map.of());
        assertThat(refused.statusCode()).isEqualTo(302);
        assertThat(admin.get("/node").body()).as("a running container needs force")
                .contains("stop the container before removing or force remove");
        HttpResponse<String> removed = admin.submit("/node", "/node/containers/" + id + "/remove",
                Map.of("force", "true"));
        assertThat(removed.statusCode()).isEqualTo(302);
        page = admin.get("/node");
        assertThat(page.body()).contains("Removed " + name + ".").doesNotContain("data-id=\"" + id + "\"");
        assertThat(docker("inspect", id).assertFailure().stderr()).contains("No such");
    }

    @Test
    void theLogStreamDeliversALineTheContainerWritesWhileItIsOpen() throws Exception {
        String name = unique("logs");
        String marker = "live-" + UUID.randomUUID();
        String id = run(name, "echo first-line; trap 'exit 0' TERM; while true; do if [ -f /tmp/go ]; then echo "
                + marker + "; rm /tmp/go; fi; sleep 0.1; done");
        PageClient admin = PageClient.signedIn(baseUri(), ADMIN, ADMIN_PASSWORD);

        HttpResponse<String> page = admin.get("/node/containers/" + id);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>" + name + "</h1>", "<pre class=\"log\"",
                "data-stream=\"/node/containers/" + id + "/logs/stream\"", "src=\"/js/node-logs.js\"");

        HttpResponse<Stream<String>> stream = admin.lines("/node/containers/" + id + "/logs/stream",
                "text/event-stream");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try {
                stream.body().forEach(lines::add);
            } catch (UncheckedIOException e) {
                // the test hung up
            }
        }, "test-sse-reader");
        reader.setDaemon(true);
        try {
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            reader.start();
            awaitLine(lines, "data:first-line");
            assertThat(lines).as("the marker is not written yet").noneMatch(line -> line.contains(marker));

            docker("exec", id, "touch", "/tmp/go").assertSuccess();
            awaitLine(lines, "data:" + marker);

            docker("stop", id).assertSuccess();
            awaitLine(lines, "event:end");
        } finally {
            stream.body().close();
        }
    }

    @Test
    void anUnknownContainerIsNotFound() {
        PageClient admin = PageClient.signedIn(baseUri(), ADMIN, ADMIN_PASSWORD);
        HttpResponse<String> missing = admin.get("/node/containers/no-such-container-" + UUID.randomUUID());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("Not found", "no such container");
        assertThat(admin.lines("/node/containers/no-such-container/logs/stream", "text/event-stream").statusCode())
                .isEqualTo(404);
    }

    @Test
    void aPlainUserIsRefused() {
        String id = run(unique("private"), WAIT_FOR_STOP);
        TestAccounts.User user = TestAccounts.signUp(baseUri(), "node");
        PageClient plain = PageClient.signedIn(baseUri(), user.name(), user.password());
        assertThat(plain.get("/node").statusCode()).isEqualTo(403);
        assertThat(plain.get("/node/containers/" + id).statusCode()).isEqualTo(403);
        assertThat(plain.lines("/node/containers/" + id + "/logs/stream", "text/event-stream").statusCode())
                .isEqualTo(403);
        assertThat(plain.submit("/sign-in", "/node/containers/" + id + "/stop", Map.of()).statusCode())
                .isEqualTo(403);
        assertThat(plain.get("/sign-in").body()).doesNotContain("href=\"/node\"");
        assertThat(docker("inspect", "--format", "{{.State.Status}}", id).assertSuccess().stdout().strip())
                .isEqualTo("running");
    }

    /** A shell that ends at once on SIGTERM (as pid 1 it would ignore it otherwise, and stop would wait 10 s). */
    private static final String WAIT_FOR_STOP = "trap 'exit 0' TERM; while true; do sleep 0.1; done";

    private String run(String name, String script) {
        String id = docker("run", "-d", "--name", name, image, "sh", "-c", script).assertSuccess().stdout().strip();
        engine.removeAfterwards(id);
        return id;
    }

    /** The table row of one container on the node page. */
    private static String row(String page, String id) {
        Matcher row = Pattern.compile("<tr class=\"container\" data-id=\"" + id + "\">(.*?)</tr>", Pattern.DOTALL)
                .matcher(page);
        assertThat(row.find()).as("a row for %s in %s", id, page).isTrue();
        return row.group(1);
    }

    private static void awaitLine(BlockingQueue<String> lines, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
                if (line.equals(expected)) {
                    return;
                }
            }
        }
        throw new AssertionError("no line " + expected + " within 30 s; got " + seen);
    }

    private Commands.Result docker(String... arguments) {
        return engine.docker(arguments);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
