package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.CONFLICT;
import static io.berth.common.error.ErrorKind.FAILED;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.berth.common.error.BerthException;
import io.berth.engine.OnEngine;
import io.berth.engine.runtime.ContainerRuntime;
import io.berth.engine.runtime.RuntimeContainer;

/**
 * The containers' runs while this Engine runs: the runtime's handle of each container's current or last run (made at
 * its start, found again through {@link ContainerRuntime#reopen} after an Engine restart), the lock that serializes
 * each container's changes, and whether the Engine is up (streams that follow a run end when it stops).
 */
@Component
@OnEngine
class ContainerRuns {

    private final ObjectProvider<ContainerRuntime> runtime;
    private final Map<String, Lock> locks = new ConcurrentHashMap<>();
    private final Map<String, RuntimeContainer> handles = new ConcurrentHashMap<>();
    private volatile boolean open;

    ContainerRuns(ObjectProvider<ContainerRuntime> runtime) {
        this.runtime = runtime;
    }

    /** The lock of container {@code id}: every change of its state happens holding it (synchronized on it). */
    Lock lock(String id) {
        return locks.computeIfAbsent(id, key -> new Lock());
    }

    /** A container's lock. */
    static final class Lock {
    }

    /** The runtime that runs containers; FAILED when the node has none. */
    ContainerRuntime runtime() {
        ContainerRuntime found = runtime.getIfAvailable();
        if (found == null) {
            throw new BerthException(FAILED, "no container runtime is configured on this node");
        }
        return found;
    }

    /** The runtime, or null on a node without one (recovery then finds no runs). */
    ContainerRuntime runtimeIfAny() {
        return runtime.getIfAvailable();
    }

    /** The handle of the container's current or last run, if it had one. */
    Optional<RuntimeContainer> lastRun(String id) {
        return Optional.ofNullable(handles.get(id));
    }

    /** The handle of a running container, for exec, top, stats and attach; CONFLICT when it does not run. */
    RuntimeContainer running(ContainerRecord container) {
        if (!container.state().isRunning()) {
            throw new BerthException(CONFLICT, "Container " + container.id() + " is not running");
        }
        return handle(container);
    }

    /** The handle of a container that has run; FAILED when it has none (its runtime state is lost). */
    RuntimeContainer handle(ContainerRecord container) {
        RuntimeContainer handle = handles.get(container.id());
        if (handle == null) {
            throw new BerthException(FAILED, "container " + container.id() + " has no runtime state");
        }
        return handle;
    }

    void started(String id, RuntimeContainer handle) {
        handles.put(id, handle);
    }

    /** Whether {@code handle} is the container's current run (and not one that was replaced or deleted). */
    boolean isCurrent(String id, RuntimeContainer handle) {
        return handles.get(id) == handle;
    }

    /** Forgets the container's run; the handle that was current, or null. */
    RuntimeContainer forgetRun(String id) {
        return handles.remove(id);
    }

    void forgetRun(String id, RuntimeContainer handle) {
        handles.remove(id, handle);
    }

    /** The container is gone: its lock with it. */
    void forget(String id) {
        handles.remove(id);
        locks.remove(id);
    }

    void open() {
        open = true;
    }

    void close() {
        open = false;
    }

    /** Whether the Engine runs: not yet stopping. */
    boolean isOpen() {
        return open;
    }
}
