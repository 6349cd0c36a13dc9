package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.INVALID;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import io.berth.common.error.BerthException;
import io.berth.engine.docker.ContainerConfig;
import io.berth.engine.docker.HostConfig;
import io.berth.engine.docker.Mount;
import io.berth.engine.docker.Resources;
import io.berth.engine.runtime.spec.ContainerSettings;
import io.berth.engine.runtime.spec.SeccompPolicy;

/**
 * Translates Docker's Config and HostConfig (the create body, as stored with the container) into the runtime's
 * {@link ContainerSettings}. What Berth cannot do yet is refused with a 400 that says so, never ignored: unknown mount
 * types and options. Networks are {@link ContainerNetworking}'s.
 */
final class DockerConfigs {

    /** Bind options that are SELinux labels or volume hints: no meaning without SELinux or volumes. */
    private static final List<String> IGNORED_BIND_OPTIONS = List.of("z", "Z", "nocopy", "rw", "consistent",
            "cached", "delegated");
    private static final List<String> PROPAGATIONS = List.of("private", "rprivate", "shared", "rshared", "slave",
            "rslave");

    /** Where Docker binds its init in a container. */
    static final String INIT_PATH = "/dev/init";
    /** Static inits (they must run in any image): Debian's tini-static, Docker's own docker-init. */
    private static final List<Path> INIT_BINARIES = List.of(Path.of("/usr/bin/tini-static"),
            Path.of("/usr/bin/docker-init"), Path.of("/usr/libexec/docker/docker-init"));

    private DockerConfigs() {
    }

