package io.berth.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.berth.engine.runtime.spec.Capabilities;
import io.berth.engine.runtime.spec.ContainerSettings;
import io.berth.engine.runtime.spec.DockerDefaults;
import io.berth.engine.runtime.spec.Process;
import io.berth.engine.runtime.spec.User;

/**
 * A container started by one Engine JVM keeps running and logging after that JVM is killed with SIGKILL, and the
 * next Engine finds it, runs an exec in it and removes it.
 */
class ContainerOutlivesTheEngineTest extends RuntimeIntegrationTest {

    private String id;
    private java.lang.Process engine;

    @AfterEach
    void removeTheProbesContainer() throws IOException {
        if (engine != null) {
            engine.destroyForcibly();
        }
        if (id != null) {
            RuntimeContainer left = tested.reopen(id, containers.stateDir(id));
            if (left != null) {
                left.delete();
            }
        }
    }

    @Test
    void keepsRunningAndLoggingWhileTheEngineJvmIsKilled() throws Exception {
        id = RuntimeFixture.newId();
        Path bundle = containers.bundle(id, ContainerSettings.builder()
                .cmd("sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done").build());
        Path stateDir = containers.stateDir(id);
        // runc's containers are found by its --root in the data dir: the probe shares the test's.
        Path dataDir = tested.name().equals("native") ? temp.resolve("probe-data") : runcDataDir();
        engine = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EngineJvmProbe.class.getName(), tested.name(),
                dataDir.toString(), bundle.toString(), stateDir.toString(), id)
                .redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(engine.getInputStream(),
                StandardCharsets.UTF_8));
        String line = output.readLine();
        assertThat(line).startsWith("running ");
        int pid = Integer.parseInt(line.substring("running ".length()).strip());

        engine.destroyForcibly();
        assertThat(engine.waitFor(30, TimeUnit.SECONDS)).isTrue();

        RuntimeContainer container = tested.reopen(id, stateDir);
        assertThat(container).isNotNull();
        RuntimeState state = container.state();
        assertThat(state.status()).isEqualTo(RuntimeState.Status.RUNNING);
        assertThat(state.pid()).isEqualTo(pid);
        // Still logging with nobody from the first Engine left.
        long logged = Files.size(container.logFile());
        await("the log grows").atMost(Duration.ofSeconds(30)).until(() -> Files.size(container.logFile()) > logged);
        assertThat(Files.readAllLines(container.logFile()).get(0)).startsWith("{\"log\":\"tick 0\\n\",\"stream\":\"stdout\"");

        ExecProcess exec = container.exec("probe-exec", new Process(false, null, new User(0, 0, null, null),
                List.of("sh", "-c", "cat /proc/1/cmdline | tr '\\0' ' '; exit 7"), List.of("PATH=" + DockerDefaults.PATH),
                "/", new Capabilities(DockerDefaults.CAPABILITIES, DockerDefaults.CAPABILITIES, null,
                        DockerDefaults.CAPABILITIES, null), null, false, null),
                temp.resolve("exec-state"));
        try (StdioConnection stdio = exec.attach()) {
            exec.start();
            String printed = RuntimeFixture.demultiplex(stdio.output())[0];
            assertThat(printed).contains("sh -c i=0; while true");
            assertThat(exec.awaitExit(Duration.ofSeconds(30))).isEqualTo(7);
        }

        container.delete();
        assertThat(container.pids()).isEmpty();
    }
}
