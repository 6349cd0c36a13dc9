package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.CONFLICT;
import static io.berth.common.error.ErrorKind.FAILED;
import static io.berth.common.error.ErrorKind.INVALID;
import static io.berth.common.error.ErrorKind.NOT_FOUND;

import java.io.IOException;
import java.util.List;

import org.springframework.stereotype.Service;

import io.berth.common.error.BerthException;
import io.berth.engine.OnEngine;
import io.berth.engine.docker.ContainerUpdateRequest;
import io.berth.engine.docker.HostConfig;
import io.berth.engine.docker.RestartPolicy;
import io.berth.engine.graph.GraphDriver;
import io.berth.engine.runtime.spec.ContainerSettings;
import io.berth.engine.runtime.spec.ContainerSpecFactory;
import io.berth.engine.runtime.spec.ImageRuntimeConfig;
import io.berth.engine.runtime.spec.InvalidContainerSettingsException;
import io.berth.engine.runtime.spec.SpecJson;

/**
 * {@code docker update}: a container's limits (memory, swap, CPUs, shares, quota, period, pids) and restart policy.
 * Limits change in its HostConfig and its spec, used from its next start: the runtime offers no way to change a
 * running container's cgroup yet, so changing a running container's limits is refused (CONFLICT) rather than done
 * only on paper. As with dockerd, a limit given as 0 (or not at all) stays as it is.
 */
@Service
@OnEngine
class ContainerUpdates {

    private final ContainerStore store;
    private final ContainerRuns runs;
    private final GraphDriver graph;
    private final VolumeStore volumes;
    private final ContainerEvents events;
    private final ContainerSpecFactory specs = new ContainerSpecFactory();

    ContainerUpdates(ContainerStore store, ContainerRuns runs, GraphDriver graph, VolumeStore volumes,
            ContainerEvents events) {
        this.store = store;
        this.runs = runs;
        this.graph = graph;
        this.volumes = volumes;
        this.events = events;
    }

    /** Applies the update; its warnings (none). */
    List<String> update(String idOrName, ContainerUpdateRequest update) {
        if (update == null) {
            throw new BerthException(INVALID, "update config cannot be empty");
        }
        String id = store.resolve(idOrName).id();
        synchronized (runs.lock(id)) {
            ContainerRecord container = store.byId(id)
                    .orElseThrow(() -> new BerthException(NOT_FOUND, "No such container: " + idOrName));
            boolean limits = update.resources().setsLimits();
            boolean policy = update.restartPolicy() != null && !update.restartPolicy().name().isEmpty();
            if (!limits && !policy) {
                return List.of();
            }
            RestartPolicy restartPolicy = container.hostConfig().restartPolicy();
            if (policy) {
                restartPolicy = RestartManager.validated(update.restartPolicy());
                if (!restartPolicy.isNo() && container.autoRemove()) {
                    throw new BerthException(INVALID, "Cannot update container " + id
                            + ": can't set restart policy on a container with AutoRemove");
                }
                restartPolicy = update.restartPolicy();
            }
            HostConfig hostConfig = container.hostConfig().withUpdate(
                    container.hostConfig().resources().withLimitsOf(update.resources()), restartPolicy);
            if (limits) {
                if (container.state().isRunning()) {
                    throw new BerthException(CONFLICT, "Cannot update container " + id + ": changing the limits of a "
                            + "running container is not supported by this engine yet; stop it first");
                }
                writeSpec(container, hostConfig);
            }
            store.update(id, c -> c.withHostConfig(hostConfig));
            events.publish(container, "update");
            return List.of();
        }
    }

    /**
     * The container's spec made again with its new limits. Its Config is the image's merged in at create, so it needs
     * no image to make the spec it was made with (ConfigMerge).
     */
    private void writeSpec(ContainerRecord container, HostConfig hostConfig) {
        ContainerFiles files = new ContainerFiles(store.directory(container.id()));
        try {
            ContainerSettings settings = DockerConfigs.settings(container.config(), hostConfig, files.networkFiles(),
                    ContainerVolumes.of(volumes, container));
            SpecJson.write(specs.build(container.id(), settings, ImageRuntimeConfig.empty(),
                    graph.createRootfs(container.id(), container.topChainId())), files.bundle());
        } catch (InvalidContainerSettingsException e) {
            throw new BerthException(INVALID, e.getMessage());
        } catch (IOException e) {
            throw new BerthException(FAILED, "Cannot update container " + container.id() + ": " + e.getMessage(), e);
        }
    }
}
