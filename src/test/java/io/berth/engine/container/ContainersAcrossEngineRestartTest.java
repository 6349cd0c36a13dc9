package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * it exited and, as its policy says, runs it again. A container's published port answers before the kill and after
 * the new start, through the same firewall rules.
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
        int webPort = 0;
        List<String> rules = List.of();
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
            webPort = freePort();
            docker.command("run", "-d", "--name", "web", "-p", webPort + ":80", image, "sh", "-c",
                    "mkdir /www && echo served > /www/index.html && exec httpd -f -p 80 -h /www").run().assertSuccess();
            awaitLog(docker, "up", "before");
            awaitLog(docker, "always", "always-ran");
            assertThat(awaitPage(webPort)).isEqualTo("served\n");
            rules = rules(data);
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
                        // the published port answers, with the same rules, neither doubled nor lost
                        assertThat(awaitPage(webPort)).isEqualTo("served\n");
                        assertThat(docker.command("port", "web", "80").run().assertSuccess().stdout().strip())
                                .isEqualTo("0.0.0.0:" + webPort);
                        assertThat(rules(data)).isEqualTo(rules);
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

    /** The Engine's firewall rules (those of its own chains), in order. */
    private static List<String> rules(Path data) {
        String prefix = BerthProcess.networking(data).chainPrefix() + "-";
        return Commands.of("iptables-save").run().assertSuccess().stdout().lines()
                .filter(line -> line.startsWith("-A " + prefix)).sorted().toList();
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The page published on 127.0.0.1:{@code port}, once something answers there. */
    private static String awaitPage(int port) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/index.html")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (page.statusCode() == 200 || System.nanoTime() > deadline) {
                    return page.body();
                }
                Thread.sleep(50);
            } catch (java.io.IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("nothing answers on 127.0.0.1:" + port, notYet);
                }
                pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
