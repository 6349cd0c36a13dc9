package io.berth.engine.container;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.berth.engine.docker.ContainerConfig;
import io.berth.engine.docker.HostConfig;
import io.berth.engine.docker.NetworkingConfig;

/**
 * One container as the Engine keeps it (persisted as {@code container.json} in its directory). {@code config},
 * {@code hostConfig} and {@code networkingConfig} are what the create body gave, completed the way dockerd completes
 * them (the image's config merged in, hostname, restart policy, log driver); they are what inspect shows and what the
 * container's settings are made from. Never changed in place: every change makes a new record (or, when it changes
 * nothing, is this one).
 *
 * @param name             with Docker's leading slash, {@code /web}
 * @param imageId          the image's id, {@code sha256:<hex>}
 * @param image            the image as the create body named it ({@code busybox})
 * @param topChainId       the chain id of the image's top layer, which the rootfs is made over (null without layers)
 * @param path             the program of the first process (entrypoint and cmd merged), for inspect's Path
 * @param args             its arguments, for inspect's Args
 * @param networkingConfig the endpoints asked for by network; null when the body had none
 * @param restartCount     how often the Engine restarted it by its restart policy since it was last started by hand
 * @param manuallyStopped  whether its last run was ended by stop or kill (restart policies then hold off)
 * @param anonymousVolumes the volumes made for it ({@code -v /path}), by destination
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerRecord(String id, String name, Instant created, String imageId, String image,
        String topChainId, String path, List<String> args, ContainerConfig config, HostConfig hostConfig,
        NetworkingConfig networkingConfig, ContainerState state, int restartCount, boolean manuallyStopped,
        Map<String, String> anonymousVolumes) {

    /** Records written before a field existed read it as dockerd would have set it at create. */
    public ContainerRecord {
        args = args == null ? List.of() : List.copyOf(args);
        config = config == null ? ContainerConfig.empty() : config;
        hostConfig = (hostConfig == null ? HostConfig.empty() : hostConfig).withDaemonDefaults();
        anonymousVolumes = anonymousVolumes == null ? Map.of() : Map.copyOf(anonymousVolumes);
    }

    public String shortId() {
        return id.substring(0, 12);
    }

    ContainerRecord withState(ContainerState newState) {
        return newState.equals(state) ? this : new ContainerRecord(id, name, created, imageId, image, topChainId,
                path, args, config, hostConfig, networkingConfig, newState, restartCount, manuallyStopped,
                anonymousVolumes);
    }

    ContainerRecord withName(String newName) {
        return newName.equals(name) ? this : new ContainerRecord(id, newName, created, imageId, image, topChainId,
                path, args, config, hostConfig, networkingConfig, state, restartCount, manuallyStopped,
                anonymousVolumes);
    }

    ContainerRecord withHostConfig(HostConfig newHostConfig) {
        return newHostConfig.equals(hostConfig) ? this : new ContainerRecord(id, name, created, imageId, image,
                topChainId, path, args, config, newHostConfig, networkingConfig, state, restartCount, manuallyStopped,
                anonymousVolumes);
    }

    ContainerRecord withNetworkingConfig(NetworkingConfig newNetworkingConfig) {
        return newNetworkingConfig.equals(networkingConfig) ? this : new ContainerRecord(id, name, created, imageId,
                image, topChainId, path, args, config, hostConfig, newNetworkingConfig, state, restartCount,
                manuallyStopped, anonymousVolumes);
    }

    ContainerRecord withRestarts(int newRestartCount, boolean stoppedByHand) {
        return newRestartCount == restartCount && stoppedByHand == manuallyStopped ? this
                : new ContainerRecord(id, name, created, imageId, image, topChainId, path, args, config, hostConfig,
                        networkingConfig, state, newRestartCount, stoppedByHand, anonymousVolumes);
    }

    /** Config.Tty: output is raw, not multiplexed. */
    boolean tty() {
        return config.tty();
    }

    boolean autoRemove() {
        return hostConfig.autoRemove();
    }

    /** The container's labels (Config.Labels), for filters and events. */
    Map<String, String> labels() {
        return config.labelsOrEmpty();
    }
}
