package io.berth.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.Commands;
import io.berth.support.EngineRequirement;
import io.berth.support.EngineWithBusybox;
import io.berth.support.RequiredTools;

/**
 * What the runtime does, seen through the stock docker CLI: exit codes of failed starts and seccomp filters as dockerd
 * gives them.
 */
class DockerCliRuntimeTest extends BerthIntegrationTest {

    /** As in {@link RuntimeContainersTest}: the seccomp lines of /proc/self/status, then a mount in a user namespace. */
    private static final String SECCOMP_PROBE = "grep '^Seccomp' /proc/self/status; busybox unshare -U -r -m sh -c "
            + "'mount -t tmpfs none /tmp && echo mounted'; echo probe=$?";

    private static final JsonMapper JSON = JsonMapper.builder().build();

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
        EngineRequirement.assumeSeccomp();
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
        Commands.Result exec = docker("exec", name, "sh", "-c",
                "mkdir /tmp/made; echo mkdir=$?; grep '^Seccomp:' /proc/self/status");
        assertThat(exec.stdout()).contains("mkdir=1", "Seccomp:\t2\n");
        assertThat(exec.stderr()).contains("Operation not permitted");
        assertThat(docker("run", "--rm", image, "sh", "-c", "mkdir /tmp/made; echo mkdir=$?").assertSuccess()
                .stdout()).contains("mkdir=0");

        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"defaultAction\": \"SCMP_ACT_NOPE\"}");
        assertThat(docker("create", "--security-opt", "seccomp=" + broken, image, "true").assertFailure().stderr())
                .contains("unknown seccomp action \"SCMP_ACT_NOPE\"");
    }

    @Test
    void aCapabilityGivesBackTheCallsTheDefaultProfileKeepsForIt() {
        EngineRequirement.assumeSeccomp();
        String mount = "grep '^Seccomp:' /proc/self/status; mount -t tmpfs none /tmp && echo mounted || echo refused; "
                + "busybox unshare -m true && echo unshared || echo refused";
        Commands.Result plain = docker("run", "--rm", image, "sh", "-c", mount).assertSuccess();
        assertThat(plain.stdout()).isEqualTo("Seccomp:\t2\nrefused\nrefused\n");
        assertThat(plain.stderr()).contains("Operation not permitted");

        // as on dockerd, CAP_SYS_ADMIN brings mount, unshare and setns back into the profile: still filtered
        Commands.Result admin = docker("run", "--rm", "--cap-add", "SYS_ADMIN", image, "sh", "-c", mount)
                .assertSuccess();
        assertThat(admin.stdout()).isEqualTo("Seccomp:\t2\nmounted\nunshared\n");

        // swapon is in no rule of the profile: refused even with the capability it needs, by the filter alone, since
        // without the filter the kernel gets to read the file and finds no swap signature in it
        String swapon = "grep '^Seccomp:' /proc/self/status; swapon /etc/passwd; echo swapon=$?";
        Commands.Result filtered = docker("run", "--rm", "--cap-add", "SYS_ADMIN", image, "sh", "-c", swapon)
                .assertSuccess();
        assertThat(filtered.stdout()).isEqualTo("Seccomp:\t2\nswapon=1\n");
        assertThat(filtered.stderr()).contains("Operation not permitted");
        Commands.Result unfiltered = docker("run", "--rm", "--cap-add", "SYS_ADMIN", "--security-opt",
                "seccomp=unconfined", image, "sh", "-c", swapon).assertSuccess();
        assertThat(unfiltered.stdout()).isEqualTo("Seccomp:\t0\nswapon=1\n");
        assertThat(unfiltered.stderr()).contains("Invalid argument").doesNotContain("Operation not permitted");
    }

    @Test
    void aProfileThatIsNoneIsRefusedInDockersErrorFormatAndCreatesNothing() {
        EngineRequirement.assumeSeccomp();
        Path curl = RequiredTools.require("curl", "curl");
        String name = unique("bad-profile");
        engine.removeAfterwards(name);

        JsonNode truncated = create(curl, name, "seccomp={\"defaultAction\":", 400);
        assertThat(truncated.get("message").asString()).startsWith("Decoding seccomp profile failed: ");
        JsonNode unknownAction = create(curl, name, "seccomp={\"defaultAction\":\"SCMP_ACT_NOPE\"}", 400);
        assertThat(unknownAction.get("message").asString()).isEqualTo("unknown seccomp action \"SCMP_ACT_NOPE\"");
        JsonNode badArgument = create(curl, name, "seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":"
                + "[{\"names\":[\"chmod\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":6,\"value\":1,"
                + "\"op\":\"SCMP_CMP_EQ\"}]}]}", 400);
        assertThat(badArgument.get("message").asString()).isEqualTo("seccomp argument index 6 is not one of 0 to 5");
        assertThat(docker("ps", "-a", "--filter", "name=" + name, "--format", "{{.Names}}").assertSuccess().stdout())
                .isEmpty();

        // the same name is free for a container with a valid profile
        create(curl, name, "seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\"}", 201);
        assertThat(docker("inspect", "--format", "{{.Name}}", name).assertSuccess().stdout().strip())
                .isEqualTo("/" + name);
    }

    /** {@code POST /containers/create} with curl over the Engine's socket, as a client sends it; the answer's JSON. */
    private JsonNode create(Path curl, String name, String securityOpt, int expectedStatus) {
        String body = JSON.writeValueAsString(Map.of("Image", image, "Cmd", List.of("true"),
                "HostConfig", Map.of("SecurityOpt", List.of(securityOpt))));
        Commands.Result result = Commands.of(curl.toString(), "-sS", "--unix-socket", engineSocket().toString(),
                "-H", "Content-Type: application/json", "--data-binary", body, "-w", "\n%{http_code}",
                "http://localhost/v1.47/containers/create?name=" + name).run().assertSuccess();
        String output = result.stdout();
        int newline = output.lastIndexOf('\n');
        assertThat(output.substring(newline + 1)).isEqualTo(String.valueOf(expectedStatus));
        return JSON.readTree(output.substring(0, newline));
    }

    private Commands.Result docker(String... arguments) {
        return engine.docker(arguments);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
