package io.berth.engine.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.stereotype.Service;

import io.berth.common.Digest;
import io.berth.engine.container.ContainerRecord;
import io.berth.engine.container.ContainerState;
import io.berth.engine.container.ContainerStore;
import io.berth.engine.docker.HostConfig;
import io.berth.engine.docker.PortBinding;
import io.berth.engine.image.ImageRecord;
import io.berth.engine.image.ImageService;
import io.berth.engine.image.ImageStore;

/**
 * What the node page shows, read from the Engine's own stores: the same records the Docker API's
 * {@code /containers/json} and {@code /images/json} answer from.
 */
@Service
@OnNodeConsole
class NodeOverview {

    private final ContainerStore containers;
    private final ImageStore images;
    private final ImageService imageService;
    private final Clock clock;

    NodeOverview(ContainerStore containers, ImageStore images, ImageService imageService, Clock clock) {
        this.containers = containers;
        this.images = images;
        this.imageService = imageService;
        this.clock = clock;
    }

    /** Every container, running ones first, then the most recently created. */
    List<ContainerSummary> containers() {
        return containers.all().stream()
                .sorted(Comparator.comparing((ContainerRecord c) -> !c.state().isRunning())
                        .thenComparing(ContainerRecord::created, Comparator.reverseOrder()))
                .map(this::summary)
                .toList();
    }

    /** Every image, newest first. */
    List<ImageSummary> images() {
        return images.all().stream()
                .sorted(Comparator.comparing(ImageRecord::created, Comparator.nullsLast(Comparator.reverseOrder())))
                .map(image -> new ImageSummary(image.id().toString(), image.shortId(),
                        imageService.repoTagsAndDigests(image).get("RepoTags"), image.size(),
                        HumanUnits.size(image.size())))
                .toList();
    }

    NodeTotals totals(List<ContainerSummary> containerRows) {
        Map<Digest, Long> layers = new HashMap<>();
        List<ImageRecord> all = images.all();
        for (ImageRecord image : all) {
            for (ImageRecord.Layer layer : image.layers()) {
                layers.put(layer.chainId(), layer.size());
            }
        }
        long bytes = layers.values().stream().mapToLong(Long::longValue).sum();
        int running = (int) containerRows.stream().filter(ContainerSummary::running).count();
        return new NodeTotals(containerRows.size(), running, all.size(), bytes, HumanUnits.size(bytes));
    }

    /** One container by id, short id or name; NOT_FOUND (BerthException) for none. */
    ContainerDetails details(String idOrName) {
        ContainerRecord container = containers.resolve(idOrName);
        ContainerState state = container.state();
        List<String> command = new ArrayList<>();
        if (container.path() != null) {
            command.add(container.path());
        }
        command.addAll(container.args());
        boolean ran = state.finishedAt() != null && !state.isRunning();
        Map<String, String> labels = new TreeMap<>(container.config().labelsOrEmpty());
        return new ContainerDetails(summary(container), container.imageId(), String.join(" ", command),
                container.created(), state.startedAt(), state.finishedAt(), ran ? state.exitCode() : null,
                state.oomKilled(), state.error(), container.restartCount(), labels);
    }

    private ContainerSummary summary(ContainerRecord container) {
        ContainerState state = container.state();
        return new ContainerSummary(container.id(), container.shortId(), withoutSlash(container.name()),
                container.image(), state.status().word(), state.isRunning(), networkMode(container.hostConfig()),
                ports(container.hostConfig()), since(container));
    }

    private String since(ContainerRecord container) {
        ContainerState state = container.state();
        Instant now = clock.instant();
        if (state.isRunning() && state.startedAt() != null) {
            return "up " + HumanUnits.span(Duration.between(state.startedAt(), now))
                    + (state.isPaused() ? " (paused)" : "");
        }
        if (state.finishedAt() != null) {
            return state.status().word() + " " + HumanUnits.span(Duration.between(state.finishedAt(), now))
                    + " ago (code " + state.exitCode() + ")";
        }
        return "created " + HumanUnits.span(Duration.between(container.created(), now)) + " ago";
    }

    private static String withoutSlash(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }

    private static String networkMode(HostConfig hostConfig) {
        String mode = hostConfig.networkMode();
        return mode == null || mode.isEmpty() ? "default" : mode;
    }

    /** {@code HostConfig.PortBindings} as {@code docker ps} prints them: {@code 127.0.0.1:8080->80/tcp}. */
    private static List<String> ports(HostConfig hostConfig) {
        List<String> ports = new ArrayList<>();
        if (hostConfig.portBindings() == null) {
            return ports;
        }
        hostConfig.portBindings().forEach((port, bindings) -> {
            for (PortBinding host : bindings == null ? List.<PortBinding>of() : bindings) {
                String ip = host == null ? "" : host.hostIp();
                String hostPort = host == null ? "" : host.hostPort();
                ports.add((ip.isEmpty() ? "0.0.0.0" : ip) + ":" + (hostPort.isEmpty() ? "?" : hostPort) + "->"
                        + port);
            }
        });
        return ports;
    }
}
