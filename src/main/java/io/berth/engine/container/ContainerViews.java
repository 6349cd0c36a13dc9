package io.berth.engine.container;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import io.berth.engine.runtime.spec.ContainerSettings;

/** Containers as {@code docker inspect} and {@code docker ps} show them, with dockerd's keys. */
final class ContainerViews {

    /** Go's zero time, which dockerd shows for a time that never was. */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private ContainerViews() {
    }

    static Map<String, Object> inspect(ContainerRecord c, ContainerFiles files, String driver, List<String> execIds,
            Map<String, Object> health, ContainerVolumes volumes) {
        Map<String, Object> state = new LinkedHashMap<>();
        ContainerState s = c.state();
        state.put("Status", s.status());
        state.put("Running", s.isRunning());
        state.put("Paused", s.isPaused());
        state.put("Restarting", s.status().equals(ContainerState.RESTARTING));
        state.put("OOMKilled", s.oomKilled());
        state.put("Dead", s.status().equals(ContainerState.DEAD));
        state.put("Pid", s.pid());
        state.put("ExitCode", s.exitCode());
        state.put("Error", s.error());
        state.put("StartedAt", time(s.startedAt()));
        state.put("FinishedAt", time(s.finishedAt()));
        if (health != null) {
            state.put("Health", health);
        }

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Id", c.id());
        body.put("Created", DateTimeFormatter.ISO_INSTANT.format(c.created()));
        body.put("Path", c.path());
        body.put("Args", c.args());
        body.put("State", state);
        body.put("Image", c.imageId());
        body.put("ResolvConfPath", files.resolvConf().toString());
        body.put("HostnamePath", files.hostname().toString());
        body.put("HostsPath", files.hosts().toString());
        body.put("LogPath", files.earlierRunsLog().toString());
        body.put("Name", c.name());
        body.put("RestartCount", c.restartCount());
        body.put("Driver", driver);
        body.put("Platform", "linux");
        body.put("MountLabel", "");
        body.put("ProcessLabel", "");
        body.put("AppArmorProfile", "");
        body.put("ExecIDs", execIds.isEmpty() ? null : execIds);
        body.put("HostConfig", hostConfig(c.hostConfig()));
        body.put("GraphDriver", Map.of("Name", driver, "Data", Map.of()));
        body.put("Mounts", mounts(c, volumes));
        body.put("Config", config(c.config()));
        body.put("NetworkSettings", networkSettings(c));
        return body;
    }

    static Map<String, Object> summary(ContainerRecord c, Long sizeRw, String healthStatus,
            ContainerVolumes volumes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Id", c.id());
        body.put("Names", List.of(c.name()));
        body.put("Image", c.image());
        body.put("ImageID", c.imageId());
        body.put("Command", command(c));
        body.put("Created", c.created().getEpochSecond());
        body.put("Ports", List.of());
        if (sizeRw != null) {
            body.put("SizeRw", sizeRw);
        }
        body.put("Labels", c.labels());
        body.put("State", c.state().status());
        String status = status(c.state(), Instant.now());
        if (healthStatus != null && c.state().isRunning()) {
            status += healthStatus.equals("starting") ? " (health: starting)" : " (" + healthStatus + ")";
        }
        body.put("Status", status);
        body.put("HostConfig", Map.of("NetworkMode", networkMode(c.hostConfig())));
        body.put("NetworkSettings", Map.of("Networks", networks(c)));
        body.put("Mounts", mounts(c, volumes));
        return body;
    }

    /** The Status column of {@code docker ps}: "Up 2 seconds", "Exited (0) 5 minutes ago", "Created". */
    static String status(ContainerState state, Instant now) {
        return switch (state.status()) {
            case ContainerState.RUNNING -> "Up " + humanDuration(Duration.between(state.startedAt(), now));
            case ContainerState.PAUSED -> "Up " + humanDuration(Duration.between(state.startedAt(), now))
                    + " (Paused)";
            case ContainerState.EXITED -> state.finishedAt() == null ? "Exited (" + state.exitCode() + ")"
                    : "Exited (" + state.exitCode() + ") " + humanDuration(Duration.between(state.finishedAt(), now))
                            + " ago";
            case ContainerState.REMOVING -> "Removal In Progress";
            case ContainerState.DEAD -> "Dead";
            case ContainerState.RESTARTING -> "Restarting (" + state.exitCode() + ")";
            default -> "Created";
        };
    }

