package io.berth.engine.runtime.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What Docker gives every container unless told otherwise: moby's {@code oci/defaults.go} and
 * {@code daemon/oci_linux.go}, plus the devices and device rules runc adds on its own to every Docker container
 * (Berth's native runtime adds nothing, so the spec must say them all).
 */
public final class DockerDefaults {

    /** The PATH a container gets when its image sets none. */
    public static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** Bytes of /dev/shm when HostConfig.ShmSize is unset or 0 (64 MiB). */
    public static final long SHM_SIZE = 64L * 1024 * 1024;

    /** The cgroup containers' cgroups are created under (Docker's is /docker). */
    public static final String CGROUP_PARENT = "/berth";

    /** Docker's period for NanoCpus, in microseconds (100 ms). */
    public static final long CPU_PERIOD = 100_000;

    public static final List<String> CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
            "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    /** Every capability by number (CAP_CHOWN is 0), up to CAP_CHECKPOINT_RESTORE (40, Linux 5.9). */
    public static final List<String> KNOWN_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE",
            "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
            "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
            "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
            "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
            "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
            "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    public static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore",
            "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
            "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap");

    public static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    /** The namespaces of a container, in moby's order; cgroup as Docker does with cgroupns=private. */
    public static final List<String> NAMESPACES = List.of("mount", "network", "uts", "pid", "ipc", "cgroup");

    private static final int MODE_0666 = 0666;

    /** The nodes every /dev gets: moby lists none and leaves them to the runtime, which the spec requires anyway. */
    public static final List<Device> DEVICES = List.of(
            new Device("/dev/null", "c", 1, 3, MODE_0666, 0, 0),
            new Device("/dev/zero", "c", 1, 5, MODE_0666, 0, 0),
            new Device("/dev/full", "c", 1, 7, MODE_0666, 0, 0),
            new Device("/dev/random", "c", 1, 8, MODE_0666, 0, 0),
            new Device("/dev/urandom", "c", 1, 9, MODE_0666, 0, 0),
            new Device("/dev/tty", "c", 5, 0, MODE_0666, 0, 0));

    /**
     * moby's device cgroup rules (deny all; allow zero, null, urandom, random, tty, console; deny fuse) followed by the
     * ones runc appends to every container (mknod of any node, full, the pty slaves, ptmx, tun).
     */
    public static final List<Resources.DeviceRule> DEVICE_RULES = List.of(
            new Resources.DeviceRule(false, "a", null, null, "rwm"),
            allow("c", 1L, 5L, "rwm"),
            allow("c", 1L, 3L, "rwm"),
            allow("c", 1L, 9L, "rwm"),
            allow("c", 1L, 8L, "rwm"),
            allow("c", 5L, 0L, "rwm"),
            allow("c", 5L, 1L, "rwm"),
            new Resources.DeviceRule(false, "c", 10L, 229L, "rwm"),
            allow("c", null, null, "m"),
            allow("b", null, null, "m"),
            allow("c", 1L, 7L, "rwm"),
            allow("c", 136L, null, "rwm"),
            allow("c", 5L, 2L, "rwm"),
            allow("c", 10L, 200L, "rwm"));

    /** A privileged container may use every device. */
    public static final List<Resources.DeviceRule> PRIVILEGED_DEVICE_RULES = List.of(allow("a", null, null, "rwm"));

    private DockerDefaults() {
    }

    /**
     * The default mounts, /dev/shm sized {@code shmSize} bytes (moby: tmpfs of {@code HostConfig.ShmSize} for the
     * default private IPC mode).
     */
    public static List<Mount> mounts(long shmSize) {
        return List.of(
                new Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new Mount("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
                new Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("ro", "nosuid", "noexec", "nodev")),
                new Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                new Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777",
                        "size=" + shmSize)));
    }

    /**
     * Every capability the Engine itself has (its effective set in {@code /proc/self/status}), what a privileged
     * container gets, as dockerd gives it: where the Engine runs with fewer (a container, a restricted sandbox), a
     * privileged container still starts. Where that cannot be read, every capability the kernel knows
     * ({@code /proc/sys/kernel/cap_last_cap}), else all of {@link #KNOWN_CAPABILITIES}.
     */
    public static List<String> allCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long effective = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    List<String> caps = new java.util.ArrayList<>();
                    for (int bit = 0; bit < KNOWN_CAPABILITIES.size(); bit++) {
                        if ((effective & (1L << bit)) != 0) {
                            caps.add(KNOWN_CAPABILITIES.get(bit));
                        }
                    }
                    if (!caps.isEmpty()) {
                        return List.copyOf(caps);
                    }
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // fall back on what the kernel knows
        }
        try {
            // readAllLines, not readString: procfs files claim a size of 0 and readString then stops short
            int last = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/kernel/cap_last_cap")).get(0).trim());
            return KNOWN_CAPABILITIES.subList(0, Math.min(last + 1, KNOWN_CAPABILITIES.size()));
        } catch (IOException | RuntimeException e) {
            return KNOWN_CAPABILITIES;
        }
    }

    private static Resources.DeviceRule allow(String type, Long major, Long minor, String access) {
        return new Resources.DeviceRule(true, type, major, minor, access);
    }
}
