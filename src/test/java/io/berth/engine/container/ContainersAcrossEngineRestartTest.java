package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.support.BerthProcess;
import io.berth.support.Commands;
import io.berth.support.DockerCli;
import io.berth.support.EngineRequirement;
import io.berth.support.OciImages;
import io.berth.support.RegistryClient;

/**
 * The Engine is killed (SIGKILL) with one container running, one exited and one running with {@code --restart
 * always}, and started again on the same data dir: all come back as they were, the running one with the same process,
 * and their logs are all there. The restart-always one's process is killed while no Engine runs: the next Engine finds
 * it exited and, as its policy says, runs it again.
 */
class ContainersAcrossEngineRestartTest {

    @TempDir
    Path dir;

    @Test
    void runningAndExitedContainersComeBackAfterAKill() {
        EngineRequirement.assumeEngine();
        Path data = dir.resolve("data");
        String pid = null;
        long alwaysPid = 0;
        try (BerthProcess berth = BerthProcess.start(data); DockerCli docker = DockerCli.against(berth.engineSocket())) {
            String image = pushAndPull(berth, docker);
            Commands.Result probe = docker.command("run", "--rm", image, "true").run();
            Assumptions.assumeFalse(probe.stderr().contains("no container runtime"), "no container runtime yet");
            probe.assertSuccess();
            docker.command("run", "-d", "--name", "up", image, "sh", "-c", "echo before; exec sleep 1000")
                    .run().assertSuccess();
            assertThat(docker.command("run", "--name", "down", image, "sh", "-c", "echo bye; exit 4").run()
                    .exitCode()).isEqualTo(4);
            docker.command("run", "-d", "--name", "always", "--restart", "always", image,
                    "sh", "-c", "echo always-ran; exec sleep 1000").run().assertSuccess();
            awaitLog(docker, "up", "before");
            awaitLog(docker, "always", "always-ran");
            pid = docker.command("inspect", "--format", "{{.State.Pid}}", "up").run().assertSuccess().stdout().strip();
            alwaysPid = Long.parseLong(docker.command("inspect", "--format", "{{.State.Pid}}", "always").run()
                    .assertSuccess().stdout().strip());
            berth.killHard();
            // dies while no Engine watches: the next one must notice and apply the restart policy
            killAndAwaitExit(alwaysPid);
        } finally {
            // Whatever happened, the containers (which outlive the killed Engine) go with a second Engine.
            try (BerthProcess berth = BerthProcess.start(data);
                    DockerCli docker = DockerCli.against(berth.engineSocket())) {
                try {
                    if (pid != null) {
                        assertComeBack(docker, pid, alwaysPid);
                    }
                } finally {
                    String all = docker.command("ps", "-aq").run().stdout().strip();
                    if (!all.isEmpty()) {
                        java.util.List<String> remove = new java.util.ArrayList<>(java.util.List.of("rm", "-f"));
                        remove.addAll(java.util.List.of(all.split("\\s+")));
                        docker.command(remove.toArray(String[]::new)).run();
                    }
                    berth.stop();
                }
            }
        }
    }

    private static void assertComeBack(DockerCli docker, String pid, long alwaysPid) {
        assertThat(docker.command("inspect", "--format", "{{.State.Status}} {{.State.Pid}}", "up").run()
                .assertSuccess().stdout().strip()).isEqualTo("running " + pid);
        awaitLog(docker, "always", "always-ran\nalways-ran\n");
        String always = docker.command("inspect", "--format",
                "{{.State.Status}} {{.State.Pid}} {{.RestartCount}} {{.HostConfig.RestartPolicy.Name}}", "always")
                .run().assertSuccess().stdout().strip();
        assertThat(always).startsWith("running ").doesNotContain(" " + alwaysPid + " ").endsWith(" always");
        // as dockerd: a start by the Engine's own start-up is not one of the policy's restarts
        assertThat(always.split(" ")[2]).isEqualTo("0");
        assertThat(docker.command("logs", "always").run().assertSuccess().stdout())
                .isEqualTo("always-ran\nalways-ran\n");
        assertThat(docker.command("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "down")
                .run().assertSuccess().stdout().strip()).isEqualTo("exited 4");
        assertThat(docker.command("logs", "up").run().assertSuccess().stdout()).isEqualTo("before\n");
        assertThat(docker.command("logs", "down").run().assertSuccess().stdout()).isEqualTo("bye\n");
        docker.command("stop", "-t", "1", "up").run().assertSuccess();
        assertThat(docker.command("inspect", "--format", "{{.State.ExitCode}}", "up").run().assertSuccess()
                .stdout().strip()).isEqualTo("137");
    }

    private static String pushAndPull(BerthProcess berth, DockerCli docker) {
        String repository = "restart/busybox-" + UUID.randomUUID().toString().substring(0, 8);
        OciImages.Image busybox = OciImages.busybox(true);
        RegistryClient registry = berth.registry();
        registry.push(repository, "1", busybox);
        String image = berth.registryHost() + "/" + repository + ":1";
        docker.command("pull", image).run().assertSuccess();
        return image;
    }

    private static void killAndAwaitExit(long pid) {
        ProcessHandle.of(pid).ifPresent(process -> {
            process.destroyForcibly();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (process.isAlive()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("container process " + pid + " outlived SIGKILL");
                }
                Thread.onSpinWait();
            }
        });
    }

    private static void awaitLog(DockerCli docker, String name, String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!docker.command("logs", name).run().stdout().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no \"" + text + "\" in the log of " + name);
            }
            Thread.onSpinWait();
        }
    }
}
