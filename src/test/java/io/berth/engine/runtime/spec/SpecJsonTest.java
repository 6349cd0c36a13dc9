package io.berth.engine.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SpecJsonTest {

    @TempDir
    Path temp;

    Spec spec() {
        return new Spec(Spec.VERSION,
                new Process(true, new ConsoleSize(24, 80), new User(1000, 1000, null, List.of(1000, 10)),
                        List.of("sh"), List.of("PATH=/bin"), "/", new Capabilities(List.of("CAP_KILL"),
                                List.of("CAP_KILL"), null, List.of("CAP_KILL"), null),
                        List.of(new Rlimit("RLIMIT_NOFILE", 2048, 1024)), true, 0),
                new Root("/var/lib/berth/rootfs", true), "web",
                List.of(new Mount("/proc", "proc", "proc", List.of("nosuid"))),
                new Linux(List.of(Namespace.of("pid"), new Namespace("network", "/proc/1/ns/net")), "/berth/abc",
                        new Resources(new Resources.Memory(64L, null, 128L, null),
                                new Resources.Cpu(512L, 50_000L, 100_000L, null, null), new Resources.Pids(20),
                                DockerDefaults.DEVICE_RULES),
                        DockerDefaults.DEVICES, DockerDefaults.MASKED_PATHS, DockerDefaults.READONLY_PATHS, null,
                        Map.of("net.ipv4.ip_unprivileged_port_start", "0"),
                        new Seccomp("SCMP_ACT_ERRNO", 1, List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"), null,
                                List.of(new Seccomp.Syscall(List.of("read", "write"), "SCMP_ACT_ALLOW", null, null),
                                        new Seccomp.Syscall(List.of("clone"), "SCMP_ACT_ALLOW", null, List.of(
                                                new Seccomp.Arg(0, BigInteger.valueOf(2114060288L), null,
                                                        "SCMP_CMP_MASKED_EQ")))))),
                null);
    }

    @Test
    void roundTripsThroughConfigJson() throws IOException {
        Spec spec = spec();
        Path file = SpecJson.write(spec, temp);

        assertThat(file).isEqualTo(temp.resolve("config.json"));
        assertThat(SpecJson.read(temp)).isEqualTo(spec);
        try (var left = Files.list(temp)) {
            assertThat(left).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void fieldNamesAreTheRuntimeSpecs() {
        JsonNode json = JsonMapper.builder().build().readTree(SpecJson.toJson(spec()));

        assertThat(json.path("ociVersion").asString()).isEqualTo("1.2.0");
        assertThat(json.path("process").path("noNewPrivileges").asBoolean()).isTrue();
        assertThat(json.path("process").path("consoleSize").path("width").asInt()).isEqualTo(80);
        assertThat(json.path("process").path("user").path("additionalGids").get(1).asInt()).isEqualTo(10);
        assertThat(json.path("process").path("oomScoreAdj").asInt()).isZero();
        assertThat(json.path("process").path("rlimits").get(0).path("type").asString()).isEqualTo("RLIMIT_NOFILE");
        assertThat(json.path("root").path("readonly").asBoolean()).isTrue();
        assertThat(json.path("linux").path("cgroupsPath").asString()).isEqualTo("/berth/abc");
        assertThat(json.path("linux").path("maskedPaths").isArray()).isTrue();
        assertThat(json.path("linux").path("readonlyPaths").isArray()).isTrue();
        assertThat(json.path("linux").path("resources").path("memory").path("swap").asLong()).isEqualTo(128);
        assertThat(json.path("linux").path("resources").path("devices").get(0).path("allow").asBoolean()).isFalse();
        assertThat(json.path("linux").path("devices").get(0).path("fileMode").asInt()).isEqualTo(0666);
        assertThat(json.path("linux").path("sysctl").path("net.ipv4.ip_unprivileged_port_start").asString())
                .isEqualTo("0");
        JsonNode seccomp = json.path("linux").path("seccomp");
        assertThat(seccomp.path("defaultAction").asString()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(seccomp.path("defaultErrnoRet").asInt()).isEqualTo(1);
        assertThat(seccomp.path("architectures").get(1).asString()).isEqualTo("SCMP_ARCH_X86");
        assertThat(seccomp.path("syscalls").get(0).path("names").get(1).asString()).isEqualTo("write");
        JsonNode arg = seccomp.path("syscalls").get(1).path("args").get(0);
        assertThat(arg.path("index").asInt()).isZero();
        assertThat(arg.path("value").asLong()).isEqualTo(2114060288L);
        assertThat(arg.path("op").asString()).isEqualTo("SCMP_CMP_MASKED_EQ");
        assertThat(arg.has("valueTwo")).isFalse();
        // absent values are left out, not written as null
        assertThat(json.path("process").path("capabilities").has("inheritable")).isFalse();
        assertThat(json.path("linux").has("rootfsPropagation")).isFalse();
        assertThat(json.has("annotations")).isFalse();
        assertThat(json.path("linux").path("namespaces").get(0).has("path")).isFalse();
    }

    @Test
    void readsASpecWithFieldsBerthDoesNotModel() {
        Spec spec = SpecJson.fromJson("""
                {"ociVersion":"1.0.2-dev","process":{"user":{"uid":0,"gid":0},"args":["sh"],"cwd":"/",
                 "apparmorProfile":"x"},"root":{"path":"rootfs"},"hostname":"runc",
                 "linux":{"uidMappings":[],"namespaces":[{"type":"pid"}]}}
                """);
        assertThat(spec.process().args()).containsExactly("sh");
        assertThat(spec.process().terminal()).isFalse();
        assertThat(spec.root()).isEqualTo(new Root("rootfs", false));
    }
}