    /** go-units HumanDuration. */
    static String humanDuration(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        if (seconds < 1) {
            return "Less than a second";
        }
        if (seconds == 1) {
            return "1 second";
        }
        if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = seconds / 60;
        if (minutes == 1) {
            return "About a minute";
        }
        if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = Math.round(seconds / 3600.0);
        if (hours == 1) {
            return "About an hour";
        }
        if (hours < 48) {
            return hours + " hours";
        }
        if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        }
        if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        }
        if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return hours / 24 / 365 + " years";
    }

    /** The command as {@code docker ps} shows it: words joined, quoted where they hold a space. */
    static String command(ContainerRecord c) {
        List<String> words = new ArrayList<>();
        words.add(c.path());
        words.addAll(c.args());
        List<String> shown = new ArrayList<>();
        for (String word : words) {
            shown.add(word.isEmpty() || word.matches(".*[\\s'\"$`\\\\].*") ? "'" + word.replace("'", "'\\''") + "'"
                    : word);
        }
        return String.join(" ", shown);
    }

    private static Object hostConfig(JsonNode hostConfig) {
        Map<String, Object> body = new LinkedHashMap<>(asMap(hostConfig));
        body.putIfAbsent("NetworkMode", "default");
        body.putIfAbsent("RestartPolicy", Map.of("Name", "no", "MaximumRetryCount", 0));
        body.putIfAbsent("AutoRemove", false);
        body.put("LogConfig", Map.of("Type", "json-file", "Config", Map.of()));
        body.putIfAbsent("Privileged", false);
        body.putIfAbsent("ReadonlyRootfs", false);
        body.putIfAbsent("Memory", 0);
        body.putIfAbsent("MemorySwap", 0);
        body.putIfAbsent("NanoCpus", 0);
        body.putIfAbsent("CpuShares", 0);
        body.putIfAbsent("CpuQuota", 0);
        body.putIfAbsent("CpuPeriod", 0);
        body.put("Runtime", "berth");
        return body;
    }

    private static Object config(JsonNode config) {
        Map<String, Object> body = new LinkedHashMap<>(asMap(config));
        for (String flag : List.of("AttachStdin", "AttachStdout", "AttachStderr", "Tty", "OpenStdin", "StdinOnce")) {
            body.putIfAbsent(flag, false);
        }
        body.putIfAbsent("Env", null);
        body.putIfAbsent("Cmd", null);
        body.putIfAbsent("Entrypoint", null);
        body.putIfAbsent("WorkingDir", "");
        body.putIfAbsent("User", "");
        body.putIfAbsent("Labels", Map.of());
        return body;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(JsonNode node) {
        return node == null ? Map.of() : JsonMaps.JSON.convertValue(node, LinkedHashMap.class);
    }

    private static String networkMode(JsonNode hostConfig) {
        String mode = DockerConfigs.text(hostConfig, "NetworkMode");
        return mode == null ? "default" : mode;
    }

    private static Map<String, Object> networks(ContainerRecord c) {
        String mode = networkMode(c.hostConfig());
        String network = mode.equals("host") ? "host" : mode.equals("none") ? "none" : "bridge";
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("IPAMConfig", null);
        endpoint.put("Links", null);
        endpoint.put("Aliases", null);
        endpoint.put("NetworkID", "");
        endpoint.put("EndpointID", "");
        endpoint.put("Gateway", "");
        endpoint.put("IPAddress", "");
        endpoint.put("IPPrefixLen", 0);
        endpoint.put("IPv6Gateway", "");
        endpoint.put("GlobalIPv6Address", "");
        endpoint.put("GlobalIPv6PrefixLen", 0);
        endpoint.put("MacAddress", "");
        endpoint.put("DriverOpts", null);
        return Map.of(network, endpoint);
    }

    private static Map<String, Object> networkSettings(ContainerRecord c) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Bridge", "");
        body.put("SandboxID", "");
        body.put("HairpinMode", false);
        body.put("LinkLocalIPv6Address", "");
        body.put("LinkLocalIPv6PrefixLen", 0);
        body.put("Ports", Map.of());
        body.put("SandboxKey", "");
        body.put("SecondaryIPAddresses", null);
        body.put("SecondaryIPv6Addresses", null);
        body.put("EndpointID", "");
        body.put("Gateway", "");
        body.put("GlobalIPv6Address", "");
        body.put("GlobalIPv6PrefixLen", 0);
        body.put("IPAddress", "");
        body.put("IPPrefixLen", 0);
        body.put("IPv6Gateway", "");
        body.put("MacAddress", "");
        body.put("Networks", networks(c));
        return body;
    }

    /** Bind, volume and tmpfs mounts as inspect lists them. */
    static List<Map<String, Object>> mounts(ContainerRecord c, ContainerVolumes volumes) {
        List<Map<String, Object>> mounts = new ArrayList<>();
        ContainerSettings settings;
        try {
            settings = DockerConfigs.settings(c.config(), c.hostConfig(), null, volumes);
        } catch (RuntimeException e) {
            return mounts;
        }
        for (ContainerSettings.BindMount bind : settings.binds()) {
            Map<String, Object> mount = new LinkedHashMap<>();
            String volume = volumes.nameOf(bind.source());
            mount.put("Type", volume == null ? "bind" : "volume");
            if (volume != null) {
                mount.put("Name", volume);
            }
            mount.put("Source", bind.source().toString());
            mount.put("Destination", bind.destination());
            mount.put("Mode", bind.readOnly() ? "ro" : "");
            mount.put("RW", !bind.readOnly());
            if (volume != null) {
                mount.put("Driver", "local");
            }
            mount.put("Propagation", volume != null ? "" : bind.propagation() == null ? "rprivate"
                    : bind.propagation());
            mounts.add(mount);
        }
        for (ContainerSettings.TmpfsMount tmpfs : settings.tmpfs()) {
            Map<String, Object> mount = new LinkedHashMap<>();
            mount.put("Type", "tmpfs");
            mount.put("Source", "");
            mount.put("Destination", tmpfs.destination());
            mount.put("Mode", tmpfs.options() == null ? "" : tmpfs.options());
            mount.put("RW", tmpfs.options() == null || !List.of(tmpfs.options().split(",")).contains("ro"));
            mount.put("Propagation", "");
            mounts.add(mount);
        }
        return mounts;
    }

    static String time(Instant instant) {
        return instant == null ? ZERO_TIME : DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
