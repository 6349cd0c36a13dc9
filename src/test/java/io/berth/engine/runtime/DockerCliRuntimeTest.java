package io.berth.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.Commands;
import io.berth.support.EngineRequirement;
import io.berth.support.EngineWithBusybox;

/** What the runtime does, seen through the stock docker CLI: exit codes of failed starts as dockerd gives them. */
class DockerCliRuntimeTest extends BerthIntegrationTest {

    private EngineWithBusybox engine;
    private String image;

    @BeforeEach
    void setUp() {
        EngineRequirement.assumeEngine();
        engine = EngineWithBusybox.pull(engineSocket(), registry(), registryHost(), "engine-runtime");
        image = engine.image();
    }

    @AfterEach
    void cleanUp() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void aProgramThatCannotRunEndsWithTheShellsCodes() {
        String missing = unique("missing");
        engine.removeAfterwards(missing);
        Commands.Result notFound = docker("run", "--name", missing, image, "no-such-program");
        assertThat(notFound.exitCode()).isEqualTo(127);
        assertThat(notFound.stderr()).contains("exec: \"no-such-program\": executable file not found in $PATH");
        assertThat(docker("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", missing).assertSuccess()
                .stdout().strip()).isEqualTo("created 127");

        String notExecutable = unique("noexec");
        engine.removeAfterwards(notExecutable);
        Commands.Result denied = docker("run", "--name", notExecutable, image, "/etc/passwd");
        assertThat(denied.exitCode()).isEqualTo(126);
        assertThat(denied.stderr()).contains("permission denied");
        assertThat(docker("inspect", "--format", "{{.State.ExitCode}}", notExecutable).assertSuccess().stdout()
                .strip()).isEqualTo("126");

    }

    private Commands.Result docker(String... arguments) {
        return engine.docker(arguments);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
