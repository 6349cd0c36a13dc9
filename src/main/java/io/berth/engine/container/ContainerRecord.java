package io.berth.engine.container;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.node.ObjectNode;

/**
 * One container as the Engine keeps it (persisted as {@code container.json} in its directory). {@code config} and
 * {@code hostConfig} are Docker's Config and HostConfig as the create body gave them, completed the way dockerd
 * completes them (hostname, image); they are what inspect shows and what the container's settings are made from.
 * Never changed in place: every change makes a new record.
 *
 * @param name         with Docker's leading slash, {@code /web}
 * @param imageId      the image's id, {@code sha256:<hex>}
 * @param image        the image as the create body named it ({@code busybox})
 * @param topChainId   the chain id of the image's top layer, which the rootfs is made over (null without layers)
 * @param path         the program of the first process (entrypoint and cmd merged), for inspect's Path
 * @param args         its arguments, for inspect's Args
 * @param restartCount how often the Engine restarted it by its restart policy since it was last started by hand
 * @param manuallyStopped whether its last run was ended by stop or kill (restart policies then hold off)
 * @param anonymousVolumes the volumes made for it (VOLUME of its image, {@code -v /path}), by destination
 */
public record ContainerRecord(String id, String name, Instant created, String imageId, String image,
        String topChainId, String path, List<String> args, ObjectNode config, ObjectNode hostConfig,
        ContainerState state, int restartCount, boolean manuallyStopped, Map<String, String> anonymousVolumes) {

    public ContainerRecord {
        args = args == null ? List.of() : List.copyOf(args);
        anonymousVolumes = anonymousVolumes == null ? Map.of() : Map.copyOf(anonymousVolumes);
    }

    public String shortId() {
        return id.substring(0, 12);
    }

    ContainerRecord withState(ContainerState newState) {
        return new ContainerRecord(id, name, created, imageId, image, topChainId, path, args, config, hostConfig,
                newState, restartCount, manuallyStopped, anonymousVolumes);
    }

    ContainerRecord withName(String newName) {
        return new ContainerRecord(id, newName, created, imageId, image, topChainId, path, args, config, hostConfig,
                state, restartCount, manuallyStopped, anonymousVolumes);
    }

    ContainerRecord withHostConfig(ObjectNode newHostConfig) {
        return new ContainerRecord(id, name, created, imageId, image, topChainId, path, args, config, newHostConfig,
                state, restartCount, manuallyStopped, anonymousVolumes);
    }

    ContainerRecord withRestarts(int newRestartCount, boolean stoppedByHand) {
        return new ContainerRecord(id, name, created, imageId, image, topChainId, path, args, config, hostConfig,
                state, newRestartCount, stoppedByHand, anonymousVolumes);
    }

    RestartPolicy restartPolicy() {
        return RestartPolicy.of(hostConfig);
    }

    /** Config.Tty: output is raw, not multiplexed. */
    boolean tty() {
        return config.path("Tty").asBoolean(false);
    }

    boolean autoRemove() {
        return hostConfig.path("AutoRemove").asBoolean(false);
    }

    /** The container's labels (Config.Labels), for filters and events. */
    java.util.Map<String, String> labels() {
        java.util.Map<String, String> labels = new java.util.TreeMap<>();
        config.path("Labels").properties().forEach(entry -> labels.put(entry.getKey(), entry.getValue().asString()));
        return labels;
    }
}
