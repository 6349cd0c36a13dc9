package io.berth.engine.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.json.JsonMapper;

class ContainerSpecFactoryTest {

    static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    static final ImageRuntimeConfig BUSYBOX = new ImageRuntimeConfig(
            List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C"),
            List.of("sh"), null, null, null, null);

    @TempDir
    Path temp;

    Path rootfs;
    Path procSys;
    ContainerSpecFactory factory;

    @BeforeEach
    void setUp() throws IOException {
        rootfs = Files.createDirectories(temp.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n"
                + "app:x:1000:1000::/home/app:/bin/sh\n");
        procSys = temp.resolve("proc-sys");
        Files.createDirectories(procSys.resolve("kernel"));
        Files.writeString(procSys.resolve("kernel/hostname"), "the-host\n");
        Files.createDirectories(procSys.resolve("net/ipv4"));
        Files.writeString(procSys.resolve("net/ipv4/ip_unprivileged_port_start"), "1024\n");
        factory = new ContainerSpecFactory(procSys, Path.of("/dev"), new SeccompPolicy("amd64", "6.1.0", true));
    }

    Spec build(ContainerSettings.Builder settings) throws IOException {
        return factory.build(ID, settings.build(), BUSYBOX, rootfs);
    }

    Spec build(ContainerSettings.Builder settings, ImageRuntimeConfig image) throws IOException {
        return factory.build(ID, settings.build(), image, rootfs);
    }

    static ImageRuntimeConfig image(List<String> entrypoint, List<String> cmd) {
        return new ImageRuntimeConfig(null, cmd, entrypoint, null, null, null);
    }

    @Test
    void defaultsAreDockers() throws IOException {
        Spec spec = build(ContainerSettings.builder());

        assertThat(spec.ociVersion()).isEqualTo("1.2.0");
        assertThat(spec.hostname()).isEqualTo("0123456789ab");
        assertThat(spec.root()).isEqualTo(new Root(rootfs.toAbsolutePath().toString(), false));
        Process process = spec.process();
        assertThat(process.args()).containsExactly("sh");
        assertThat(process.cwd()).isEqualTo("/");
        assertThat(process.terminal()).isFalse();
        assertThat(process.noNewPrivileges()).isFalse();
        assertThat(process.oomScoreAdj()).isZero();
        assertThat(process.user()).isEqualTo(new User(0, 0, null, List.of(0)));
        assertThat(process.env()).containsExactly(
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=0123456789ab",
                "LANG=C", "HOME=/root");
        assertThat(process.capabilities().bounding()).isEqualTo(DockerDefaults.CAPABILITIES);
        assertThat(process.capabilities().effective()).isEqualTo(DockerDefaults.CAPABILITIES);
        assertThat(process.capabilities().permitted()).isEqualTo(DockerDefaults.CAPABILITIES);
        assertThat(process.capabilities().inheritable()).isNull();
        assertThat(process.rlimits()).isNull();

        Linux linux = spec.linux();
        assertThat(linux.namespaces()).extracting(Namespace::type)
                .containsExactly("mount", "network", "uts", "pid", "ipc", "cgroup");
        assertThat(linux.cgroupsPath()).isEqualTo("/berth/" + ID);
        assertThat(linux.maskedPaths()).contains("/proc/kcore", "/proc/keys", "/sys/firmware");
        assertThat(linux.readonlyPaths()).contains("/proc/sys", "/proc/sysrq-trigger");
        assertThat(linux.devices()).extracting(Device::path)
                .containsExactly("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty");
        assertThat(linux.resources().devices().get(0)).isEqualTo(new Resources.DeviceRule(false, "a", null, null, "rwm"));
        assertThat(linux.resources().devices()).contains(new Resources.DeviceRule(true, "c", 136L, null, "rwm"),
                new Resources.DeviceRule(true, "c", 5L, 2L, "rwm"));
        assertThat(linux.resources().memory()).isNull();
        assertThat(linux.resources().cpu()).isNull();
        assertThat(linux.resources().pids()).isNull();
        // only the sysctl this kernel (the fake /proc/sys) has
        assertThat(linux.sysctl()).containsExactly(java.util.Map.entry("net.ipv4.ip_unprivileged_port_start", "0"));

        assertThat(spec.mounts()).extracting(Mount::destination).containsExactly("/proc", "/dev", "/dev/pts", "/sys",
                "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm");
        assertThat(mount(spec, "/sys").options()).contains("ro");
        assertThat(mount(spec, "/dev/shm").options()).containsExactly("nosuid", "noexec", "nodev", "mode=1777",
                "size=67108864");
    }

