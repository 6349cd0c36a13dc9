package io.berth.engine.container;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import io.berth.engine.OnEngine;
import io.berth.engine.docker.ContainerInspect;
import io.berth.engine.docker.ContainerSummary;
import io.berth.engine.docker.EndpointSettings;
import io.berth.engine.docker.Health;
import io.berth.engine.docker.HostConfig;
import io.berth.engine.docker.MountPoint;
import io.berth.engine.docker.NetworkSettings;
import io.berth.engine.graph.GraphDriver;
import io.berth.engine.network.ContainerNetwork;

/**
 * Containers as {@code docker inspect} and {@code docker ps} show them: made from their records and what the Engine
 * keeps in memory (health, execs), without reading a file.
 */
@Component
@OnEngine
class ContainerViews {

    /** Go's zero time, which dockerd shows for a time that never was. */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    /** A word of a command that {@code docker ps} shows in quotes. */
    private static final Pattern NEEDS_QUOTES = Pattern.compile("[\\s'\"$`\\\\]");

    private final ContainerStore store;
    private final ExecService execs;
    private final HealthMonitor health;
    private final VolumeStore volumes;
    private final GraphDriver graph;
    private final ContainerNetworking networking;

    ContainerViews(ContainerStore store, ExecService execs, HealthMonitor health, VolumeStore volumes,
            GraphDriver graph, ContainerNetworking networking) {
        this.store = store;
        this.execs = execs;
        this.health = health;
        this.volumes = volumes;
        this.graph = graph;
        this.networking = networking;
    }

    ContainerInspect inspect(ContainerRecord container) {
        return inspect(container, new ContainerFiles(store.directory(container.id())), graph.name(),
                execs.idsOf(container.id()), health.inspect(container.id()), mounts(container),
                networking.settings(container));
    }

    ContainerSummary summary(ContainerRecord container, Long sizeRw, Instant now) {
        ContainerNetwork live = networking.live(container);
        return summary(container, sizeRw, health.status(container.id()), mounts(container), now,
                PublishedPorts.summary(container.config(), live), networking.networks(container, live));
    }

    private List<MountPoint> mounts(ContainerRecord container) {
        return ContainerMounts.of(container, volumes::data);
    }

    static ContainerInspect inspect(ContainerRecord c, ContainerFiles files, String driver, List<String> execIds,
            Health health, List<MountPoint> mounts, NetworkSettings networkSettings) {
        ContainerState s = c.state();
        ContainerInspect.State state = new ContainerInspect.State(s.status().word(), s.isRunning(), s.isPaused(),
                s.is(ContainerStatus.RESTARTING), s.oomKilled(), s.is(ContainerStatus.DEAD), s.pid(), s.exitCode(),
                s.error(), time(s.startedAt()), time(s.finishedAt()), health);
        return new ContainerInspect(c.id(), DateTimeFormatter.ISO_INSTANT.format(c.created()), c.path(), c.args(),
                state, c.imageId(), files.resolvConf().toString(), files.hostname().toString(),
                files.hosts().toString(), files.earlierRunsLog().toString(), c.name(), c.restartCount(), driver,
                "linux", "", "", "", execIds.isEmpty() ? null : execIds, c.hostConfig(),
                new ContainerInspect.GraphDriver(driver, Map.of()), null, mounts, c.config(),
                networkSettings);
    }

    static ContainerSummary summary(ContainerRecord c, Long sizeRw, String healthStatus, List<MountPoint> mounts,
            Instant now, List<ContainerSummary.Port> ports, Map<String, EndpointSettings> networks) {
        String status = status(c.state(), now);
        if (healthStatus != null && c.state().isRunning()) {
            status += healthStatus.equals("starting") ? " (health: starting)" : " (" + healthStatus + ")";
        }
        return new ContainerSummary(c.id(), List.of(c.name()), c.image(), c.imageId(), command(c),
                c.created().getEpochSecond(), ports, sizeRw, c.labels(), c.state().status().word(), status,
                new ContainerSummary.HostConfigSummary(networkMode(c.hostConfig()), null),
                new ContainerSummary.NetworksSummary(networks), mounts);
    }

    /** The Status column of {@code docker ps}: "Up 2 seconds", "Exited (0) 5 minutes ago", "Created". */
    static String status(ContainerState state, Instant now) {
        return switch (state.status()) {
            case RUNNING -> "Up " + humanDuration(Duration.between(state.startedAt(), now));
            case PAUSED -> "Up " + humanDuration(Duration.between(state.startedAt(), now)) + " (Paused)";
            case EXITED -> state.finishedAt() == null ? "Exited (" + state.exitCode() + ")"
                    : "Exited (" + state.exitCode() + ") " + humanDuration(Duration.between(state.finishedAt(), now))
                            + " ago";
            case REMOVING -> "Removal In Progress";
            case DEAD -> "Dead";
            case RESTARTING -> "Restarting (" + state.exitCode() + ")";
            case CREATED -> "Created";
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
            shown.add(word.isEmpty() || NEEDS_QUOTES.matcher(word).find() ? "'" + word.replace("'", "'\\''") + "'"
                    : word);
        }
        return String.join(" ", shown);
    }

    private static String networkMode(HostConfig hostConfig) {
        String mode = hostConfig.networkMode();
        return mode == null || mode.isEmpty() ? "default" : mode;
    }

    static String time(Instant instant) {
        return instant == null ? ZERO_TIME : DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
