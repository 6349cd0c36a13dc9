package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.Commands;
import io.berth.support.EngineRequirement;
import io.berth.support.EngineWithBusybox;
import io.berth.support.RequiredTools;

/**
 * Debian's docker-compose (1.29, docker-py) against the Engine: a web server and a client that fetches its page by
 * the service's name go {@code up} on the project's network; {@code down} removes the containers and the network.
 */
class DockerComposeTest extends BerthIntegrationTest {

    @TempDir
    Path dir;

    private EngineWithBusybox engine;
    private String project;

    @BeforeEach
    void setUp() {
        EngineRequirement.assumeEngine();
        RequiredTools.require("docker-compose", "docker-compose");
        RequiredTools.require("/usr/lib/cni/bridge", "containernetworking-plugins");
        RequiredTools.require("/usr/lib/podman/aardvark-dns", "aardvark-dns");
        engine = EngineWithBusybox.pull(engineSocket(), registry(), registryHost(), "engine-compose");
        project = "p" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void cleanUp() {
        if (engine != null) {
            compose("down", "--timeout", "1");
            engine.close();
        }
    }

    @Test
    void twoServicesComeUpReachEachOtherByNameAndGoDown() throws Exception {
        Files.writeString(dir.resolve("docker-compose.yml"), """
                version: "3.8"
                services:
                  web:
                    image: %1$s
                    command: ["sh", "-c", "mkdir -p /www && echo composed > /www/index.html && exec httpd -f -p 80 -h /www"]
                  client:
                    image: %1$s
                    depends_on: [web]
                    command: ["sh", "-c", "for i in $$(seq 100); do wget -qO- http://web/index.html && exit 0; sleep 0.2; done; exit 1"]
                """.formatted(engine.image()));

        Commands.Result up = compose("up", "--exit-code-from", "client");

        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.stdout()).contains("composed");
        assertThat(engine.docker("network", "ls", "--format", "{{.Name}}").assertSuccess().stdout())
                .contains(project + "_default");

        compose("down", "--timeout", "1").assertSuccess();
        assertThat(engine.docker("network", "ls", "--format", "{{.Name}}").assertSuccess().stdout())
                .doesNotContain(project + "_default");
        assertThat(engine.docker("ps", "-a", "--filter", "label=com.docker.compose.project=" + project, "-q")
                .assertSuccess().stdout()).isBlank();
    }

    private Commands.Result compose(String... arguments) {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("docker-compose", "-p", project,
                "-f", dir.resolve("docker-compose.yml").toString()));
        command.addAll(java.util.List.of(arguments));
        return Commands.of(command).env("DOCKER_HOST", "unix://" + engineSocket())
                .env("DOCKER_CONFIG", dir.resolve("docker-config").toString())
                .timeout(Duration.ofMinutes(3)).run();
    }
}
