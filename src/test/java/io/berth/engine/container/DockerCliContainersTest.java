package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;

import io.berth.engine.runtime.ContainerRuntime;
import io.berth.support.BerthIntegrationTest;
import io.berth.support.Commands;
import io.berth.support.EngineRequirement;
import io.berth.support.EngineWithBusybox;
import io.berth.support.RequiredTools;

/** The stock docker CLI creates, runs, inspects, stops and removes containers through the Engine. */
class DockerCliContainersTest extends BerthIntegrationTest {

    @Autowired
    private ObjectProvider<ContainerRuntime> runtime;

    private EngineWithBusybox engine;
    private String image;

    @BeforeEach
    void setUp() {
        EngineRequirement.assumeEngine();
        engine = EngineWithBusybox.pull(engineSocket(), registry(), registryHost(), "engine-containers");
        image = engine.image();
    }

    @AfterEach
    void cleanUp() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void createInspectListRenameRemove() {
        String name = unique("create");
        String id = docker("create", "--name", name, "-e", "A=1", "--label", "team=berth", image, "echo", "hi")
                .assertSuccess().stdout().strip();
        engine.removeAfterwards(id);
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(docker("inspect", "--format",
                "{{.Name}} {{.State.Status}} {{.Config.Hostname}} {{.Path}} {{json .Args}} {{.Config.Image}}",
                name).assertSuccess().stdout().strip())
                .isEqualTo("/" + name + " created " + id.substring(0, 12) + " echo [\"hi\"] " + image);
        assertThat(docker("inspect", "--format", "{{json .Config.Env}}", id.substring(0, 10)).assertSuccess()
                .stdout()).contains("A=1").contains("PATH=");
        assertThat(docker("ps", "-a", "--filter", "label=team=berth", "--format", "{{.Names}} {{.Status}}")
                .assertSuccess().stdout()).contains(name + " Created");
        assertThat(docker("ps", "--format", "{{.Names}}").assertSuccess().stdout()).doesNotContain(name);

        Commands.Result conflict = docker("create", "--name", name, image, "true").assertFailure();
        assertThat(conflict.stderr()).contains("Conflict. The container name \"/" + name
                + "\" is already in use by container \"" + id + "\"");

        String renamed = unique("renamed");
        docker("rename", name, renamed).assertSuccess();
        engine.removeAfterwards(renamed);
        assertThat(docker("inspect", "--format", "{{.Name}}", id).assertSuccess().stdout().strip())
                .isEqualTo("/" + renamed);
        docker("rm", renamed).assertSuccess();
        assertThat(docker("container", "inspect", id).assertFailure().stderr()).contains("No such container");
        assertThat(docker("rm", "no-such-container-" + UUID.randomUUID()).assertFailure().stderr())
                .contains("No such container");
    }

    @Test
    void anImageInUseCannotBeRemoved() {
        String id = docker("create", image, "true").assertSuccess().stdout().strip();
        engine.removeAfterwards(id);
        assertThat(docker("rmi", image).assertFailure().stderr()).contains("image is being used by stopped container "
                + id.substring(0, 12));
    }

    @Test
    void runPrintsAndExitsWithTheContainersCode(@TempDir Path config) {
        assumeRuntime();
        Commands.Result hi = docker("run", "--rm", image, "echo", "hi").assertSuccess();
        assertThat(hi.stdout()).isEqualTo("hi\n");
        assertThat(docker("run", "--rm", image, "sh", "-c", "exit 3").exitCode()).isEqualTo(3);
        Commands.Result stdin = Commands.of("sh", "-c", "echo data | \"$0\" -H \"$1\" run --rm -i \"$2\" cat",
                RequiredTools.require("docker", "docker.io").toString(), "unix://" + engineSocket(), image)
                .env("DOCKER_CONFIG", config.toString()).env("DOCKER_HOST", "").env("DOCKER_CONTEXT", "")
                .timeout(Duration.ofMinutes(1)).run().assertSuccess();
        assertThat(stdin.stdout()).isEqualTo("data\n");
        assertThat(docker("run", "--rm", "--init", image, "cat", "/proc/1/cmdline").assertSuccess().stdout())
                .startsWith("/dev/init\0--\0cat");
        assertThat(docker("run", "--rm", image, "hostname").assertSuccess().stdout()).matches("[0-9a-f]{12}\n");
        assertThat(docker("ps", "-a", "--filter", "ancestor=" + image, "-q").assertSuccess().stdout()).isBlank();
    }