    @Test
    void entrypointAndCmdMergeAsDockerDoes() throws IOException {
        ImageRuntimeConfig both = image(List.of("/entry", "-x"), List.of("image-cmd"));
        assertThat(build(ContainerSettings.builder(), both).process().args())
                .containsExactly("/entry", "-x", "image-cmd");
        assertThat(build(ContainerSettings.builder().cmd("mine"), both).process().args())
                .containsExactly("/entry", "-x", "mine");
        // an entrypoint given drops the image's Cmd
        assertThat(build(ContainerSettings.builder().entrypoint("/other"), both).process().args())
                .containsExactly("/other");
        assertThat(build(ContainerSettings.builder().entrypoint("/other").cmd("a"), both).process().args())
                .containsExactly("/other", "a");
        // --entrypoint "": none, and the image's Cmd not either
        assertThat(build(ContainerSettings.builder().entrypoint("").cmd("ls"), both).process().args())
                .containsExactly("ls");
        assertThatThrownBy(() -> build(ContainerSettings.builder().entrypoint(""), both))
                .isInstanceOf(InvalidContainerSettingsException.class).hasMessage("no command specified");
        // "Entrypoint": [] in the body: no entrypoint, the image's Cmd stays
        assertThat(build(ContainerSettings.builder().entrypoint(List.of()), both).process().args())
                .containsExactly("image-cmd");
        assertThatThrownBy(() -> build(ContainerSettings.builder(), ImageRuntimeConfig.empty()))
                .hasMessage("no command specified");
    }

    @Test
    void settingsEnvOverridesTheImagesByKey() throws IOException {
        ImageRuntimeConfig image = new ImageRuntimeConfig(List.of("PATH=/image/bin", "A=image", "B=image"),
                List.of("sh"), null, null, null, null);
        Spec spec = build(ContainerSettings.builder().env("B=mine", "C=mine", "HOME=/elsewhere").tty(true)
                .consoleSize(40, 120), image);

        assertThat(spec.process().env()).containsExactly("PATH=/image/bin", "HOSTNAME=0123456789ab", "TERM=xterm",
                "B=mine", "C=mine", "HOME=/elsewhere", "A=image");
        assertThat(spec.process().terminal()).isTrue();
        assertThat(spec.process().consoleSize()).isEqualTo(new ConsoleSize(40, 120));
        assertThatThrownBy(() -> build(ContainerSettings.builder().env("=x")))
                .hasMessage("invalid environment variable: =x");
    }

    @Test
    void userHostnameAndWorkingDirectory() throws IOException {
        ImageRuntimeConfig image = new ImageRuntimeConfig(null, List.of("sh"), null, "/srv", "app", null);
        Spec spec = build(ContainerSettings.builder().hostname("web").groupAdd("50"), image);
        assertThat(spec.hostname()).isEqualTo("web");
        assertThat(spec.process().cwd()).isEqualTo("/srv");
        assertThat(spec.process().user()).isEqualTo(new User(1000, 1000, null, List.of(1000, 50)));
        assertThat(spec.process().env()).contains("HOME=/home/app", "HOSTNAME=web");
        // a non-root user keeps only the bounding set, as execve leaves it
        assertThat(spec.process().capabilities().bounding()).isEqualTo(DockerDefaults.CAPABILITIES);
        assertThat(spec.process().capabilities().effective()).isNull();
        assertThat(spec.process().capabilities().permitted()).isNull();

        assertThat(build(ContainerSettings.builder().user("0").workingDir("/tmp"), image).process().cwd())
                .isEqualTo("/tmp");
        assertThatThrownBy(() -> build(ContainerSettings.builder().workingDir("rel")))
                .hasMessage("the working directory 'rel' is invalid, it needs to be an absolute path");
        assertThatThrownBy(() -> build(ContainerSettings.builder().user("foo")))
                .hasMessage("unable to find user foo: no matching entries in passwd file");
    }

