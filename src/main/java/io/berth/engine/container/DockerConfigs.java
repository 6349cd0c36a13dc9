package io.berth.engine.container;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import io.berth.engine.api.EngineException;
import io.berth.engine.runtime.spec.ContainerSettings;
import io.berth.engine.runtime.spec.SeccompPolicy;

/**
 * Translates Docker's Config and HostConfig (the create body, as stored with the container) into the runtime's
 * {@link ContainerSettings}. What Berth cannot do yet is refused with a 400 that says so, never ignored: named volumes
 * and networks other than {@code none} and {@code host}.
 *
 * <p>Networking: there is no bridge network yet, so {@code default} and {@code bridge} (what the docker CLI sends
 * without {@code --network}) give the container a network namespace of its own with only {@code lo}, exactly as
 * {@code none} does; inspect shows the mode asked for.
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
            if (java.nio.file.Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw EngineException.badRequest("--init needs a static init on the host (" + INIT_BINARIES
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

    /** The network mode the runtime gets for the one the create body asked for. */
    static String networkMode(JsonNode hostConfig) {
        String mode = text(hostConfig, "NetworkMode");
        if (mode == null || mode.equals("default") || mode.equals("bridge") || mode.equals("none")) {
            return "none";
        }
        if (mode.equals("host")) {
            return "host";
        }
        if (mode.startsWith("container:")) {
            throw EngineException.badRequest("network mode " + mode + " is not supported by this engine (none, host)");
        }
        throw EngineException.notFound("network " + mode + " not found");
    }

    static ContainerSettings settings(JsonNode config, JsonNode hostConfig, NetworkFiles files, Volumes volumes) {
        ContainerSettings.Builder settings = ContainerSettings.builder();
        List<String> cmd = strings(config.get("Cmd"));
        if (cmd != null) {
            settings.cmd(cmd);
        }
        List<String> entrypoint = strings(config.get("Entrypoint"));
        if (bool(hostConfig, "Init")) {
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
        List<String> env = strings(config.get("Env"));
        if (env != null) {
            settings.env(env.toArray(String[]::new));
        }
        String workingDir = text(config, "WorkingDir");
        if (workingDir != null) {
            if (!workingDir.startsWith("/")) {
                throw EngineException.badRequest("the working directory '" + workingDir
                        + "' is invalid, it needs to be an absolute path");
            }
            settings.workingDir(workingDir);
        }
        settings.user(text(config, "User"));
        settings.hostname(text(config, "Hostname"));
        settings.tty(bool(config, "Tty"));
        settings.openStdin(bool(config, "OpenStdin"));

        JsonNode consoleSize = hostConfig.get("ConsoleSize");
        if (consoleSize != null && consoleSize.isArray() && consoleSize.size() == 2) {
            settings.consoleSize(consoleSize.get(0).asInt(), consoleSize.get(1).asInt());
        }
        java.util.Set<String> mounted = new java.util.HashSet<>();
        binds(hostConfig.get("Binds"), settings, volumes, mounted);
        mounts(hostConfig.get("Mounts"), settings, volumes, mounted);
        JsonNode tmpfs = hostConfig.get("Tmpfs");
        if (tmpfs != null && tmpfs.isObject()) {
            tmpfs.properties().forEach(e -> {
                mounted.add(e.getKey());
                settings.tmpfs(e.getKey(), e.getValue().isNull() || e.getValue().asString().isEmpty() ? null
                        : e.getValue().asString());
            });
        }
        // VOLUME of the image, or -v /path: an anonymous volume where nothing else is mounted
        JsonNode declared = config.get("Volumes");
        if (declared != null && declared.isObject()) {
            List<String> destinations = new ArrayList<>();
            declared.properties().forEach(e -> destinations.add(e.getKey()));
            destinations.sort(null);
            for (String destination : destinations) {
                if (!destination.startsWith("/")) {
                    throw EngineException.badRequest("invalid volume specification: '" + destination
                            + "': mount path must be absolute");
                }
                if (mounted.add(destination)) {
                    settings.bind(new ContainerSettings.BindMount(volumes.anonymous(destination), destination,
                            false));
                }
            }
        }
        settings.memory(number(hostConfig, "Memory"));
        settings.memorySwap(number(hostConfig, "MemorySwap"));
        settings.nanoCpus(number(hostConfig, "NanoCpus"));
        settings.cpuShares(number(hostConfig, "CpuShares"));
        settings.cpuQuota(number(hostConfig, "CpuQuota"));
        settings.cpuPeriod(number(hostConfig, "CpuPeriod"));
        settings.pidsLimit(number(hostConfig, "PidsLimit"));
        settings.privileged(bool(hostConfig, "Privileged"));
        List<String> capAdd = strings(hostConfig.get("CapAdd"));
        if (capAdd != null) {
            settings.capAdd(capAdd.toArray(String[]::new));
        }
        List<String> capDrop = strings(hostConfig.get("CapDrop"));
        if (capDrop != null) {
            settings.capDrop(capDrop.toArray(String[]::new));
        }
        settings.networkMode(networkMode(hostConfig));
        settings.readonlyRootfs(bool(hostConfig, "ReadonlyRootfs"));
        JsonNode ulimits = hostConfig.get("Ulimits");
        if (ulimits != null && ulimits.isArray()) {
            for (JsonNode ulimit : ulimits) {
                String name = text(ulimit, "Name");
                if (name == null) {
                    throw EngineException.badRequest("invalid ulimit: a name is required");
                }
                settings.ulimit(name, ulimit.path("Soft").asLong(), ulimit.path("Hard").asLong());
            }
        }
        List<String> groupAdd = strings(hostConfig.get("GroupAdd"));
        if (groupAdd != null) {
            settings.groupAdd(groupAdd.toArray(String[]::new));
        }
        JsonNode sysctls = hostConfig.get("Sysctls");
        if (sysctls != null && sysctls.isObject()) {
            sysctls.properties().forEach(e -> settings.sysctl(e.getKey(), e.getValue().asString()));
        }
        Long shmSize = number(hostConfig, "ShmSize");
        settings.shmSize(shmSize == null || shmSize == 0 ? null : shmSize);
        settings.noNewPrivileges(noNewPrivileges(strings(hostConfig.get("SecurityOpt"))));
        settings.seccomp(SeccompPolicy.option(strings(hostConfig.get("SecurityOpt"))));
        Long oomScoreAdj = number(hostConfig, "OomScoreAdj");
        settings.oomScoreAdj(oomScoreAdj == null ? null : oomScoreAdj.intValue());
        settings.cgroupParent(text(hostConfig, "CgroupParent"));
        if (files != null) {
            settings.hostnamePath(files.hostname()).hostsPath(files.hosts()).resolvConfPath(files.resolvConf());
        }
        return settings.build();
    }

    /** {@code -v src:dst[:opts]}: a host path (absolute) bound into the container; names are volumes. */
    private static void binds(JsonNode binds, ContainerSettings.Builder settings, Volumes volumes,
            java.util.Set<String> mounted) {
        for (String bind : strings(binds) == null ? List.<String>of() : strings(binds)) {
            String[] parts = bind.split(":", -1);
            if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw EngineException.badRequest("invalid volume specification: '" + bind + "'");
            }
            if (!parts[1].startsWith("/")) {
                throw EngineException.badRequest("invalid volume specification: '" + bind
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
                        throw EngineException.badRequest("invalid mode: " + option);
                    }
                }
            }
            Path source = parts[0].startsWith("/") ? Path.of(parts[0]).normalize() : volumes.named(parts[0]);
            settings.bind(new ContainerSettings.BindMount(source, parts[1], readOnly, propagation));
            mounted.add(parts[1]);
        }
    }

    /** HostConfig.Mounts ({@code --mount}): bind, volume and tmpfs. */
    private static void mounts(JsonNode mounts, ContainerSettings.Builder settings, Volumes volumes,
            java.util.Set<String> mounted) {
        if (mounts == null || !mounts.isArray()) {
            return;
        }
        for (JsonNode mount : mounts) {
            String type = text(mount, "Type");
            String target = text(mount, "Target");
            if (target == null || !target.startsWith("/")) {
                throw EngineException.badRequest("invalid mount config for type \"" + type
                        + "\": invalid mount path: '" + (target == null ? "" : target) + "' mount path must be absolute");
            }
            mounted.add(target);
            switch (type == null ? "" : type) {
                case "bind" -> {
                    String source = text(mount, "Source");
                    if (source == null || !source.startsWith("/")) {
                        throw EngineException.badRequest("invalid mount config for type \"bind\": invalid mount path: '"
                                + (source == null ? "" : source) + "' mount path must be absolute");
                    }
                    if (!java.nio.file.Files.exists(Path.of(source))) {
                        throw EngineException.badRequest("invalid mount config for type \"bind\": bind source path "
                                + "does not exist: " + source);
                    }
                    String propagation = text(mount.path("BindOptions"), "Propagation");
                    settings.bind(new ContainerSettings.BindMount(Path.of(source).normalize(), target,
                            bool(mount, "ReadOnly"), propagation));
                }
                case "tmpfs" -> {
                    List<String> options = new ArrayList<>();
                    JsonNode tmpfs = mount.path("TmpfsOptions");
                    Long size = number(tmpfs, "SizeBytes");
                    if (size != null && size > 0) {
                        options.add("size=" + size);
                    }
                    Long mode = number(tmpfs, "Mode");
                    if (mode != null && mode > 0) {
                        options.add("mode=" + Long.toOctalString(mode));
                    }
                    if (bool(mount, "ReadOnly")) {
                        options.add("ro");
                    }
                    settings.tmpfs(target, options.isEmpty() ? null : String.join(",", options));
                }
                case "volume" -> {
                    String source = text(mount, "Source");
                    Path path = source == null ? volumes.anonymous(target) : volumes.named(source);
                    settings.bind(new ContainerSettings.BindMount(path, target, bool(mount, "ReadOnly")));
                }
                default -> throw EngineException.badRequest("mount type unknown: \"" + type + "\"");
            }
        }
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
                throw EngineException.badRequest("invalid --security-opt: " + option);
            }
        }
        return noNewPrivileges;
    }

    /** Docker's strslice: null, a lone string or a list of strings. */
    static List<String> strings(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isString()) {
            return List.of(node.asString());
        }
        if (!node.isArray()) {
            throw EngineException.badRequest("expected a list of strings, got " + node);
        }
        List<String> values = new ArrayList<>();
        node.forEach(value -> values.add(value.asString()));
        return List.copyOf(values);
    }

    /** A string field; null when absent, null or empty. */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        String text = value.asString();
        return text.isEmpty() ? null : text;
    }

    static boolean bool(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.asBoolean(false);
    }

    /** A number field; null when absent or null. */
    static Long number(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (!value.isNumber()) {
            throw EngineException.badRequest("invalid " + field + ": " + value + " is not a number");
        }
        return value.asLong();
    }

    static Map<String, String> labels(JsonNode config) {
        Map<String, String> labels = new java.util.TreeMap<>();
        JsonNode node = config.get("Labels");
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
        }
        return labels;
    }
}