    @Test
    void interactiveTerminalAnswersATypedCommand(@TempDir Path config) {
        assumeRuntime();
        Path script = RequiredTools.require("script", "bsdutils");
        String docker = RequiredTools.require("docker", "docker.io") + " -H unix://" + engineSocket();
        // script gives the CLI a terminal; what is typed waits in the container's terminal until sh reads it
        Commands.Result session = Commands.of("sh", "-c", "printf 'echo typed-$((20+22))\\nexit 7\\n' | \"$0\" -qfec \"$1\" /dev/null",
                script.toString(), docker + " run -it --rm " + image + " sh")
                .env("DOCKER_CONFIG", config.toString()).env("DOCKER_HOST", "").env("DOCKER_CONTEXT", "")
                .timeout(Duration.ofMinutes(1)).run();
        assertThat(session.stdout()).contains("typed-42");
        assertThat(session.exitCode()).isEqualTo(7);

        String name = unique("tty");
        engine.removeAfterwards(name);
        docker("run", "-d", "--name", name, image, "sleep", "1000").assertSuccess();
        Commands.Result exec = Commands.of("sh", "-c", "printf 'echo exec-$((40+2))\\nexit 3\\n' | \"$0\" -qfec \"$1\" /dev/null",
                script.toString(), docker + " exec -it " + name + " sh")
                .env("DOCKER_CONFIG", config.toString()).env("DOCKER_HOST", "").env("DOCKER_CONTEXT", "")
                .timeout(Duration.ofMinutes(1)).run();
        assertThat(exec.stdout()).contains("exec-42");
        assertThat(exec.exitCode()).isEqualTo(3);
    }

    @Test
    void detachedContainerLifecycle() {
        assumeRuntime();
        String name = unique("web");
        engine.removeAfterwards(name);
        String id = docker("run", "-d", "--name", name, image, "sh", "-c", "echo started; exec sleep 1000")
                .assertSuccess().stdout().strip();
        assertThat(docker("ps", "--format", "{{.ID}} {{.Names}} {{.Status}}").assertSuccess().stdout())
                .contains(id.substring(0, 12) + " " + name + " Up");
        awaitLog(name, "started");

        Commands.Result ps = docker("exec", name, "ps").assertSuccess();
        assertThat(ps.stdout().lines().filter(line -> line.trim().startsWith("1 ")).findFirst().orElse(""))
                .contains("sleep 1000");
        assertThat(docker("exec", name, "sh", "-c", "exit 5").exitCode()).isEqualTo(5);
        assertThat(docker("top", name).assertSuccess().stdout()).contains("sleep 1000");
        assertThat(docker("stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}", name).assertSuccess()
                .stdout()).contains(name);

        long before = System.nanoTime();
        docker("stop", "-t", "2", name).assertSuccess();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(20));
        assertThat(docker("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name).assertSuccess()
                .stdout().strip()).isEqualTo("exited 137");

        docker("start", name).assertSuccess();
        assertThat(docker("inspect", "--format", "{{.State.Running}}", name).assertSuccess().stdout().strip())
                .isEqualTo("true");
        docker("restart", "-t", "1", name).assertSuccess();
        awaitLog(name, "started\nstarted\nstarted\n");
        assertThat(docker("logs", name).assertSuccess().stdout()).isEqualTo("started\nstarted\nstarted\n");
        docker("rm", "-f", name).assertSuccess();
        assertThat(docker("ps", "-a", "-q", "--filter", "name=" + name).assertSuccess().stdout()).isBlank();
    }

    @Test
    void logsFollowEndsWhenTheContainerStops() {
        assumeRuntime();
        String name = unique("follow");
        engine.removeAfterwards(name);
        docker("run", "-d", "--name", name, image, "sh", "-c", "echo one; echo two >&2; sleep 2; echo three")
                .assertSuccess();
        Commands.Result follow = docker("logs", "-f", name).assertSuccess();
        assertThat(follow.stdout()).isEqualTo("one\nthree\n");
        assertThat(follow.stderr()).isEqualTo("two\n");
        assertThat(docker("logs", "--tail", "1", name).assertSuccess().stdout()).isEqualTo("three\n");
    }

    @Test
    void memoryLimitOomKills() {
        assumeRuntime();
        String name = unique("oom");
        engine.removeAfterwards(name);
        Commands.Result run = docker("run", "--name", name, "-m", "32m", image, "tail", "/dev/zero");
        assertThat(run.exitCode()).isEqualTo(137);
        assertThat(docker("inspect", "--format", "{{.State.OOMKilled}} {{.State.ExitCode}}", name).assertSuccess()
                .stdout().strip()).isEqualTo("true 137");
    }