    @Test
    void swapDefaultsToTwiceTheMemory() throws IOException {
        long mib = 1024 * 1024;
        assertThat(build(ContainerSettings.builder().memory(64 * mib)).linux().resources().memory())
                .isEqualTo(new Resources.Memory(64 * mib, null, 128 * mib, null));
        assertThat(build(ContainerSettings.builder().memory(64 * mib).memorySwap(0L)).linux().resources().memory()
                .swap()).isEqualTo(128 * mib);
        assertThat(build(ContainerSettings.builder().memory(64 * mib).memorySwap(-1L)).linux().resources().memory()
                .swap()).isEqualTo(-1);
        assertThat(build(ContainerSettings.builder().memory(64 * mib).memorySwap(100 * mib)).linux().resources()
                .memory().swap()).isEqualTo(100 * mib);
        assertThatThrownBy(() -> build(ContainerSettings.builder().memorySwap(100 * mib)))
                .hasMessage("You should always set the Memory limit when using Memoryswap limit, see usage");
        assertThatThrownBy(() -> build(ContainerSettings.builder().memory(64 * mib).memorySwap(32 * mib)))
                .hasMessage("Minimum memoryswap limit should be larger than memory limit, see usage");
        assertThatThrownBy(() -> build(ContainerSettings.builder().memory(mib)))
                .hasMessage("Minimum memory limit allowed is 6MB");
    }

    @Test
    void nanoCpusBecomeAQuotaOverAHundredMilliseconds() throws IOException {
        assertThat(build(ContainerSettings.builder().nanoCpus(500_000_000L).cpuShares(512L)).linux().resources()
                .cpu()).isEqualTo(new Resources.Cpu(512L, 50_000L, 100_000L, null, null));
        assertThat(build(ContainerSettings.builder().nanoCpus(10_000_000L)).linux().resources().cpu().quota())
                .isEqualTo(1_000L);
        assertThat(build(ContainerSettings.builder().cpuQuota(20_000L).cpuPeriod(50_000L)).linux().resources().cpu())
                .isEqualTo(new Resources.Cpu(null, 20_000L, 50_000L, null, null));
        assertThatThrownBy(() -> build(ContainerSettings.builder().nanoCpus(1_000_000_000L).cpuPeriod(50_000L)))
                .hasMessage("Conflicting options: Nano CPUs and CPU Period cannot both be set");
    }

    @Test
    void pidsLimitZeroOrLessIsUnlimited() throws IOException {
        assertThat(build(ContainerSettings.builder().pidsLimit(20L)).linux().resources().pids().limit())
                .isEqualTo(20);
        assertThat(build(ContainerSettings.builder().pidsLimit(0L)).linux().resources().pids().limit())
                .isEqualTo(-1);
    }

    @Test
    void privilegedGetsEverything() throws IOException {
        Spec spec = build(ContainerSettings.builder().privileged(true).capDrop("chown"));

        assertThat(spec.process().capabilities().effective()).isEqualTo(DockerDefaults.allCapabilities())
                .contains("CAP_SYS_ADMIN", "CAP_CHOWN");
        assertThat(DockerDefaults.KNOWN_CAPABILITIES).hasSize(41).endsWith("CAP_CHECKPOINT_RESTORE");
        assertThat(spec.linux().maskedPaths()).isNull();
        assertThat(spec.linux().readonlyPaths()).isNull();
        assertThat(mount(spec, "/sys").options()).doesNotContain("ro");
        assertThat(mount(spec, "/sys/fs/cgroup").options()).doesNotContain("ro");
        assertThat(spec.linux().resources().devices())
                .containsExactly(new Resources.DeviceRule(true, "a", null, null, "rwm"));
        assertThat(spec.linux().devices()).extracting(Device::path).contains("/dev/null").doesNotContain("/dev/console");
    }

    @Test
    void capAddAndDrop() throws IOException {
        List<String> caps = build(ContainerSettings.builder().capAdd("net_admin", "CAP_SYS_TIME").capDrop("NET_RAW"))
                .process().capabilities().bounding();
        assertThat(caps).contains("CAP_NET_ADMIN", "CAP_SYS_TIME", "CAP_CHOWN").doesNotContain("CAP_NET_RAW");
        assertThat(build(ContainerSettings.builder().capDrop("ALL").capAdd("kill")).process().capabilities()
                .bounding()).containsExactly("CAP_KILL");
        assertThat(build(ContainerSettings.builder().capAdd("ALL").capDrop("sys_admin")).process().capabilities()
                .bounding()).contains("CAP_SYS_MODULE").doesNotContain("CAP_SYS_ADMIN");
        assertThatThrownBy(() -> build(ContainerSettings.builder().capAdd("nonsense")))
                .hasMessage("unknown capability: \"CAP_NONSENSE\"");
    }

