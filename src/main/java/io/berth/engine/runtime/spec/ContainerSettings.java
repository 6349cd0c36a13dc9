package io.berth.engine.runtime.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a container create asked for, translated by the caller from the Docker Engine API's create body (Config and
 * HostConfig). Null means "not set" throughout: the image's value or Docker's default applies. Paths are resolved host
 * paths.
 *
 * @param entrypoint     null for the image's; for none an empty list, or {@code [""]} as {@code --entrypoint ""}
 *                       sends it (which also drops the image's Cmd)
 * @param consoleSize    HostConfig.ConsoleSize, the TTY's first size; null or 0x0 for the runtime's default
 * @param memorySwap     memory plus swap in bytes, Docker's meaning: null or 0 is twice {@code memory}, -1 unlimited
 * @param networkMode    "none" (a namespace of its own with only lo) or "host"; the caller rejects anything else
 * @param hostnamePath   host files bind-mounted at /etc/hostname, /etc/hosts, /etc/resolv.conf when given
 * @param cgroupParent   the cgroup the container's cgroup is created under; null for
 *                       {@value DockerDefaults#CGROUP_PARENT}
 * @param seccomp        the {@code seccomp} security option: {@value SeccompPolicy#UNCONFINED},
 *                       {@value SeccompPolicy#BUILTIN} or a profile's JSON; null for Docker's default profile
 */
public record ContainerSettings(List<String> cmd, List<String> entrypoint, List<String> env, String workingDir,
        String user, String hostname, boolean tty, ConsoleSize consoleSize, boolean openStdin, List<BindMount> binds, List<TmpfsMount> tmpfs,
        Long memory, Long memorySwap, Long nanoCpus, Long cpuShares, Long cpuQuota, Long cpuPeriod, Long pidsLimit,
        boolean privileged, List<String> capAdd, List<String> capDrop, String networkMode, boolean readonlyRootfs,
        List<Ulimit> ulimits, List<String> groupAdd, Map<String, String> sysctls, Long shmSize,
        boolean noNewPrivileges, Integer oomScoreAdj, Path hostnamePath, Path hostsPath, Path resolvConfPath,
        String cgroupParent, String seccomp) {

    /** Null lists of mounts and ulimits are empty ones. */
    public ContainerSettings {
        binds = binds == null ? List.of() : binds;
        tmpfs = tmpfs == null ? List.of() : tmpfs;
        ulimits = ulimits == null ? List.of() : ulimits;
    }

    /** A host path bind-mounted into the container; {@code propagation} null for Docker's default, rprivate. */
    public record BindMount(Path source, String destination, boolean readOnly, String propagation) {

        public BindMount(Path source, String destination, boolean readOnly) {
            this(source, destination, readOnly, null);
        }
    }

    /** A tmpfs at {@code destination}; {@code options} as in HostConfig.Tmpfs ("size=64m,mode=1777"), null for none. */
    public record TmpfsMount(String destination, String options) {
    }

    /** A ulimit by Docker's name ({@code nofile}, {@code nproc}, ...). */
    public record Ulimit(String name, long soft, long hard) {
    }

    /** Nothing asked for: the image decides, Docker's defaults apply. */
    public static ContainerSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** For tests and for the caller's translation of a create body; every setter overwrites. */
    public static final class Builder {
        private List<String> cmd;
        private List<String> entrypoint;
        private List<String> env;
        private String workingDir;
        private String user;
        private String hostname;
        private boolean tty;
        private ConsoleSize consoleSize;
        private boolean openStdin;
        private final List<BindMount> binds = new ArrayList<>();
        private final List<TmpfsMount> tmpfs = new ArrayList<>();
        private Long memory;
        private Long memorySwap;
        private Long nanoCpus;
        private Long cpuShares;
        private Long cpuQuota;
        private Long cpuPeriod;
        private Long pidsLimit;
        private boolean privileged;
        private List<String> capAdd;
        private List<String> capDrop;
        private String networkMode = "none";
        private boolean readonlyRootfs;
        private final List<Ulimit> ulimits = new ArrayList<>();
        private List<String> groupAdd;
        private final Map<String, String> sysctls = new LinkedHashMap<>();
        private Long shmSize;
        private boolean noNewPrivileges;
        private Integer oomScoreAdj;
        private Path hostnamePath;
        private Path hostsPath;
        private Path resolvConfPath;
        private String cgroupParent;
        private String seccomp;

        private Builder() {
        }

        public Builder cmd(String... cmd) {
            return cmd(Arrays.asList(cmd));
        }

        public Builder cmd(List<String> cmd) {
            this.cmd = cmd;
            return this;
        }

        public Builder entrypoint(String... entrypoint) {
            return entrypoint(Arrays.asList(entrypoint));
        }

        public Builder entrypoint(List<String> entrypoint) {
            this.entrypoint = entrypoint;
            return this;
        }

        public Builder env(String... env) {
            this.env = Arrays.asList(env);
            return this;
        }

        public Builder workingDir(String workingDir) {
            this.workingDir = workingDir;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder hostname(String hostname) {
            this.hostname = hostname;
            return this;
        }

        public Builder tty(boolean tty) {
            this.tty = tty;
            return this;
        }

        public Builder consoleSize(int height, int width) {
            this.consoleSize = new ConsoleSize(height, width);
            return this;
        }

        public Builder openStdin(boolean openStdin) {
            this.openStdin = openStdin;
            return this;
        }

        public Builder bind(BindMount bind) {
            binds.add(bind);
            return this;
        }

        public Builder tmpfs(String destination, String options) {
            tmpfs.add(new TmpfsMount(destination, options));
            return this;
        }

        public Builder memory(Long memory) {
            this.memory = memory;
            return this;
        }

        public Builder memorySwap(Long memorySwap) {
            this.memorySwap = memorySwap;
            return this;
        }

        public Builder nanoCpus(Long nanoCpus) {
            this.nanoCpus = nanoCpus;
            return this;
        }

        public Builder cpuShares(Long cpuShares) {
            this.cpuShares = cpuShares;
            return this;
        }

        public Builder cpuQuota(Long cpuQuota) {
            this.cpuQuota = cpuQuota;
            return this;
        }

        public Builder cpuPeriod(Long cpuPeriod) {
            this.cpuPeriod = cpuPeriod;
            return this;
        }

        public Builder pidsLimit(Long pidsLimit) {
            this.pidsLimit = pidsLimit;
            return this;
        }

        public Builder privileged(boolean privileged) {
            this.privileged = privileged;
            return this;
        }

        public Builder capAdd(String... capAdd) {
            this.capAdd = Arrays.asList(capAdd);
            return this;
        }

        public Builder capDrop(String... capDrop) {
            this.capDrop = Arrays.asList(capDrop);
            return this;
        }

        public Builder networkMode(String networkMode) {
            this.networkMode = networkMode;
            return this;
        }

        public Builder readonlyRootfs(boolean readonlyRootfs) {
            this.readonlyRootfs = readonlyRootfs;
            return this;
        }

        public Builder ulimit(String name, long soft, long hard) {
            ulimits.add(new Ulimit(name, soft, hard));
            return this;
        }

        public Builder groupAdd(String... groupAdd) {
            this.groupAdd = Arrays.asList(groupAdd);
            return this;
        }

        public Builder sysctl(String name, String value) {
            sysctls.put(name, value);
            return this;
        }

        public Builder shmSize(Long shmSize) {
            this.shmSize = shmSize;
            return this;
        }

        public Builder noNewPrivileges(boolean noNewPrivileges) {
            this.noNewPrivileges = noNewPrivileges;
            return this;
        }

        public Builder oomScoreAdj(Integer oomScoreAdj) {
            this.oomScoreAdj = oomScoreAdj;
            return this;
        }

        public Builder hostnamePath(Path hostnamePath) {
            this.hostnamePath = hostnamePath;
            return this;
        }

        public Builder hostsPath(Path hostsPath) {
            this.hostsPath = hostsPath;
            return this;
        }

        public Builder resolvConfPath(Path resolvConfPath) {
            this.resolvConfPath = resolvConfPath;
            return this;
        }

        public Builder cgroupParent(String cgroupParent) {
            this.cgroupParent = cgroupParent;
            return this;
        }

        public Builder seccomp(String seccomp) {
            this.seccomp = seccomp;
            return this;
        }

        public ContainerSettings build() {
            return new ContainerSettings(cmd, entrypoint, env, workingDir, user, hostname, tty, consoleSize, openStdin,
                    List.copyOf(binds), List.copyOf(tmpfs), memory, memorySwap, nanoCpus, cpuShares, cpuQuota,
                    cpuPeriod, pidsLimit, privileged, capAdd, capDrop, networkMode, readonlyRootfs,
                    List.copyOf(ulimits), groupAdd,
                    Collections.unmodifiableMap(new LinkedHashMap<>(sysctls)), shmSize, noNewPrivileges, oomScoreAdj,
                    hostnamePath, hostsPath, resolvConfPath, cgroupParent, seccomp);
        }
    }
}
