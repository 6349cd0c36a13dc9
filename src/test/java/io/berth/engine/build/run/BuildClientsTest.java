package io.berth.engine.build.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

import io.berth.engine.runtime.ContainerRuntime;
import io.berth.support.BerthIntegrationTest;
import io.berth.support.Commands;
import io.berth.support.DockerCli;
import io.berth.support.EngineRequirement;
import io.berth.support.OciImages;
import io.berth.support.RequiredTools;

/**
 * {@code POST /build} from the other clients that use it: Testcontainers' {@code ImageFromDockerfile} (docker-java's
 * {@code buildImageCmd}), unmodified, and docker-compose's {@code build:}. Testcontainers is set up as in
 * {@code TestcontainersTest} (the TESTCONTAINERS_* variables of pom.xml, {@code DOCKER_HOST} as a system property).
 */
class BuildClientsTest extends BerthIntegrationTest {

    @TempDir
    Path project;

    @Autowired
    private ObjectProvider<ContainerRuntime> runtime;

    @Test
    void testcontainersBuildsAnImageFromADockerfileAndStartsIt() {
        EngineRequirement.assumeEngine();
        Assumptions.assumeTrue(runtime.getIfAvailable() != null, "no container runtime on this node yet");
        Assumptions.assumeTrue("true".equals(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))
                        && "autoIgnoringUserProperties".equals(System.getenv("TESTCONTAINERS_DOCKERCONFIG_SOURCE")),
                "run with the TESTCONTAINERS_* variables of pom.xml's surefire configuration (Maven sets them)");
        System.setProperty("DOCKER_HOST", "unix://" + engineSocket());
        String base = pushBusybox();
        String name = "berth-tc-build-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
        ImageFromDockerfile image = new ImageFromDockerfile(name, false)
                .withFileFromString("Dockerfile", "FROM " + base + "\n"
                        + "COPY greeting.txt /\n"
                        + "RUN cat /greeting.txt > /copied\n"
                        + "CMD [\"sh\", \"-c\", \"cat /copied; exec sleep 1000\"]\n")
                .withFileFromString("greeting.txt", "built by testcontainers\n");
        try (GenericContainer<?> built = new GenericContainer<>(image)
                .waitingFor(Wait.forLogMessage("built by testcontainers\\n", 1)
                        .withStartupTimeout(Duration.ofMinutes(1)))) {
            built.start();
            assertThat(built.getLogs()).isEqualTo("built by testcontainers\n");
        } finally {
            try (DockerCli docker = DockerCli.against(engineSocket())) {
                docker.command("rmi", "-f", name, base).run();
            }
        }
    }

    @Test
    void dockerComposeBuildsAService() throws Exception {
        EngineRequirement.assumeEngine();
        Path compose = RequiredTools.require("docker-compose", "docker-compose");
        String base = pushBusybox();
        Files.writeString(project.resolve("docker-compose.yml"), """
                version: "3"
                services:
                  app:
                    build:
                      context: ./app
                      args:
                        BASE: %s
                """.formatted(base));
        Path app = Files.createDirectories(project.resolve("app"));
        Files.writeString(app.resolve("Dockerfile"), "ARG BASE\nFROM $BASE\nCOPY hello.txt /\nCMD [\"cat\", \"/hello.txt\"]\n");
        Files.writeString(app.resolve("hello.txt"), "built by docker-compose\n");
        String projectName = "berthbuild" + UUID.randomUUID().toString().substring(0, 8);
        try (DockerCli docker = DockerCli.against(engineSocket())) {
            try {
                Commands.of(compose.toString(), "-p", projectName, "build").directory(project)
                        .env("DOCKER_HOST", "unix://" + engineSocket()).run().assertSuccess();
                assertThat(docker.command("run", "--rm", projectName + "_app").run().assertSuccess().stdout())
                        .isEqualTo("built by docker-compose\n");
            } finally {
                docker.command("rmi", "-f", projectName + "_app", base).run();
            }
        }
    }

    private String pushBusybox() {
        String repository = "build-clients/busybox-" + UUID.randomUUID().toString().substring(0, 8);
        registry().push(repository, "1", OciImages.busybox(true));
        return registryHost() + "/" + repository + ":1";
    }
}