    private static Path initBinary() {
        for (Path candidate : INIT_BINARIES) {
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new BerthException(INVALID, "--init needs a static init on the host (" + INIT_BINARIES
                + "), and there is none: install tini (Debian: apt-get install tini)");
    }

    /** How volumes become host directories while a container's settings are made. */
    interface Volumes {

        /** The directory of the named volume {@code name}. */
        Path named(String name);

        /** The directory of the container's anonymous volume at {@code destination}. */
        Path anonymous(String destination);
    }

    /** The files bind-mounted at /etc/hostname, /etc/hosts and /etc/resolv.conf. */
    record NetworkFiles(Path hostname, Path hosts, Path resolvConf) {
    }

    /**
     * The network mode the runtime gets: {@code host}, or {@code none}, a network namespace of the container's own,
     * which the Engine's networking makes before each start and the spec is then pointed at.
     */
    static String networkMode(HostConfig hostConfig) {
        return "host".equals(hostConfig.networkMode()) ? "host" : "none";
    }

    static ContainerSettings settings(ContainerConfig config, HostConfig hostConfig, NetworkFiles files,
            Volumes volumes) {
        ContainerSettings.Builder settings = ContainerSettings.builder();
        if (config.cmd() != null) {
            settings.cmd(config.cmd());
        }
        List<String> entrypoint = config.entrypoint();
        if (hostConfig.initRequested()) {
            // docker run --init: a tiny init as PID 1 reaps zombies and passes signals on, bound at /dev/init
            List<String> withInit = new ArrayList<>(List.of(INIT_PATH, "--"));
            if (entrypoint != null && !(entrypoint.size() == 1 && entrypoint.get(0).isEmpty())) {
                withInit.addAll(entrypoint);
            }
            entrypoint = withInit;
            settings.bind(new ContainerSettings.BindMount(initBinary(), INIT_PATH, true));
        }
        if (entrypoint != null) {
            settings.entrypoint(entrypoint);
        }
        if (config.env() != null) {
            settings.env(config.env().toArray(String[]::new));
        }
        String workingDir = config.workingDir();
        if (workingDir != null && !workingDir.isEmpty()) {
            if (!workingDir.startsWith("/")) {
                throw new BerthException(INVALID, "the working directory '" + workingDir
                        + "' is invalid, it needs to be an absolute path");
            }
            settings.workingDir(workingDir);
        }
        settings.user(emptyToNull(config.user()));
        settings.hostname(emptyToNull(config.hostname()));
        settings.tty(config.tty());
        settings.openStdin(config.openStdin());

        List<Integer> consoleSize = hostConfig.consoleSize();
        if (consoleSize != null && consoleSize.size() == 2 && consoleSize.get(0) != null
                && consoleSize.get(1) != null) {
            settings.consoleSize(consoleSize.get(0), consoleSize.get(1));
        }
        Set<String> mounted = new HashSet<>();
        binds(hostConfig.binds(), settings, volumes, mounted);
        mounts(hostConfig.mounts(), settings, volumes, mounted);
        if (hostConfig.tmpfs() != null) {
            hostConfig.tmpfs().forEach((destination, options) -> {
                mounted.add(destination);
                settings.tmpfs(destination, options == null || options.isEmpty() ? null : options);
            });
        }
        // -v /path: an anonymous volume where nothing else is mounted
        if (config.volumes() != null) {
            for (String destination : new TreeSet<>(config.volumes().keySet())) {
                if (!destination.startsWith("/")) {
                    throw new BerthException(INVALID, "invalid volume specification: '" + destination
                            + "': mount path must be absolute");
                }
                if (mounted.add(destination)) {
                    settings.bind(new ContainerSettings.BindMount(volumes.anonymous(destination), destination,
                            false));
                }
            }
        }
        Resources resources = hostConfig.resources();
        settings.memory(resources.memory());
        settings.memorySwap(resources.memorySwap());
        settings.nanoCpus(resources.nanoCpus());
        settings.cpuShares(resources.cpuShares());
        settings.cpuQuota(resources.cpuQuota());
        settings.cpuPeriod(resources.cpuPeriod());
        settings.pidsLimit(resources.pidsLimit());
        settings.privileged(hostConfig.privileged());
        if (hostConfig.capAdd() != null) {
            settings.capAdd(hostConfig.capAdd().toArray(String[]::new));
        }
        if (hostConfig.capDrop() != null) {
            settings.capDrop(hostConfig.capDrop().toArray(String[]::new));
        }
        settings.networkMode(networkMode(hostConfig));
        settings.readonlyRootfs(hostConfig.readonlyRootfs());
        if (resources.ulimits() != null) {
            for (Resources.Ulimit ulimit : resources.ulimits()) {
                if (ulimit == null || ulimit.name() == null || ulimit.name().isEmpty()) {
                    throw new BerthException(INVALID, "invalid ulimit: a name is required");
                }
                settings.ulimit(ulimit.name(), ulimit.soft(), ulimit.hard());
            }
        }
        if (hostConfig.groupAdd() != null) {
            settings.groupAdd(hostConfig.groupAdd().toArray(String[]::new));
        }
        if (hostConfig.sysctls() != null) {
            hostConfig.sysctls().forEach(settings::sysctl);
        }
        settings.shmSize(hostConfig.shmSize() == 0 ? null : hostConfig.shmSize());
        settings.noNewPrivileges(noNewPrivileges(hostConfig.securityOpt()));
        settings.seccomp(SeccompPolicy.option(hostConfig.securityOpt()));
        settings.oomScoreAdj(hostConfig.oomScoreAdj());
        settings.cgroupParent(emptyToNull(resources.cgroupParent()));
        if (files != null) {
            settings.hostnamePath(files.hostname()).hostsPath(files.hosts()).resolvConfPath(files.resolvConf());
        }
        return settings.build();
    }

    /** {@code -v src:dst[:opts]}: a host path (absolute) bound into the container; names are volumes. */
    private static void binds(List<String> binds, ContainerSettings.Builder settings, Volumes volumes,
            Set<String> mounted) {
        for (String bind : binds == null ? List.<String>of() : binds) {
            Bind parsed = Bind.parse(bind);
            Path source = parsed.isVolume() ? volumes.named(parsed.source()) : Path.of(parsed.source()).normalize();
            settings.bind(new ContainerSettings.BindMount(source, parsed.destination(), parsed.readOnly(),
                    parsed.propagation()));
            mounted.add(parsed.destination());
        }
    }

    /** One of HostConfig.Binds: {@code source:destination[:options]}, the source a host path or a volume's name. */
    record Bind(String source, String destination, boolean readOnly, String propagation) {

        static Bind parse(String bind) {
            String[] parts = bind.split(":", -1);
            if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw new BerthException(INVALID, "invalid volume specification: '" + bind + "'");
            }
            if (!parts[1].startsWith("/")) {
                throw new BerthException(INVALID, "invalid volume specification: '" + bind
                        + "': mount path must be absolute");
            }
            boolean readOnly = false;
            String propagation = null;
            if (parts.length == 3 && !parts[2].isEmpty()) {
                for (String option : parts[2].split(",")) {
                    if (option.equals("ro")) {
                        readOnly = true;
                    } else if (PROPAGATIONS.contains(option)) {
                        propagation = option;
                    } else if (!IGNORED_BIND_OPTIONS.contains(option)) {
                        throw new BerthException(INVALID, "invalid mode: " + option);
                    }
                }
            }
            return new Bind(parts[0], parts[1], readOnly, propagation);
        }

        /** A name rather than a host path: a named volume. */
        boolean isVolume() {
            return !source.startsWith("/");
        }
    }