    @Test
    void bindMountsKeepData(@TempDir Path dir) throws Exception {
        assumeRuntime();
        docker("run", "--rm", "-v", dir + ":/data", image, "sh", "-c", "echo kept > /data/file").assertSuccess();
        assertThat(Files.readString(dir.resolve("file"))).isEqualTo("kept\n");
        assertThat(docker("run", "--rm", "-v", dir + ":/data:ro", image, "cat", "/data/file").assertSuccess()
                .stdout()).isEqualTo("kept\n");
    }

    @Test
    void waitAnswersItsHeadAtOnceAndItsBodyOnRemoval() throws Exception {
        String id = docker("create", image, "true").assertSuccess().stdout().strip();
        engine.removeAfterwards(id);
        try (RawConnection wait = RawConnection.open(engineSocket(), "POST /v1.47/containers/" + id
                + "/wait?condition=removed HTTP/1.1\r\nHost: docker\r\nContent-Length: 0\r\n\r\n")) {
            assertThat(wait.head()).startsWith("HTTP/1.1 200").containsIgnoringCase("Transfer-Encoding: chunked");
            docker("rm", id).assertSuccess();
            assertThat(wait.readToEnd()).contains("{\"Error\":null,\"StatusCode\":0}");
        }
    }

    @Test
    void attachBeforeStartIsHijackedAndEndsWithTheContainer() throws Exception {
        String id = docker("create", image, "true").assertSuccess().stdout().strip();
        engine.removeAfterwards(id);
        try (RawConnection attach = RawConnection.open(engineSocket(), "POST /v1.47/containers/" + id
                + "/attach?stderr=1&stdout=1&stream=1 HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\n"
                + "Upgrade: tcp\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n")) {
            assertThat(attach.head()).startsWith("HTTP/1.1 101").containsIgnoringCase("Upgrade: tcp");
            attach.halfClose(); // as the CLI does without stdin: no detach
            docker("rm", id).assertSuccess();
            assertThat(attach.readToEnd()).isEmpty();
        }
    }

    @Test
    void cpCopiesBothWaysAndExportTarsTheRootfs(@TempDir Path dir) throws Exception {
        String id = docker("create", image, "true").assertSuccess().stdout().strip();
        engine.removeAfterwards(id);
        Path source = Files.createDirectories(dir.resolve("in"));
        Files.writeString(source.resolve("greeting"), "hello\n");
        docker("cp", source.toString(), id + ":/copied").assertSuccess();
        docker("cp", id + ":/copied/greeting", dir.resolve("out").toString()).assertSuccess();
        assertThat(Files.readString(dir.resolve("out"))).isEqualTo("hello\n");
        docker("cp", id + ":/etc", dir.resolve("etc").toString()).assertSuccess();
        assertThat(dir.resolve("etc/passwd")).exists();
        assertThat(docker("cp", id + ":/no/such", dir.resolve("x").toString()).assertFailure().stderr())
                .contains("Could not find the file /no/such in container");

        Path tar = dir.resolve("export.tar");
        docker("export", "-o", tar.toString(), id).assertSuccess();
        assertThat(Commands.succeed("tar", "-tf", tar.toString()).stdout()).contains("copied/greeting")
                .contains("bin/busybox");
    }