    @Test
    void hostNetworkHasNoNetworkNamespaceAndTheHostsName() throws IOException {
        Spec spec = build(ContainerSettings.builder().networkMode("host"));
        assertThat(spec.linux().namespaces()).extracting(Namespace::type).doesNotContain("network").contains("uts");
        assertThat(spec.hostname()).isEqualTo("the-host");
        assertThat(spec.linux().sysctl()).isNull();
        assertThatThrownBy(() -> build(ContainerSettings.builder().networkMode("host").sysctl("net.ipv4.ip_forward",
                "1"))).hasMessage("sysctl \"net.ipv4.ip_forward\" not allowed in host network namespace");
        assertThatThrownBy(() -> build(ContainerSettings.builder().sysctl("kernel.panic", "1")))
                .hasMessage("sysctl \"kernel.panic\" is not in a separate kernel namespace");
        assertThat(build(ContainerSettings.builder().sysctl("kernel.shmmax", "1000")).linux().sysctl())
                .containsEntry("kernel.shmmax", "1000");
    }

    @Test
    void readonlyRootfsMakesDefaultMountsReadOnlyButTheWritableOnes() throws IOException {
        Spec spec = build(ContainerSettings.builder().readonlyRootfs(true).hostsPath(temp.resolve("hosts"))
                .tmpfs("/run", "size=1m"));
        assertThat(spec.root().readonly()).isTrue();
        assertThat(mount(spec, "/proc").options()).doesNotContain("ro");
        assertThat(mount(spec, "/dev/shm").options()).doesNotContain("ro");
        assertThat(mount(spec, "/dev/mqueue").options()).doesNotContain("ro");
        assertThat(mount(spec, "/sys").options()).containsOnlyOnce("ro");
        assertThat(mount(spec, "/etc/hosts").options()).containsExactly("rbind", "ro", "rprivate");
        assertThat(mount(spec, "/run").options()).doesNotContain("ro");
    }

    @Test
    void bindsTmpfsAndNetworkFilesAfterTheDefaultsParentsFirst() throws IOException {
        Path data = Files.createDirectories(temp.resolve("data"));
        Spec spec = build(ContainerSettings.builder()
                .bind(new ContainerSettings.BindMount(data, "/srv/data/deep", true))
                .bind(new ContainerSettings.BindMount(data, "/srv/", false, "rslave"))
                .tmpfs("/dev/shm", "size=1m,exec")
                .tmpfs("/tmp", null)
                .hostnamePath(temp.resolve("hostname"))
                .resolvConfPath(temp.resolve("resolv.conf"))
                .hostsPath(temp.resolve("hosts"))
                .bind(new ContainerSettings.BindMount(temp.resolve("mine"), "/etc/hosts", false)));

        assertThat(spec.mounts()).extracting(Mount::destination).containsExactly("/proc", "/dev", "/dev/pts", "/sys",
                "/sys/fs/cgroup", "/dev/mqueue", "/srv", "/tmp", "/etc/hosts", "/etc/resolv.conf", "/etc/hostname",
                "/dev/shm", "/srv/data/deep");
        assertThat(mount(spec, "/srv/data/deep")).isEqualTo(new Mount("/srv/data/deep", "bind",
                data.toAbsolutePath().toString(), List.of("rbind", "ro", "rprivate")));
        assertThat(mount(spec, "/srv").options()).containsExactly("rbind", "rslave");
        assertThat(spec.linux().rootfsPropagation()).isEqualTo("rslave");
        assertThat(mount(spec, "/etc/hosts").source()).isEqualTo(temp.resolve("mine").toAbsolutePath().toString());
        assertThat(mount(spec, "/etc/hostname").options()).containsExactly("rbind", "rprivate");
        assertThat(mount(spec, "/dev/shm")).isEqualTo(new Mount("/dev/shm", "tmpfs", "tmpfs",
                List.of("nosuid", "nodev", "rprivate", "size=1m", "exec")));
        assertThat(mount(spec, "/tmp").options()).containsExactly("noexec", "nosuid", "nodev", "rprivate");
        assertThatThrownBy(() -> build(ContainerSettings.builder().tmpfs("/x", "bogus=1")))
                .hasMessage("invalid tmpfs option \"bogus=1\"");
    }