    /** HostConfig.Mounts ({@code --mount}): bind, volume and tmpfs. */
    private static void mounts(List<Mount> mounts, ContainerSettings.Builder settings, Volumes volumes,
            Set<String> mounted) {
        for (Mount mount : mounts == null ? List.<Mount>of() : mounts) {
            String type = mount.type();
            String target = mount.target();
            if (target == null || !target.startsWith("/")) {
                throw new BerthException(INVALID, "invalid mount config for type \"" + type
                        + "\": invalid mount path: '" + (target == null ? "" : target) + "' mount path must be absolute");
            }
            mounted.add(target);
            switch (type == null ? "" : type) {
                case "bind" -> {
                    String source = mount.source();
                    if (source == null || !source.startsWith("/")) {
                        throw new BerthException(INVALID, "invalid mount config for type \"bind\": invalid mount path: '"
                                + (source == null ? "" : source) + "' mount path must be absolute");
                    }
                    if (!Files.exists(Path.of(source))) {
                        throw new BerthException(INVALID, "invalid mount config for type \"bind\": bind source path "
                                + "does not exist: " + source);
                    }
                    String propagation = mount.bindOptions() == null ? null
                            : emptyToNull(mount.bindOptions().propagation());
                    settings.bind(new ContainerSettings.BindMount(Path.of(source).normalize(), target,
                            mount.readOnly(), propagation));
                }
                case "tmpfs" -> settings.tmpfs(target, tmpfsOptions(mount));
                case "volume" -> {
                    String source = emptyToNull(mount.source());
                    Path path = source == null ? volumes.anonymous(target) : volumes.named(source);
                    settings.bind(new ContainerSettings.BindMount(path, target, mount.readOnly()));
                }
                default -> throw new BerthException(INVALID, "mount type unknown: \"" + type + "\"");
            }
        }
    }

    /** A tmpfs mount's options as HostConfig.Tmpfs words them ({@code size=1048576,mode=1777}); null for none. */
    static String tmpfsOptions(Mount mount) {
        List<String> options = new ArrayList<>();
        Mount.TmpfsOptions tmpfs = mount.tmpfsOptions();
        if (tmpfs != null && tmpfs.sizeBytes() > 0) {
            options.add("size=" + tmpfs.sizeBytes());
        }
        if (tmpfs != null && tmpfs.mode() > 0) {
            options.add("mode=" + Long.toOctalString(tmpfs.mode()));
        }
        if (mount.readOnly()) {
            options.add("ro");
        }
        return options.isEmpty() ? null : String.join(",", options);
    }

    private static boolean noNewPrivileges(List<String> securityOpt) {
        boolean noNewPrivileges = false;
        for (String option : securityOpt == null ? List.<String>of() : securityOpt) {
            String[] kv = option.split("[=:]", 2);
            String key = kv[0].toLowerCase(Locale.ROOT);
            if (key.equals("no-new-privileges")) {
                noNewPrivileges = kv.length == 1 || Boolean.parseBoolean(kv[1]);
            } else if (!key.equals("seccomp") && !key.equals("apparmor") && !key.equals("label")) {
                // seccomp is read apart; apparmor and label name profiles of a confinement Berth does not apply
                throw new BerthException(INVALID, "invalid --security-opt: " + option);
            }
        }
        return noNewPrivileges;
    }

    static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
