package io.berth.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.Commands;
import io.berth.support.EngineRequirement;
import io.berth.support.EngineWithBusybox;

/**
 * What the runtime does, seen through the stock docker CLI: exit codes of failed starts and seccomp filters as dockerd
 * gives them.
 */
class DockerCliRuntimeTest extends BerthIntegrationTest {

    /** As in {@link RuntimeContainersTest}: the seccomp lines of /proc/self/status, then a mount in a user namespace. */
    private static final String SECCOMP_PROBE = "grep '^Seccomp' /proc/self/status; busybox unshare -U -r -m sh -c "
            + "'mount -t tmpfs none /tmp && echo mounted'; echo probe=$?";

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

    @Test
    void containersGetDockersDefaultSeccompProfileAndSecurityOptChangesIt(@TempDir Path dir) throws Exception {
        assertThat(docker("info", "--format", "{{json .SecurityOptions}}").assertSuccess().stdout().strip())
                .isEqualTo("[\"name=seccomp,profile=builtin\"]");

        Commands.Result confined = docker("run", "--rm", image, "sh", "-c", SECCOMP_PROBE).assertSuccess();
        assertThat(confined.stdout()).contains("Seccomp:\t2\n", "Seccomp_filters:\t1\n", "probe=1")
                .doesNotContain("mounted");
        assertThat(confined.stderr()).contains("Operation not permitted");
        assertThat(docker("run", "--rm", "--security-opt", "seccomp=unconfined", image, "sh", "-c", SECCOMP_PROBE)
                .assertSuccess().stdout()).contains("Seccomp:\t0\n", "mounted", "probe=0");
        assertThat(docker("run", "--rm", "--privileged", image, "grep", "^Seccomp:", "/proc/self/status")
                .assertSuccess().stdout()).isEqualTo("Seccomp:\t0\n");

        Path profile = Files.writeString(dir.resolve("no-mkdir.json"), """
                {
                  "defaultAction": "SCMP_ACT_ALLOW",
                  "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]
                }
                """);
        String name = unique("no-mkdir");
        engine.removeAfterwards(name);
        docker("run", "-d", "--name", name, "--security-opt", "seccomp=" + profile, image, "sleep", "1000")
                .assertSuccess();
        // the CLI sends the file's content, compacted; inspect shows the option as it came
        assertThat(docker("inspect", "--format", "{{range .HostConfig.SecurityOpt}}{{.}}{{end}}", name)
                .assertSuccess().stdout().strip()).isEqualTo("seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":"
                        + "[{\"names\":[\"mkdir\",\"mkdirat\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1}]}");
        Commands.Result exec = docker("exec", name, "sh", "-c", "mkdir /tmp/made; echo mkdir=$?");
        assertThat(exec.stdout()).contains("mkdir=1");
        assertThat(exec.stderr()).contains("Operation not permitted");
        assertThat(docker("run", "--rm", image, "sh", "-c", "mkdir /tmp/made; echo mkdir=$?").assertSuccess()
                .stdout()).contains("mkdir=0");

        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"defaultAction\": \"SCMP_ACT_NOPE\"}");
        assertThat(docker("create", "--security-opt", "seccomp=" + broken, image, "true").assertFailure().stderr())
                .contains("unknown seccomp action \"SCMP_ACT_NOPE\"");
    }

    private Commands.Result docker(String... arguments) {
        return engine.docker(arguments);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
