package io.berth.engine.build.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.Commands;
import io.berth.support.DockerCli;
import io.berth.support.EngineRequirement;
import io.berth.support.EngineWithBusybox;

/** {@code docker build} (the classic builder) with the docker CLI as installed. */
class DockerCliBuildTest extends BerthIntegrationTest {

    @TempDir
    Path context;

    private EngineWithBusybox engine;
    private DockerCli cli;
    private final List<String> images = new ArrayList<>();

    @BeforeEach
    void busybox() {
        EngineRequirement.assumeEngine();
        engine = EngineWithBusybox.pull(engineSocket(), registry(), registryHost(), "engine-build");
        cli = DockerCli.against(engineSocket());
    }

    @AfterEach
    void cleanUp() {
        if (engine != null) {
            images.forEach(image -> engine.docker("rmi", "-f", image));
            engine.close();
        }
        if (cli != null) {
            cli.close();
        }
    }

    private String image(String name) {
        String image = "engine-build/" + name + "-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
        images.add(image);
        return image;
    }

    private Commands.Result build(String... arguments) {
        return cli.command(buildCommand(arguments)).env("DOCKER_BUILDKIT", "0").run();
    }

    /** {@code docker build} as a user types it: the CLI picks the classic builder from {@code /_ping}. */
    private Commands.Result plainBuild(String... arguments) {
        return cli.command(buildCommand(arguments)).run();
    }

    private String[] buildCommand(String... arguments) {
        List<String> command = new ArrayList<>(List.of("build"));
        command.addAll(List.of(arguments));
        command.add(context.toString());
        return command.toArray(String[]::new);
    }

    @Test
    void aMultiStageBuildRunsWithItsConfigAndIsCachedTheSecondTime() throws IOException {
        Files.writeString(context.resolve("Dockerfile"), """
                ARG BASE
                FROM $BASE AS build
                ARG GREETING=hello
                RUN mkdir /out && echo "$GREETING from the build stage" > /out/greeting
                FROM $BASE
                ENV APP_HOME=/app
                WORKDIR $APP_HOME
                COPY --from=build /out/greeting ./
                COPY data.txt .
                USER 1000
                EXPOSE 8080
                ENTRYPOINT ["sh", "-c", "cat greeting data.txt; pwd; id -u; ls"]
                """);
        Files.writeString(context.resolve("data.txt"), "data from the context\n");
        Files.writeString(context.resolve("secret.txt"), "not for the image\n");
        Files.writeString(context.resolve(".dockerignore"), "secret.txt\n");
        String tagged = image("multi");
        String second = image("multi-too");

        Commands.Result built = build("-t", tagged, "-t", second, "--build-arg", "BASE=" + engine.image(),
                "--build-arg", "GREETING=hi").assertSuccess();
        assertThat(built.stdout()).contains("Step 1/11 : FROM $BASE AS build", " ---> Running in ",
                "Successfully tagged " + tagged, "Successfully tagged " + second);
        String id = engine.docker("image", "inspect", "--format", "{{.Id}}", tagged).assertSuccess().stdout().strip();
        assertThat(built.stdout()).contains("Successfully built " + id.substring("sha256:".length(), 19));

        assertThat(engine.docker("run", "--rm", tagged).assertSuccess().stdout()).isEqualTo(
                "hi from the build stage\ndata from the context\n/app\n1000\ndata.txt\ngreeting\n");
        assertThat(engine.docker("image", "inspect", "--format", "{{json .Config.ExposedPorts}}|{{.Config.User}}",
                second).assertSuccess().stdout().strip()).isEqualTo("{\"8080/tcp\":{}}|1000");
        assertThat(engine.docker("ps", "-a", "--format", "{{.Image}}").assertSuccess().stdout())
                .as("no container of the build is left").doesNotContain(id.substring(7, 19));
        assertThat(engine.docker("images", "--format", "{{.Repository}}").assertSuccess().stdout())
                .as("intermediate images only with -a").doesNotContain("<none>");

        // The same context again: every step from the cache, the same image.
        Commands.Result again = build("-t", tagged, "--build-arg", "BASE=" + engine.image(), "--build-arg",
                "GREETING=hi").assertSuccess();
        assertThat(again.stdout().split("Using cache", -1)).hasSize(10); // 11 steps, the 2 FROMs not cached
        assertThat(again.stdout()).contains("Successfully built " + id.substring(7, 19));

        // One copied file changed: the steps before it cached, it and those after it made again.
        Files.writeString(context.resolve("data.txt"), "changed data\n");
        Commands.Result changed = build("-t", tagged, "--build-arg", "BASE=" + engine.image(), "--build-arg",
                "GREETING=hi").assertSuccess();
        String afterCopy = changed.stdout().substring(changed.stdout().indexOf("Step 8/11"));
        assertThat(changed.stdout().substring(0, changed.stdout().indexOf("Step 8/11")).split("Using cache", -1))
                .hasSize(6);
        assertThat(afterCopy).doesNotContain("Using cache");
        assertThat(engine.docker("run", "--rm", tagged).assertSuccess().stdout()).contains("changed data\n");

        // --no-cache runs every step; docker builder prune empties the cache.
        assertThat(build("--no-cache", "-t", tagged, "--build-arg", "BASE=" + engine.image()).assertSuccess()
                .stdout()).doesNotContain("Using cache");
        String pruned = cli.command("builder", "prune", "-f").env("DOCKER_BUILDKIT", "0").run().assertSuccess()
                .stdout();
        assertThat(pruned).contains("Total reclaimed space");
        assertThat(build("-t", tagged, "--build-arg", "BASE=" + engine.image()).assertSuccess().stdout())
                .doesNotContain("Using cache");
    }

    @Test
    void aFailingRunStopsTheBuildWithItsExitCodeAndLeavesNothing() throws IOException {
        Files.writeString(context.resolve("Dockerfile"), "FROM " + engine.image() + "\n"
                + "ENV STEP=one\n"
                + "RUN echo output before failing && exit 3\n"
                + "CMD [\"true\"]\n");
        List<String> imagesBefore = engine.docker("images", "-a", "-q", "--no-trunc").assertSuccess().stdout().lines()
                .toList();
        List<String> containersBefore = engine.docker("ps", "-a", "-q").assertSuccess().stdout().lines().toList();
        String tagged = image("failing");

        Commands.Result built = plainBuild("-t", tagged);
        assertThat(built.exitCode()).isEqualTo(3);
        assertThat(built.stdout()).contains("output before failing");
        assertThat(built.stderr()).contains(
                "The command '/bin/sh -c echo output before failing && exit 3' returned a non-zero code: 3");
        assertThat(engine.docker("image", "inspect", tagged).exitCode()).isNotZero();
        assertThat(engine.docker("images", "-a", "-q", "--no-trunc").assertSuccess().stdout().lines().toList())
                .containsExactlyInAnyOrderElementsOf(imagesBefore);
        assertThat(engine.docker("ps", "-a", "-q").assertSuccess().stdout().lines().toList())
                .containsExactlyInAnyOrderElementsOf(containersBefore);
    }
}
