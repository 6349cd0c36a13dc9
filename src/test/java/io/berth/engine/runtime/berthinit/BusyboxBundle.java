package io.berth.engine.runtime.berthinit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import io.berth.engine.runtime.spec.Capabilities;
import io.berth.engine.runtime.spec.Linux;
import io.berth.engine.runtime.spec.Mount;
import io.berth.engine.runtime.spec.Namespace;
import io.berth.engine.runtime.spec.Process;
import io.berth.engine.runtime.spec.Resources;
import io.berth.engine.runtime.spec.Root;
import io.berth.engine.runtime.spec.Spec;
import io.berth.engine.runtime.spec.User;

/**
 * A bundle for the runtime tests: a rootfs with the host's static busybox and the applets the tests use, and a
 * config.json with Docker's defaults (namespaces, mounts, masked and read-only paths, capabilities) written by hand.
 */
final class BusyboxBundle {

    static final List<String> DOCKER_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
            "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    private static final List<String> APPLETS = List.of("sh", "echo", "cat", "ls", "ps", "mount", "id", "hostname",
            "tail", "sleep", "grep", "touch", "wc", "true", "pwd", "head", "env", "readlink", "stty", "tty");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    final Path dir;
    final Path rootfs;

    private BusyboxBundle(Path dir) {
        this.dir = dir;
        this.rootfs = dir.resolve("rootfs");
    }

    static BusyboxBundle create(Path dir) throws IOException {
        BusyboxBundle bundle = new BusyboxBundle(dir);
        Path bin = Files.createDirectories(bundle.rootfs.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        for (String applet : APPLETS) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        Path etc = Files.createDirectories(bundle.rootfs.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home:/bin/sh\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nuser:x:1000:\nextra:x:2000:user\n");
        for (String dirName : List.of("proc", "sys", "dev", "tmp", "mnt")) {
            Files.createDirectories(bundle.rootfs.resolve(dirName));
        }
        return bundle;
    }

    /** Docker's defaults, running {@code args} as root. */
    static Spec spec(String... args) {
        Process process = new Process(false, null, new User(0, 0, null, null), List.of(args),
                List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), "/",
                new Capabilities(DOCKER_CAPABILITIES, DOCKER_CAPABILITIES, null, DOCKER_CAPABILITIES, null), null,
                true, null);
        List<Mount> mounts = List.of(new Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new Mount("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
                new Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro")),
                new Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                new Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777",
                        "size=67108864")));
        Linux linux = new Linux(
                List.of(Namespace.of("mount"), Namespace.of("network"), Namespace.of("uts"), Namespace.of("pid"),
                        Namespace.of("ipc"), Namespace.of("cgroup")),
                null, null, null,
                List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
                        "/sys/devices/virtual/powercap"),
                List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"), null, null, null);
        return new Spec(Spec.VERSION, process, new Root("rootfs", false), "berthbox", mounts, linux, null);
    }

    /** Writes config.json, with a cgroup of its own unless the spec names one (runc needs an absolute path). */
    void write(Spec spec) throws IOException {
        Linux l = spec.linux();
        if (l.cgroupsPath() == null) {
            spec = new Spec(spec.ociVersion(), spec.process(), spec.root(), spec.hostname(), spec.mounts(),
                    new Linux(l.namespaces(), "/berth/bundle-" + java.util.UUID.randomUUID(), l.resources(),
                            l.devices(), l.maskedPaths(), l.readonlyPaths(), l.rootfsPropagation(), l.sysctl(), l.seccomp()),
                    spec.annotations());
        }
        Files.writeString(dir.resolve("config.json"), JSON.writeValueAsString(spec));
    }

    static Spec withProcess(Spec spec, Process process) {
        return new Spec(spec.ociVersion(), process, spec.root(), spec.hostname(), spec.mounts(), spec.linux(),
                spec.annotations());
    }

    static Spec withResources(Spec spec, Resources resources) {
        Linux l = spec.linux();
        return new Spec(spec.ociVersion(), spec.process(), spec.root(), spec.hostname(), spec.mounts(),
                new Linux(l.namespaces(), l.cgroupsPath(), resources, l.devices(), l.maskedPaths(), l.readonlyPaths(),
                        l.rootfsPropagation(), l.sysctl(), l.seccomp()),
                spec.annotations());
    }

    static Spec withMount(Spec spec, Mount mount) {
        List<Mount> mounts = new ArrayList<>(spec.mounts());
        mounts.add(mount);
        return new Spec(spec.ociVersion(), spec.process(), spec.root(), spec.hostname(), mounts, spec.linux(),
                spec.annotations());
    }

    static Spec withAnnotations(Spec spec, Map<String, String> annotations) {
        return new Spec(spec.ociVersion(), spec.process(), spec.root(), spec.hostname(), spec.mounts(), spec.linux(),
                annotations);
    }

    static Process process(Spec spec, boolean terminal, User user, List<String> env, String cwd, String... args) {
        Process p = spec.process();
        return new Process(terminal, p.consoleSize(), user, List.of(args), env, cwd, p.capabilities(), p.rlimits(),
                p.noNewPrivileges(), p.oomScoreAdj());
    }
}
