package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.CONFLICT;
import static io.berth.common.error.ErrorKind.FAILED;
import static io.berth.common.error.ErrorKind.NOT_FOUND;

import java.io.IOException;
import java.time.Instant;

import io.berth.common.error.BerthException;
import io.berth.engine.graph.GraphDriver;
import io.berth.engine.runtime.RuntimeContainer;
import io.berth.engine.runtime.RuntimeState;

/**
 * {@code docker rm}: a container that does not run (or, forced, is killed first) loses its runtime state, rootfs,
 * files and record, and {@code destroy} is published; with {@code -v} its anonymous volumes go too. Part of
 * {@link ContainerLifecycle}, whose lock of the container every removal holds.
 */
final class ContainerRemoval {

    /** Records the exit of a run that was killed for its removal. */
    interface Exits {
        ContainerRecord exited(ContainerRecord container, int exitCode, boolean oomKilled, Instant finished);
    }

    private final ContainerStore store;
    private final ContainerRuns runs;
    private final AttachSessions sessions;
    private final HealthMonitor health;
    private final GraphDriver graph;
    private final VolumeStore volumes;
    private final ContainerEvents events;
    private final ContainerNetworking networking;
    private final RestartManager restarts;
    private final ContainerWaits waits;
    private final Exits exits;

    ContainerRemoval(ContainerStore store, ContainerRuns runs, AttachSessions sessions, HealthMonitor health,
            GraphDriver graph, VolumeStore volumes, ContainerEvents events, ContainerNetworking networking,
            RestartManager restarts, ContainerWaits waits, Exits exits) {
        this.store = store;
        this.runs = runs;
        this.sessions = sessions;
        this.health = health;
        this.graph = graph;
        this.volumes = volumes;
        this.events = events;
        this.networking = networking;
        this.restarts = restarts;
        this.waits = waits;
        this.exits = exits;
    }

    public void remove(String idOrName, boolean force, boolean removeVolumes) {
        String id = store.resolve(idOrName).id();
        synchronized (runs.lock(id)) {
            ContainerRecord container = current(id, idOrName);
            if (container.state().is(ContainerStatus.REMOVING)) {
                throw new BerthException(CONFLICT, "removal of container " + idOrName + " is already in progress");
            }
            if (container.state().is(ContainerStatus.RESTARTING) && !force) {
                throw new BerthException(CONFLICT, "cannot remove container \"" + container.name()
                        + "\": container is restarting: stop the container before removing or force remove");
            }
            if (container.state().isRunning()) {
                if (!force) {
                    throw new BerthException(CONFLICT, "cannot remove container \"" + container.name()
                            + "\": container is " + container.state().status().word() + ": stop the container before "
                            + "removing or force remove");
                }
                killForRemoval(container);
            }
            ContainerRecord removed = current(id, idOrName);
            removeLocked(removed);
            if (removeVolumes) {
                removeAnonymousVolumes(removed);
            }
        }
    }

    /** {@code docker rm -f} of a running container: killed, its exit recorded without AutoRemove (this is it). */
    private void killForRemoval(ContainerRecord container) {
        String id = container.id();
        RuntimeContainer handle = runs.handle(container);
        try {
            handle.kill(SignalNames.SIGKILL);
            events.killed(container, SignalNames.SIGKILL);
            if (container.state().isPaused()) {
                handle.resume();
            }
            RuntimeState state = handle.awaitExit(ContainerLifecycle.KILL_GRACE);
            if (state.status() == RuntimeState.Status.STOPPED && runs.isCurrent(id, handle)) {
                exits.exited(container, state.exitCode(), state.oomKilled(), state.finishedAt());
            }
        } catch (IOException e) {
            throw new BerthException(FAILED, "cannot kill container " + id + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(FAILED, "interrupted while removing container " + id, e);
        }
    }

    /** {@code docker rm -v}: the container's anonymous volumes go with it, unless another container mounts them. */
    private void removeAnonymousVolumes(ContainerRecord removed) {
        for (String volume : removed.anonymousVolumes().values()) {
            if (ContainerVolumes.userOf(store.all(), volume) == null && volumes.get(volume).isPresent()) {
                volumes.remove(volume);
                events.volume("destroy", volume);
            }
        }
    }

    /** Removes a container that does not run: its runtime state, rootfs, files, record; then {@code destroy}. */
    void removeLocked(ContainerRecord container) {
        String id = container.id();
        store.updateTransient(id, c -> c.withState(c.state().removing()));
        sessions.close(id);
        networking.teardown(id);
        try {
            RuntimeContainer handle = runs.forgetRun(id);
            if (handle != null) {
                handle.delete();
            }
            graph.removeRootfs(id);
            new ContainerFiles(store.directory(id)).delete();
        } catch (IOException e) {
            store.update(id, c -> c.withState(c.state().dead("removal failed: " + e.getMessage())));
            throw new BerthException(FAILED, "cannot remove container " + id + ": " + e.getMessage(), e);
        }
        store.remove(id);
        health.removed(id);
        restarts.forget(id);
        runs.forget(id);
        events.publish(container, "destroy");
        waits.removed(id, container.state().exitCode());
    }

    private ContainerRecord current(String id, String idOrName) {
        return store.byId(id).orElseThrow(() -> new BerthException(NOT_FOUND, "No such container: " + idOrName));
    }
}
