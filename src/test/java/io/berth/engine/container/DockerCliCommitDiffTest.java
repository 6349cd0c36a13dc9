package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.berth.support.Dockerd;
import io.berth.support.EngineRequirement;
import io.berth.support.EngineWithBusybox;

/** {@code docker commit} and {@code docker diff} with the docker CLI, dockerd as the reference for the diff. */
class DockerCliCommitDiffTest extends BerthIntegrationTest {

    /** Adds a file and a directory, changes one file, deletes another. */
    private static final String CHANGES = "echo hi > /f && mkdir -p /srv/made && echo more >> /etc/passwd && rm /bin/tr";

    @TempDir
    Path temp;

    private EngineWithBusybox engine;
    private final List<String> images = new ArrayList<>();

    @BeforeEach
    void busybox() {
        EngineRequirement.assumeEngine();
        engine = EngineWithBusybox.pull(engineSocket(), registry(), registryHost(), "engine-commit");
    }

    @AfterEach
    void cleanUp() {
        if (engine != null) {
            images.forEach(image -> engine.docker("rmi", "-f", image));
            engine.close();
        }
    }

    private String container() {
        String name = "engine-commit-" + UUID.randomUUID().toString().substring(0, 8);
        engine.removeAfterwards(name);
        return name;
    }

    private String image(String name) {
        String image = "engine-commit/" + name + "-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
        images.add(image);
        return image;
    }

    @Test
    void diffListsAddedChangedAndDeletedPathsAsDockerdDoes() {
        String container = container();
        engine.docker("run", "--name", container, engine.image(), "sh", "-c", CHANGES).assertSuccess();
        List<String> berth = engine.docker("diff", container).assertSuccess().stdout().lines().toList();
        assertThat(berth).contains("A /f", "A /srv/made", "C /etc/passwd", "D /bin/tr");

        Path saved = temp.resolve("busybox.tar");
        engine.docker("save", "-o", saved.toString(), engine.image()).assertSuccess();
        try (Dockerd dockerd = Dockerd.start()) {
            dockerd.docker("load", "-i", saved.toString()).assertSuccess();
            dockerd.docker("run", "--name", "changer", "--network", "none", engine.image(), "sh", "-c", CHANGES)
                    .assertSuccess();
            List<String> reference = dockerd.docker("diff", "changer").assertSuccess().stdout().lines().toList();
            assertThat(berth).as("dockerd lists in no particular order").containsExactlyInAnyOrderElementsOf(reference);
        }
    }

    @Test
    void aCommittedImageRunsWithTheChangesItsConfigAndHistory() {
        String container = container();
        engine.docker("run", "--name", container, "-e", "FROM_RUN=kept", engine.image(), "sh", "-c", CHANGES)
                .assertSuccess();
        String committed = image("changed");
        String id = engine.docker("commit", "-a", "Ann Author <ann@example.com>", "-m", "a change",
                "-c", "CMD [\"cat\", \"/f\"]", "-c", "ENV GREETING=hello", "-c", "WORKDIR /srv",
                container, committed).assertSuccess().stdout().strip();
        assertThat(id).startsWith("sha256:");

        assertThat(engine.docker("run", "--rm", committed).assertSuccess().stdout()).isEqualTo("hi\n");
        assertThat(engine.docker("run", "--rm", committed, "sh", "-c",
                "pwd; echo $GREETING $FROM_RUN; ls /srv; tail -n 1 /etc/passwd; test -e /bin/tr || echo gone")
                .assertSuccess().stdout()).isEqualTo("/srv\nhello kept\nmade\nmore\ngone\n");
        assertThat(engine.docker("image", "inspect", "--format", "{{.Id}}|{{.Author}}|{{.Comment}}|{{len .RootFS.Layers}}",
                committed).assertSuccess().stdout().strip()).isEqualTo(id + "|Ann Author <ann@example.com>|a change|"
                        + (layers(engine.image()) + 1));
        assertThat(engine.docker("history", "--no-trunc", "--format", "{{.CreatedBy}}|{{.Comment}}", committed)
                .assertSuccess().stdout().lines().findFirst()).hasValue("sh -c " + CHANGES + "|a change");
    }

    @Test
    void aRunningContainerIsCommittedPausedAndRunsOn() {
        String container = container();
        engine.docker("run", "-d", "--name", container, engine.image(), "sleep", "600").assertSuccess();
        engine.docker("exec", container, "sh", "-c", "echo live > /live").assertSuccess();
        String committed = image("live");
        engine.docker("commit", container, committed).assertSuccess();

        assertThat(engine.docker("inspect", "--format", "{{.State.Status}}", container).assertSuccess().stdout()
                .strip()).isEqualTo("running");
        assertThat(engine.docker("run", "--rm", committed, "cat", "/live").assertSuccess().stdout())
                .isEqualTo("live\n");
        assertThat(engine.docker("image", "inspect", "--format", "{{json .Config.Cmd}}", committed).assertSuccess()
                .stdout().strip()).isEqualTo("[\"sleep\",\"600\"]");
    }

    @Test
    void anUnchangedContainerAddsNoLayer() {
        String container = container();
        engine.docker("create", "--name", container, engine.image(), "true").assertSuccess();
        assertThat(engine.docker("diff", container).assertSuccess().stdout()).isEmpty();
        String committed = image("same");
        engine.docker("commit", container, committed).assertSuccess();
        assertThat(layers(committed)).isEqualTo(layers(engine.image()));
        assertThat(engine.docker("history", "--format", "{{.Size}}", committed).assertSuccess().stdout().lines()
                .findFirst()).hasValue("0B");
    }

    @Test
    void badCommitsAreRefusedAndMakeNoImage() {
        String container = container();
        engine.docker("create", "--name", container, engine.image(), "true").assertSuccess();
        String refused = image("refused");
        Commands.Result run = engine.docker("commit", "-c", "RUN echo no", container, refused);
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).contains("RUN is not a valid change command");
        assertThat(engine.docker("image", "inspect", refused).exitCode()).isNotZero();

        Commands.Result missing = engine.docker("commit", "engine-commit-missing-" + UUID.randomUUID(), refused);
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("No such container");
        assertThat(engine.docker("diff", "engine-commit-missing").stderr()).contains("No such container");
    }

    private int layers(String image) {
        return Integer.parseInt(engine.docker("image", "inspect", "--format", "{{len .RootFS.Layers}}", image)
                .assertSuccess().stdout().strip());
    }
}
