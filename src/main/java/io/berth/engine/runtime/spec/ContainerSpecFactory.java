package io.berth.engine.runtime.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds a container's OCI runtime spec from its settings and its image's config exactly as Docker does (moby's
 * {@code daemon/create.go} merge, {@code oci/defaults.go} and {@code daemon/oci_linux.go}): the same process,
 * capabilities, mounts, namespaces, limits and device rules, so that a container behaves the same under Berth as under
 * dockerd + runc. Every refusal is an {@link InvalidContainerSettingsException} in Docker's words.
 */
public final class ContainerSpecFactory {

    private static final int SHORT_ID = 12;
    private static final long MIN_MEMORY = 6L * 1024 * 1024;
    private static final long NANOS_PER_CPU = 1_000_000_000L;
    private static final Set<String> ULIMITS = Set.of("as", "core", "cpu", "data", "fsize", "locks", "memlock",
            "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");
    private static final Set<String> PROPAGATIONS = Set.of("private", "rprivate", "shared", "rshared", "slave",
            "rslave");
    /** Default mounts a read-only rootfs leaves writable (moby's setMounts). */
    private static final Set<String> WRITABLE_WITH_READONLY_ROOTFS = Set.of("/proc", "/dev/pts", "/dev/shm",
            "/dev/mqueue", "/dev");
    /** Sysctls of the IPC namespace (runc's validation: the only kernel.* ones a container may set). */
    private static final Set<String> IPC_SYSCTLS = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
            "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");
    /** The network sysctls Docker sets in a container's own network namespace, when the kernel has them. */
    private static final Map<String, String> DEFAULT_NETWORK_SYSCTLS = Map.of(
            "net.ipv4.ping_group_range", "0 2147483647",
            "net.ipv4.ip_unprivileged_port_start", "0");

    private final Path procSys;
    private final Path hostDev;
    private final SeccompPolicy seccomp;

    public ContainerSpecFactory() {
        this(Path.of("/proc/sys"), Path.of("/dev"), SeccompPolicy.host());
    }

    /**
     * With another /proc/sys (the host's hostname, which sysctls exist), /dev (a privileged container's nodes) and
     * machine for seccomp.
     */
    ContainerSpecFactory(Path procSys, Path hostDev, SeccompPolicy seccomp) {
        this.procSys = procSys;
        this.hostDev = hostDev;
        this.seccomp = seccomp;
    }

    /**
     * The spec for container {@code containerId} whose root file system is {@code rootfs} (already prepared by the
     * graph driver: the user is resolved against its /etc/passwd and /etc/group).
     */
    public Spec build(String containerId, ContainerSettings settings, ImageRuntimeConfig image, Path rootfs)
            throws IOException {
        if (containerId == null || containerId.isEmpty() || containerId.contains("/")) {
            throw new IllegalArgumentException("invalid container id \"" + containerId + "\"");
        }
        ImageRuntimeConfig img = image == null ? ImageRuntimeConfig.empty() : image;
        boolean hostNetwork = "host".equals(settings.networkMode());

        List<String> args = args(settings, img);
        String hostname = hostname(containerId, settings, hostNetwork);
        String userSpec = isEmpty(settings.user()) ? img.user() : settings.user();
        ResolvedUser user = UserResolver.resolve(rootfs, userSpec, settings.groupAdd());
        List<String> env = env(settings, img, hostname, user);
        String cwd = workingDir(settings, img);

        List<String> caps = CapabilityTweaks.apply(DockerDefaults.CAPABILITIES, settings.capAdd(), settings.capDrop(),
                settings.privileged());
        // a non-root process starts with no effective or permitted capabilities, as execve would leave it
        Capabilities capabilities = user.uid() == 0 ? new Capabilities(caps, caps, null, caps, null)
                : new Capabilities(caps, null, null, null, null);
        int oomScoreAdj = settings.oomScoreAdj() == null ? 0 : settings.oomScoreAdj();
        if (oomScoreAdj < -1000 || oomScoreAdj > 1000) {
            throw new InvalidContainerSettingsException(
                    "Invalid value " + oomScoreAdj + ", range for oom score adj is [-1000, 1000]");
        }
        ConsoleSize console = settings.tty() && settings.consoleSize() != null
                && (settings.consoleSize().height() > 0 || settings.consoleSize().width() > 0) ? settings.consoleSize()
                        : null;
        Process process = new Process(settings.tty(), console, user.toSpecUser(), args, env, cwd, capabilities,
                rlimits(settings.ulimits()), settings.noNewPrivileges(), oomScoreAdj);

        MountPlan mounts = mounts(settings);
        List<Namespace> namespaces = DockerDefaults.NAMESPACES.stream()
                .filter(type -> !(hostNetwork && type.equals("network")))
                .map(Namespace::of)
                .toList();
        String parent = isEmpty(settings.cgroupParent()) ? DockerDefaults.CGROUP_PARENT : settings.cgroupParent();
        Linux linux = new Linux(namespaces, cleanCgroupPath(parent + "/" + containerId), resources(settings),
                settings.privileged() ? HostDevices.list(hostDev) : DockerDefaults.DEVICES,
                settings.privileged() ? null : DockerDefaults.MASKED_PATHS,
                settings.privileged() ? null : DockerDefaults.READONLY_PATHS,
                mounts.rootfsPropagation(), sysctls(settings, hostNetwork),
                seccomp.forContainer(settings.seccomp(), settings.privileged(), caps));
        return new Spec(Spec.VERSION, process, new Root(rootfs.toAbsolutePath().normalize().toString(),
                settings.readonlyRootfs()), hostname, mounts.mounts(), linux,
                settings.openStdin() ? Map.of(Spec.STDIN_ANNOTATION, "open") : null);
    }

    /** Docker's merge: a given entrypoint drops the image's Cmd; a given Cmd keeps the image's entrypoint. */
    static List<String> args(ContainerSettings settings, ImageRuntimeConfig image) {
        List<String> entrypoint = settings.entrypoint();
        List<String> cmd = settings.cmd();
        if (isEmpty(entrypoint)) {
            if (isEmpty(cmd)) {
                cmd = image.cmd();
            }
            if (entrypoint == null) {
                entrypoint = image.entrypoint();
            }
        }
        if (entrypoint != null && entrypoint.size() == 1 && entrypoint.get(0).isEmpty()) {
            entrypoint = null; // --entrypoint "": no entrypoint, and (above) not the image's Cmd either
        }
        if (isEmpty(entrypoint) && isEmpty(cmd)) {
            throw new InvalidContainerSettingsException("no command specified");
        }
        List<String> args = new ArrayList<>();
        if (entrypoint != null) {
            args.addAll(entrypoint);
        }
        if (cmd != null) {
            args.addAll(cmd);
        }
        return List.copyOf(args);
    }

    private String hostname(String containerId, ContainerSettings settings, boolean hostNetwork) throws IOException {
        if (!isEmpty(settings.hostname())) {
            return settings.hostname();
        }
        if (hostNetwork) {
            // Docker: the host's own name (readAllLines: procfs files claim a size of 0, which readString trusts)
            return Files.readAllLines(procSys.resolve("kernel/hostname")).get(0).strip();
        }
        return containerId.length() > SHORT_ID ? containerId.substring(0, SHORT_ID) : containerId;
    }

    /**
     * PATH, HOSTNAME and (with a TTY) TERM, overridden or extended by the container's env, which is the settings' env
     * followed by the image's variables it does not set; an entry without {@code =} removes a default. HOME from the
     * user's passwd entry when nothing sets it (runc's rule, made explicit for runtimes that lack it).
     */
    private static List<String> env(ContainerSettings settings, ImageRuntimeConfig image, String hostname,
            ResolvedUser user) {
        List<String> container = new ArrayList<>();
        if (isEmpty(settings.env())) {
            if (image.env() != null) {
                container.addAll(image.env());
            }
        } else {
            container.addAll(settings.env());
            if (image.env() != null) {
                for (String imageEnv : image.env()) {
                    String key = key(imageEnv);
                    if (settings.env().stream().noneMatch(e -> key(e).equals(key))) {
                        container.add(imageEnv);
                    }
                }
            }
        }
        for (String entry : container) {
            if (entry == null || entry.isEmpty() || entry.startsWith("=")) {
                throw new InvalidContainerSettingsException("invalid environment variable: " + entry);
            }
        }

        List<String> env = new ArrayList<>();
        env.add("PATH=" + DockerDefaults.PATH);
        env.add("HOSTNAME=" + hostname);
        if (settings.tty()) {
            env.add("TERM=xterm");
        }
        Map<String, Integer> defaults = new HashMap<>();
        for (int i = 0; i < env.size(); i++) {
            defaults.put(key(env.get(i)), i);
        }
        for (String entry : container) {
            Integer index = defaults.get(key(entry));
            if (!entry.contains("=")) {
                if (index != null) {
                    env.set(index, null);
                }
            } else if (index != null) {
                env.set(index, entry);
            } else {
                env.add(entry);
            }
        }
        env.removeIf(e -> e == null);
        if (env.stream().noneMatch(e -> key(e).equals("HOME"))) {
            env.add("HOME=" + user.home());
        }
        return List.copyOf(env);
    }

    private static String workingDir(ContainerSettings settings, ImageRuntimeConfig image) {
        String dir = isEmpty(settings.workingDir()) ? image.workingDir() : settings.workingDir();
        if (isEmpty(dir)) {
            return "/";
        }
        if (!dir.startsWith("/")) {
            throw new InvalidContainerSettingsException(
                    "the working directory '" + dir + "' is invalid, it needs to be an absolute path");
        }
        return dir;
    }

    private static List<Rlimit> rlimits(List<ContainerSettings.Ulimit> ulimits) {
        if (ulimits == null || ulimits.isEmpty()) {
            return null;
        }
        List<Rlimit> rlimits = new ArrayList<>();
        for (ContainerSettings.Ulimit ulimit : ulimits) {
            String name = ulimit.name().toLowerCase(Locale.ROOT);
            if (!ULIMITS.contains(name)) {
                throw new InvalidContainerSettingsException("invalid ulimit type: " + ulimit.name());
            }
            if (ulimit.soft() > ulimit.hard() && ulimit.hard() != -1) {
                throw new InvalidContainerSettingsException("ulimit soft limit must be less than or equal to hard "
                        + "limit: " + ulimit.soft() + " > " + ulimit.hard());
            }
            rlimits.add(new Rlimit("RLIMIT_" + name.toUpperCase(Locale.ROOT), ulimit.hard(), ulimit.soft()));
        }
        return List.copyOf(rlimits);
    }

    private record MountPlan(List<Mount> mounts, String rootfsPropagation) {
    }

    /** A mount the user asked for, with how deep its destination is (parents are mounted before children). */
    private record UserMount(Mount mount, int depth) {
    }

    /**
     * Docker's default mounts (less those a user mount replaces, and everything under /dev when the user mounts /dev)
     * followed by the user's binds, the network files and the tmpfs mounts, shallowest destination first.
     */
    private static MountPlan mounts(ContainerSettings settings) {
        long shmSize = settings.shmSize() == null || settings.shmSize() == 0 ? DockerDefaults.SHM_SIZE
                : settings.shmSize();
        if (shmSize < 0) {
            throw new InvalidContainerSettingsException("SHM size can not be less than 0");
        }
        List<UserMount> user = new ArrayList<>();
        String rootfsPropagation = null;
        for (ContainerSettings.BindMount bind : settings.binds()) {
            String propagation = bind.propagation() == null || bind.propagation().isEmpty() ? "rprivate"
                    : bind.propagation();
            if (!PROPAGATIONS.contains(propagation)) {
                throw new InvalidContainerSettingsException("invalid propagation mode: " + propagation);
            }
            if (propagation.endsWith("shared")) {
                rootfsPropagation = "shared";
            } else if (propagation.endsWith("slave") && !"shared".equals(rootfsPropagation)) {
                rootfsPropagation = "rslave";
            }
            List<String> options = new ArrayList<>(List.of("rbind"));
            if (bind.readOnly()) {
                options.add("ro");
            }
            options.add(propagation);
            user.add(userMount(new Mount(destination(bind.destination()), "bind",
                    bind.source().toAbsolutePath().toString(), List.copyOf(options))));
        }
        Set<String> bound = new HashSet<>(user.stream().map(m -> m.mount().destination()).toList());
        networkFile(user, bound, "/etc/resolv.conf", settings.resolvConfPath(), settings.readonlyRootfs());
        networkFile(user, bound, "/etc/hostname", settings.hostnamePath(), settings.readonlyRootfs());
        networkFile(user, bound, "/etc/hosts", settings.hostsPath(), settings.readonlyRootfs());
        for (ContainerSettings.TmpfsMount tmpfs : settings.tmpfs()) {
            user.add(userMount(new Mount(destination(tmpfs.destination()), "tmpfs", "tmpfs",
                    TmpfsOptions.merge(tmpfs.options()))));
        }
        user.sort(Comparator.comparingInt(UserMount::depth)); // stable: equal depths keep their order

        Set<String> userDestinations = new HashSet<>(
                user.stream().map(m -> m.mount().destination()).toList());
        boolean userDev = userDestinations.contains("/dev");
        List<Mount> mounts = new ArrayList<>();
        for (Mount mount : DockerDefaults.mounts(shmSize)) {
            if (userDestinations.contains(mount.destination())
                    || (userDev && mount.destination().startsWith("/dev/"))) {
                continue;
            }
            List<String> options = new ArrayList<>(mount.options());
            if (settings.readonlyRootfs() && !WRITABLE_WITH_READONLY_ROOTFS.contains(mount.destination())
                    && !options.contains("ro")) {
                options.add("ro");
            }
            if (settings.privileged() && (mount.destination().equals("/sys") || mount.type().equals("cgroup"))) {
                options.remove("ro");
            }
            mounts.add(new Mount(mount.destination(), mount.type(), mount.source(), List.copyOf(options)));
        }
        user.forEach(m -> mounts.add(m.mount()));
        return new MountPlan(List.copyOf(mounts), rootfsPropagation);
    }

    /** /etc/resolv.conf, /etc/hostname, /etc/hosts from the engine's files, unless the user mounts one there. */
    private static void networkFile(List<UserMount> user, Set<String> bound, String destination, Path source,
            boolean readonlyRootfs) {
        if (source == null || bound.contains(destination)) {
            return;
        }
        List<String> options = readonlyRootfs ? List.of("rbind", "ro", "rprivate") : List.of("rbind", "rprivate");
        user.add(userMount(new Mount(destination, "bind", source.toAbsolutePath().toString(), options)));
    }

    private static UserMount userMount(Mount mount) {
        return new UserMount(mount, (int) mount.destination().chars().filter(c -> c == '/').count());
    }

    /** An absolute, clean container path; "/" cannot be a mount's destination. */
    private static String destination(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new InvalidContainerSettingsException("invalid mount config: mount path must be absolute: " + path);
        }
        String clean = Path.of(path).normalize().toString();
        if (clean.equals("/")) {
            throw new InvalidContainerSettingsException("invalid specification: destination can't be '/'");
        }
        return clean;
    }

    private static Resources resources(ContainerSettings settings) {
        return new Resources(memory(settings), cpu(settings),
                settings.pidsLimit() == null ? null
                        : new Resources.Pids(settings.pidsLimit() <= 0 ? -1 : settings.pidsLimit()),
                settings.privileged() ? DockerDefaults.PRIVILEGED_DEVICE_RULES : DockerDefaults.DEVICE_RULES);
    }

    /** Docker's memory rules: swap unset or 0 is twice the memory; -1 is unlimited. */
    private static Resources.Memory memory(ContainerSettings settings) {
        long memory = settings.memory() == null ? 0 : settings.memory();
        long swap = settings.memorySwap() == null ? 0 : settings.memorySwap();
        if (memory < 0) {
            throw new InvalidContainerSettingsException("invalid memory limit: " + memory);
        }
        if (memory > 0 && memory < MIN_MEMORY) {
            throw new InvalidContainerSettingsException("Minimum memory limit allowed is 6MB");
        }
        if (memory == 0 && swap > 0) {
            throw new InvalidContainerSettingsException(
                    "You should always set the Memory limit when using Memoryswap limit, see usage");
        }
        if (memory > 0 && swap > 0 && swap < memory) {
            throw new InvalidContainerSettingsException(
                    "Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (memory == 0) {
            return null;
        }
        long specSwap = swap == 0 ? memory * 2 : swap < 0 ? -1 : swap;
        return new Resources.Memory(memory, null, specSwap, null);
    }

    /** Shares as given; NanoCpus as a quota over Docker's 100 ms period; an explicit period or quota wins. */
    private static Resources.Cpu cpu(ContainerSettings settings) {
        long nanoCpus = settings.nanoCpus() == null ? 0 : settings.nanoCpus();
        long period = settings.cpuPeriod() == null ? 0 : settings.cpuPeriod();
        long quota = settings.cpuQuota() == null ? 0 : settings.cpuQuota();
        long shares = settings.cpuShares() == null ? 0 : settings.cpuShares();
        if (shares < 0) {
            throw new InvalidContainerSettingsException("shares: invalid argument");
        }
        if (nanoCpus > 0 && period > 0) {
            throw new InvalidContainerSettingsException(
                    "Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        if (nanoCpus > 0 && quota > 0) {
            throw new InvalidContainerSettingsException(
                    "Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        if (nanoCpus < 0 || nanoCpus > cpus * NANOS_PER_CPU) {
            throw new InvalidContainerSettingsException("Range of CPUs is from 0.01 to " + cpus
                    + ".00, as there are only " + cpus + " CPUs available");
        }
        if (period != 0 && (period < 1000 || period > 1_000_000)) {
            throw new InvalidContainerSettingsException(
                    "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        if (quota > 0 && quota < 1000) {
            throw new InvalidContainerSettingsException("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }
        Long specPeriod = null;
        Long specQuota = null;
        if (nanoCpus > 0) {
            specPeriod = DockerDefaults.CPU_PERIOD;
            specQuota = nanoCpus * DockerDefaults.CPU_PERIOD / NANOS_PER_CPU;
        }
        if (period != 0) {
            specPeriod = period;
        }
        if (quota != 0) {
            specQuota = quota;
        }
        if (shares == 0 && specPeriod == null && specQuota == null) {
            return null;
        }
        return new Resources.Cpu(shares == 0 ? null : shares, specQuota, specPeriod, null, null);
    }

    /**
     * Docker's network sysctls for a network namespace of the container's own, then the user's (which win). Only
     * sysctls of a namespace the container has are allowed: anything else would change the host.
     */
    private Map<String, String> sysctls(ContainerSettings settings, boolean hostNetwork) {
        Map<String, String> sysctls = new LinkedHashMap<>();
        if (!hostNetwork) {
            DEFAULT_NETWORK_SYSCTLS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .filter(e -> Files.exists(procSys.resolve(e.getKey().replace('.', '/'))))
                    .forEach(e -> sysctls.put(e.getKey(), e.getValue()));
        }
        if (settings.sysctls() != null) {
            for (Map.Entry<String, String> sysctl : settings.sysctls().entrySet()) {
                String name = sysctl.getKey();
                boolean net = name.startsWith("net.");
                if (net && hostNetwork) {
                    throw new InvalidContainerSettingsException(
                            "sysctl \"" + name + "\" not allowed in host network namespace");
                }
                if (!net && !IPC_SYSCTLS.contains(name) && !name.startsWith("fs.mqueue.")
                        && !name.equals("kernel.domainname")) {
                    throw new InvalidContainerSettingsException(
                            "sysctl \"" + name + "\" is not in a separate kernel namespace");
                }
                sysctls.put(name, sysctl.getValue());
            }
        }
        return sysctls.isEmpty() ? null : sysctls;
    }

    private static String cleanCgroupPath(String path) {
        return Path.of("/").resolve(path).normalize().toString();
    }

    private static String key(String env) {
        int equals = env.indexOf('=');
        return equals < 0 ? env : env.substring(0, equals);
    }

    private static boolean isEmpty(List<String> list) {
        return list == null || list.isEmpty();
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }
}
