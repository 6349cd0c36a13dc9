package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

import io.berth.engine.runtime.ContainerRuntime;
import io.berth.support.BerthIntegrationTest;
import io.berth.support.DockerCli;
import io.berth.support.EngineRequirement;
import io.berth.support.OciImages;
import io.berth.support.RequiredTools;

/**
 * Testcontainers, unmodified, against the Engine: it pulls the Hub's busybox through the Engine, waits for a log
 * line, reads the logs, execs, copies a file in and stops the container.
 *
 * <p>Testcontainers takes Ryuk's switch from the environment only: pom.xml gives the test JVM
 * {@code TESTCONTAINERS_RYUK_DISABLED}, {@code TESTCONTAINERS_CHECKS_DISABLE} and {@code TESTCONTAINERS_HOST_OVERRIDE}.
 * The Engine's socket is only known at run time, so {@code DOCKER_HOST} is a system property, which docker-java
 * reads after the environment and Testcontainers honours with {@code TESTCONTAINERS_DOCKERCONFIG_SOURCE=
 * autoIgnoringUserProperties} (also from pom.xml); it must be set before Testcontainers' first call, which caches
 * the client for the rest of the JVM.
 */
class TestcontainersTest extends BerthIntegrationTest {

    /** busybox httpd serving a page as /index.html on port 80, in the foreground. */
    private static final String SERVE = "mkdir -p /www && echo '%s' > /www/index.html && exec httpd -f -p 80 -h /www";

    @Autowired
    private ObjectProvider<ContainerRuntime> runtime;

    @Test
    void genericContainerRunsLogsExecsAndCopiesThroughTheEngine() throws Exception {
        EngineRequirement.assumeEngine();
        Assumptions.assumeTrue(runtime.getIfAvailable() != null, "no container runtime on this node yet");
        Assumptions.assumeTrue("true".equals(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))
                        && "autoIgnoringUserProperties".equals(System.getenv("TESTCONTAINERS_DOCKERCONFIG_SOURCE")),
                "run with the TESTCONTAINERS_* variables of pom.xml's surefire configuration (Maven sets them)");
        System.setProperty("DOCKER_HOST", "unix://" + engineSocket());
        String image = pushBusybox();

        try (GenericContainer<?> busybox = new GenericContainer<>(DockerImageName.parse(image))
                .withCommand("sh", "-c", "echo started on $(hostname); echo to-stderr >&2; exec sleep 1000")
                .waitingFor(Wait.forLogMessage("started on .*\\n", 1).withStartupTimeout(Duration.ofMinutes(1)))) {
            busybox.start();

            assertThat(busybox.getLogs()).contains("started on ").contains("to-stderr");
            assertThat(busybox.isRunning()).isTrue();

            Container.ExecResult ps = busybox.execInContainer("sh", "-c", "cat /proc/1/cmdline | tr '\\0' ' '");
            assertThat(ps.getExitCode()).isZero();
            assertThat(ps.getStdout()).isEqualTo("sleep 1000 ");
            Container.ExecResult failing = busybox.execInContainer("sh", "-c", "echo oops >&2; exit 5");
            assertThat(failing.getExitCode()).isEqualTo(5);
            assertThat(failing.getStderr()).isEqualTo("oops\n");

            busybox.copyFileToContainer(Transferable.of("copied by testcontainers\n"), "/tmp/in/copied.txt");
            Container.ExecResult copied = busybox.execInContainer("cat", "/tmp/in/copied.txt");
            assertThat(copied.getExitCode()).isZero();
            assertThat(copied.getStdout()).isEqualTo("copied by testcontainers\n");

            String id = busybox.getContainerId();
            busybox.stop();
            assertThat(busybox.isRunning()).isFalse();
            try (DockerCli docker = DockerCli.against(engineSocket())) {
                // stop() removes the container (and its anonymous volumes) as well
                assertThat(docker.command("inspect", id).run().assertFailure().stderr()).contains("No such");
                docker.command("rmi", "-f", image).run();
            }
        }
    }

    @Test
    void anExposedPortIsServedOnTheMappedPort() throws Exception {
        String image = prepare();
        try (GenericContainer<?> web = new GenericContainer<>(DockerImageName.parse(image))
                .withCommand("sh", "-c", SERVE.formatted("mapped"))
                .withExposedPorts(80)
                .waitingFor(Wait.forHttp("/index.html").forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(1)))) {
            web.start();

            String url = "http://" + web.getHost() + ":" + web.getMappedPort(80) + "/index.html";
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).isEqualTo("mapped\n");
        } finally {
            removeImage(image);
        }
    }

    @Test
    void containersOnANetworkReachEachOtherByAlias() {
        String image = prepare();
        try (Network network = Network.newNetwork();
                GenericContainer<?> server = new GenericContainer<>(DockerImageName.parse(image))
                        .withCommand("sh", "-c", SERVE.formatted("by alias"))
                        .withNetwork(network).withNetworkAliases("backend");
                GenericContainer<?> client = new GenericContainer<>(DockerImageName.parse(image))
                        .withCommand("sleep", "1000").withNetwork(network)) {
            server.start();
            client.start();

            Container.ExecResult fetched = awaitFetch(client, "http://backend/index.html");
            assertThat(fetched.getStdout()).isEqualTo("by alias\n");
        } finally {
            removeImage(image);
        }
    }

    /** The first fetch that works: httpd starts a moment after its container. */
    private static Container.ExecResult awaitFetch(GenericContainer<?> client, String url) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try {
            while (true) {
                Container.ExecResult result = client.execInContainer("wget", "-qO-", url);
                if (result.getExitCode() == 0 || System.nanoTime() > deadline) {
                    return result;
                }
                Thread.sleep(100);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String prepare() {
        EngineRequirement.assumeEngine();
        Assumptions.assumeTrue(runtime.getIfAvailable() != null, "no container runtime on this node yet");
        Assumptions.assumeTrue("true".equals(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))
                        && "autoIgnoringUserProperties".equals(System.getenv("TESTCONTAINERS_DOCKERCONFIG_SOURCE")),
                "run with the TESTCONTAINERS_* variables of pom.xml's surefire configuration (Maven sets them)");
        RequiredTools.require("/usr/lib/cni/bridge", "containernetworking-plugins");
        RequiredTools.require("/usr/lib/podman/aardvark-dns", "aardvark-dns");
        System.setProperty("DOCKER_HOST", "unix://" + engineSocket());
        return pushBusybox();
    }

    private void removeImage(String image) {
        try (DockerCli docker = DockerCli.against(engineSocket())) {
            docker.command("rmi", "-f", image).run();
        }
    }

    /** The Hub's busybox under a repository of its own; Testcontainers pulls it through the Engine. */
    private String pushBusybox() {
        String repository = "testcontainers/busybox-" + UUID.randomUUID().toString().substring(0, 8);
        OciImages.Image busybox = OciImages.busybox(true);
        registry().push(repository, "1", busybox);
        return registryHost() + "/" + repository + ":1";
    }
}