    /**
     * {@code PUT /containers/{id}/archive} with a hard link out of the directory it extracts to: 400 naming the entry,
     * with no host path in the answer (it answered 500 with the rootfs's host path).
     */
    @Test
    void archiveWithAHardLinkOutIsRefusedNamingTheEntry() throws Exception {
        String id = docker("create", image, "true").assertSuccess().stdout().strip();
        engine.removeAfterwards(id);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            TarArchiveEntry link = new TarArchiveEntry("passwd", TarArchiveEntry.LF_LINK);
            link.setLinkName("../../../../etc/passwd");
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
        }
        byte[] body = tar.toByteArray();
        try (RawConnection put = RawConnection.open(engineSocket(), "PUT /v1.47/containers/" + id
                + "/archive?path=/tmp HTTP/1.1\r\nHost: docker\r\nContent-Type: application/x-tar\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n", body)) {
            assertThat(put.head()).startsWith("HTTP/1.1 400");
            String answer = put.readToEnd();
            assertThat(answer).contains("{\"message\":\"invalid hard link passwd -> ../../../../etc/passwd: its target "
                    + "is outside the directory the archive is extracted to\"}");
            assertThat(answer).doesNotContain(dataDir().toString()).doesNotContain("/engine/");
        }
        assertThat(docker("cp", id + ":/tmp/passwd", "-").assertFailure().stderr())
                .contains("Could not find the file /tmp/passwd");
    }

    @Test
    void restartPoliciesRunContainersAgain() {
        assumeRuntime();
        String always = unique("always");
        engine.removeAfterwards(always);
        docker("run", "-d", "--restart", "always", "--name", always, image, "sh", "-c", "echo run; exit 1")
                .assertSuccess();
        awaitLog(always, "run\nrun\nrun\n");
        docker("stop", always).assertSuccess();
        assertThat(docker("inspect", "--format", "{{.State.Status}}", always).assertSuccess().stdout().strip())
                .isEqualTo("exited");

        String onFailure = unique("on-failure");
        engine.removeAfterwards(onFailure);
        docker("run", "-d", "--restart", "on-failure:2", "--name", onFailure, image, "sh", "-c", "echo try; exit 2")
                .assertSuccess();
        awaitLog(onFailure, "try\ntry\ntry\n");
        String state = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!state.equals("exited 2 2") && System.nanoTime() < deadline) {
            state = docker("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}} {{.RestartCount}}",
                    onFailure).assertSuccess().stdout().strip();
        }
        assertThat(state).isEqualTo("exited 2 2");
    }

    @Test
    void healthchecksRunThroughExec() {
        assumeRuntime();
        String healthy = unique("healthy");
        engine.removeAfterwards(healthy);
        docker("run", "-d", "--name", healthy, "--health-cmd", "test -e /proc/1", "--health-interval", "1s", image,
                "sleep", "1000").assertSuccess();
        String unhealthy = unique("unhealthy");
        engine.removeAfterwards(unhealthy);
        docker("run", "-d", "--name", unhealthy, "--health-cmd", "echo failing; exit 1", "--health-interval", "1s",
                "--health-retries", "2", image, "sleep", "1000").assertSuccess();
        awaitHealth(healthy, "healthy");
        awaitHealth(unhealthy, "unhealthy");
        assertThat(docker("inspect", "--format", "{{(index .State.Health.Log 0).Output}}", unhealthy).assertSuccess()
                .stdout()).contains("failing");
        assertThat(docker("ps", "--filter", "name=" + healthy, "--format", "{{.Status}}").assertSuccess().stdout())
                .contains("(healthy)");
    }

    private void awaitHealth(String name, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String seen = "";
        while (!seen.equals(status) && System.nanoTime() < deadline) {
            seen = docker("inspect", "--format", "{{.State.Health.Status}}", name).assertSuccess().stdout().strip();
        }
        assertThat(seen).isEqualTo(status);
    }

    @Test
    void namedVolumesKeepDataAndAreInUse() {
        assumeRuntime();
        String volume = unique("vol");
        docker("volume", "create", volume).assertSuccess();
        try {
            docker("run", "--rm", "-v", volume + ":/data", image, "sh", "-c", "echo kept > /data/file").assertSuccess();
            assertThat(docker("run", "--rm", "-v", volume + ":/data", image, "cat", "/data/file").assertSuccess()
                    .stdout()).isEqualTo("kept\n");
            String user = docker("create", "-v", volume + ":/data", image, "true").assertSuccess().stdout().strip();
            engine.removeAfterwards(user);
            assertThat(docker("volume", "rm", volume).assertFailure().stderr()).contains("volume is in use");
            assertThat(docker("inspect", "--format", "{{(index .Mounts 0).Type}} {{(index .Mounts 0).Name}}", user)
                    .assertSuccess().stdout().strip()).isEqualTo("volume " + volume);
            docker("rm", user).assertSuccess();
            assertThat(docker("volume", "ls", "-q").assertSuccess().stdout()).contains(volume);
        } finally {
            docker("volume", "rm", "-f", volume);
        }
    }

    private void awaitLog(String name, String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!docker("logs", name).stdout().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no \"" + text + "\" in the log of " + name);
            }
            Thread.onSpinWait();
        }
    }

    private void assumeRuntime() {
        Assumptions.assumeTrue(runtime.getIfAvailable() != null, "no container runtime on this node yet");
    }

    private Commands.Result docker(String... arguments) {
        return engine.docker(arguments);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