    @Test
    void ulimitsBecomeRlimits() throws IOException {
        Spec spec = build(ContainerSettings.builder().ulimit("nofile", 1024, 2048).ulimit("nproc", 64, 64)
                .noNewPrivileges(true));
        assertThat(spec.process().rlimits()).containsExactly(new Rlimit("RLIMIT_NOFILE", 2048, 1024),
                new Rlimit("RLIMIT_NPROC", 64, 64));
        assertThat(spec.process().noNewPrivileges()).isTrue();
        assertThatThrownBy(() -> build(ContainerSettings.builder().ulimit("bogus", 1, 1)))
                .hasMessage("invalid ulimit type: bogus");
        assertThatThrownBy(() -> build(ContainerSettings.builder().ulimit("nofile", 10, 1)))
                .hasMessage("ulimit soft limit must be less than or equal to hard limit: 10 > 1");
    }

    @Test
    void containersGetDockersDefaultSeccompProfileForTheirCapabilities() throws IOException {
        Seccomp seccomp = build(ContainerSettings.builder()).linux().seccomp();
        assertThat(seccomp.defaultAction()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(seccomp.architectures()).containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
        assertThat(allowed(seccomp)).contains("read", "execve", "chroot", "ptrace")
                .doesNotContain("unshare", "mount", "keyctl");

        Seccomp admin = build(ContainerSettings.builder().capAdd("SYS_ADMIN")).linux().seccomp();
        assertThat(allowed(admin)).contains("unshare", "mount", "setns").doesNotContain("reboot");
        assertThat(build(ContainerSettings.builder().capDrop("SYS_CHROOT")).linux().seccomp())
                .satisfies(dropped -> assertThat(allowed(dropped)).doesNotContain("chroot"));

        assertThat(build(ContainerSettings.builder().seccomp("builtin")).linux().seccomp()).isEqualTo(seccomp);
    }

    @Test
    void unconfinedAndPrivilegedContainersHaveNoFilterUnlessAProfileIsGiven() throws IOException {
        String profile = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],"
                + "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1}]}";
        assertThat(build(ContainerSettings.builder().seccomp("unconfined")).linux().seccomp()).isNull();
        assertThat(build(ContainerSettings.builder().privileged(true)).linux().seccomp()).isNull();
        Seccomp custom = build(ContainerSettings.builder().seccomp(profile)).linux().seccomp();
        assertThat(custom).isEqualTo(new Seccomp("SCMP_ACT_ALLOW", null, null, null,
                List.of(new Seccomp.Syscall(List.of("mkdir"), "SCMP_ACT_ERRNO", 1, null))));
        assertThat(build(ContainerSettings.builder().privileged(true).seccomp(profile)).linux().seccomp())
                .isEqualTo(custom);
        assertThatThrownBy(() -> build(ContainerSettings.builder().seccomp("{not json")))
                .isInstanceOf(InvalidContainerSettingsException.class)
                .hasMessageStartingWith("Decoding seccomp profile failed: ");
    }

    private static List<String> allowed(Seccomp seccomp) {
        return seccomp.syscalls().stream().filter(s -> s.action().equals("SCMP_ACT_ALLOW") && s.args() == null)
                .flatMap(s -> s.names().stream()).toList();
    }

    @Test
    void readsTheImageConfigBlob() {
        ImageRuntimeConfig config = ImageRuntimeConfig.from(JsonMapper.builder().build().readTree("""
                {"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["sh"],"Entrypoint":null,
                 "WorkingDir":"/w","User":"app","StopSignal":"SIGQUIT","Labels":{"a":"b"}},"rootfs":{}}
                """));
        assertThat(config).isEqualTo(new ImageRuntimeConfig(List.of("PATH=/bin"), List.of("sh"), null, "/w", "app",
                "SIGQUIT"));
        assertThat(ImageRuntimeConfig.from(JsonMapper.builder().build().readTree("{\"os\":\"linux\"}")))
                .isEqualTo(ImageRuntimeConfig.empty());
    }

    static Mount mount(Spec spec, String destination) {
        return spec.mounts().stream().filter(m -> m.destination().equals(destination)).findFirst().orElseThrow();
    }
}
