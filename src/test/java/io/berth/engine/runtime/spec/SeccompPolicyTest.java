package io.berth.engine.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Docker's profile format resolved for one container, as dockerd resolves it (moby's profiles/seccomp). */
class SeccompPolicyTest {

    private static final SeccompPolicy X86_64 = new SeccompPolicy("amd64", "6.18.44-fc", true);

    @Test
    void theSecurityOptionIsReadAsDockerSendsIt() {
        assertThat(SeccompPolicy.option(null)).isNull();
        assertThat(SeccompPolicy.option(List.of("no-new-privileges", "label=disable"))).isNull();
        assertThat(SeccompPolicy.option(List.of("seccomp=unconfined"))).isEqualTo("unconfined");
        assertThat(SeccompPolicy.option(List.of("seccomp:{\"defaultAction\":\"SCMP_ACT_ALLOW\"}")))
                .isEqualTo("{\"defaultAction\":\"SCMP_ACT_ALLOW\"}");
    }

    @Test
    void rulesApplyByArchitectureKernelAndCapabilities() {
        SeccompProfile profile = SeccompProfile.parse("""
                {"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,
                 "archMap":[{"architecture":"SCMP_ARCH_AARCH64","subArchitectures":["SCMP_ARCH_ARM"]},
                            {"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86","SCMP_ARCH_X32"]}],
                 "syscalls":[
                  {"names":["read"],"action":"SCMP_ACT_ALLOW","comment":"always"},
                  {"name":"arch_prctl","action":"SCMP_ACT_ALLOW","includes":{"arches":["amd64","x32"]}},
                  {"names":["cacheflush"],"action":"SCMP_ACT_ALLOW","includes":{"arches":["arm","arm64"]}},
                  {"names":["ptrace"],"action":"SCMP_ACT_ALLOW","includes":{"minKernel":"4.8"}},
                  {"names":["newer"],"action":"SCMP_ACT_ALLOW","includes":{"minKernel":"7.0"}},
                  {"names":["mount"],"action":"SCMP_ACT_ALLOW","includes":{"caps":["CAP_SYS_ADMIN"]}},
                  {"names":["both"],"action":"SCMP_ACT_ALLOW","includes":{"caps":["CAP_SYS_ADMIN","CAP_BPF"]}},
                  {"names":["clone"],"action":"SCMP_ACT_ALLOW","excludes":{"caps":["CAP_SYS_ADMIN"]},
                   "args":[{"index":0,"value":2114060288,"op":"SCMP_CMP_MASKED_EQ"}]},
                  {"names":["clone3"],"action":"SCMP_ACT_ERRNO","errnoRet":38,"excludes":{"caps":["CAP_SYS_ADMIN"]}},
                  {"names":["oldkernel"],"action":"SCMP_ACT_ALLOW","excludes":{"minKernel":"5.0"}},
                  {"names":["nots390"],"action":"SCMP_ACT_ALLOW","excludes":{"arches":["s390x"]}},
                  {"names":["personality"],"action":"SCMP_ACT_ALLOW",
                   "args":[{"index":0,"value":4294967295,"op":"SCMP_CMP_EQ"}]}]}
                """);
        Seccomp plain = X86_64.resolve(profile, List.of("CAP_CHOWN"));
        assertThat(plain.defaultAction()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(plain.defaultErrnoRet()).isEqualTo(1);
        assertThat(plain.architectures()).containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
        assertThat(names(plain)).containsExactly("read", "arch_prctl", "ptrace", "clone", "clone3", "nots390",
                "personality");
        assertThat(plain.syscalls().get(3).args()).containsExactly(
                new Seccomp.Arg(0, BigInteger.valueOf(2114060288L), null, "SCMP_CMP_MASKED_EQ"));
        assertThat(plain.syscalls().get(4).errnoRet()).isEqualTo(38);
        assertThat(plain.syscalls().get(6).args().get(0).value()).isEqualTo(BigInteger.valueOf(4294967295L));

        Seccomp admin = X86_64.resolve(profile, List.of("CAP_SYS_ADMIN"));
        assertThat(names(admin)).containsExactly("read", "arch_prctl", "ptrace", "mount", "nots390", "personality");
        assertThat(names(X86_64.resolve(profile, List.of("CAP_SYS_ADMIN", "CAP_BPF")))).contains("both");

        SeccompPolicy oldArm = new SeccompPolicy("aarch64", "4.4.0-generic", true);
        Seccomp arm = oldArm.resolve(profile, List.of());
        assertThat(arm.architectures()).containsExactly("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM");
        assertThat(names(arm)).containsExactly("read", "cacheflush", "clone", "clone3", "oldkernel", "nots390",
                "personality");
    }

    @Test
    void aProfileWithoutArchitecturesCoversTheNativeOneAndANameAloneIsOneRule() {
        Seccomp seccomp = X86_64.resolve(SeccompProfile.parse("""
                {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"name":"mkdir","action":"SCMP_ACT_ERRNO"}],
                 "someFieldOfTheFuture":true}
                """), List.of());
        assertThat(seccomp).isEqualTo(new Seccomp("SCMP_ACT_ALLOW", null, null, null,
                List.of(new Seccomp.Syscall(List.of("mkdir"), "SCMP_ACT_ERRNO", null, null))));
        assertThat(X86_64.resolve(SeccompProfile.parse("{}"), List.of())).isNull();
    }

    @Test
    void whatIsNoValidProfileIsRefusedBeforeTheContainerExists() {
        assertThatThrownBy(() -> X86_64.forContainer("[]", false, List.of()))
                .isInstanceOf(InvalidContainerSettingsException.class)
                .hasMessageStartingWith("Decoding seccomp profile failed: ");
        assertInvalid("{\"defaultAction\":\"SCMP_ACT_DENY\"}", "unknown seccomp action \"SCMP_ACT_DENY\"");
        assertInvalid("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
                + "\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\"}]}", "both 'architectures' and 'archMap'");
        assertInvalid("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"name\":\"a\",\"names\":[\"b\"],"
                + "\"action\":\"SCMP_ACT_ERRNO\"}]}", "both 'name' and 'names'");
        assertInvalid("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],"
                + "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":6,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
                "argument index 6");
        assertInvalid("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],"
                + "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_LIKE\"}]}]}",
                "unknown seccomp operator");
        assertInvalid("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],"
                + "\"action\":\"SCMP_ACT_NOTIFY\"}]}", "SCMP_ACT_NOTIFY is not supported");
        assertInvalid("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_NEW\"]}",
                "unknown seccomp flag");
        assertInvalid("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],"
                + "\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":\"four\"}}]}", "invalid kernel version");
    }

    @Test
    void withoutSeccompInTheKernelOnlyTheDefaultIsDroppedQuietly() {
        SeccompPolicy none = new SeccompPolicy("amd64", "6.1.0", false);
        assertThat(none.supported()).isFalse();
        assertThat(none.forContainer(null, false, List.of())).isNull();
        assertThatThrownBy(() -> none.forContainer("{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", false, List.of()))
                .hasMessage("seccomp is not enabled in your kernel, cannot run a custom seccomp profile");
    }

    @Test
    void theBuiltinProfileIsDockersDefault() {
        SeccompProfile builtin = SeccompPolicy.defaultProfile();
        assertThat(builtin.defaultAction()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(builtin.defaultErrnoRet()).isEqualTo(1);
        Seccomp seccomp = X86_64.resolve(builtin, DockerDefaults.CAPABILITIES);
        // Docker's defaults refuse what the default capabilities leave out: namespaces, mounts, tracing, modules
        List<String> allowed = seccomp.syscalls().stream().filter(s -> s.action().equals("SCMP_ACT_ALLOW"))
                .flatMap(s -> s.names().stream()).toList();
        assertThat(allowed).contains("read", "write", "execve", "clone", "socket", "chroot", "ptrace")
                .doesNotContain("unshare", "mount", "setns", "init_module", "bpf", "keyctl", "add_key", "reboot");
        assertThat(seccomp.syscalls()).contains(new Seccomp.Syscall(List.of("clone3"), "SCMP_ACT_ERRNO", 38, null));
    }

    private static List<String> names(Seccomp seccomp) {
        return seccomp.syscalls().stream().flatMap(s -> s.names().stream()).toList();
    }

    private static void assertInvalid(String profile, String message) {
        assertThatThrownBy(() -> X86_64.forContainer(profile, false, List.of()))
                .isInstanceOf(InvalidContainerSettingsException.class).hasMessageContaining(message);
    }
}
