package io.berth.engine.container;

import java.io.IOException;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.berth.engine.runtime.ContainerRuntime;
import io.berth.engine.runtime.RuntimeContainer;
import io.berth.engine.runtime.RuntimeState;

/**
 * What the Engine does at its start with the containers of its last run, which outlived it: a running one is watched
 * again, one that ended while no Engine ran gets its exit recorded (and AutoRemove or its restart policy), one left
 * half-removed is removed, and one whose policy says so runs again.
 */
final class ContainerRecovery {

    private static final Logger log = LoggerFactory.getLogger(ContainerRecovery.class);
    /** The exit code of a run whose runtime state is lost: nothing says how it ended. */
    static final int LOST_EXIT_CODE = 255;

    /** What to do with one container. */
    enum Plan {
        /** It was being removed: finish that. */
        REMOVE,
        /** It still runs (or is frozen): watch it. */
        WATCH,
        /** It ran and ended meanwhile (or its run is lost): record the exit. */
        RECORD_EXIT,
        /** It did not run: start it if its restart policy says so. */
        RESTART_IF_DUE
    }

    private final ContainerStore store;
    private final ContainerRuns runs;
    private final ContainerLifecycle lifecycle;
    private final Clock clock;

    ContainerRecovery(ContainerStore store, ContainerRuns runs, ContainerLifecycle lifecycle, Clock clock) {
        this.store = store;
        this.runs = runs;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    /**
     * The plan for a container in {@code status} whose run the runtime sees in {@code run} (null: no runtime state).
     */
    static Plan plan(ContainerStatus status, RuntimeState run) {
        if (status == ContainerStatus.REMOVING) {
            return Plan.REMOVE;
        }
        if (status != ContainerStatus.RUNNING && status != ContainerStatus.PAUSED) {
            return Plan.RESTART_IF_DUE;
        }
        return run == null || run.status() == RuntimeState.Status.STOPPED ? Plan.RECORD_EXIT : Plan.WATCH;
    }

    /**
     * Whether a container that does not run is started with the Engine: one that was between two runs of its
     * policy, or whose policy restarts it with the Engine.
     */
    static boolean startsWithEngine(ContainerRecord container) {
        ContainerState state = container.state();
        return state.is(ContainerStatus.RESTARTING) || (state.is(ContainerStatus.EXITED)
                && RestartManager.restartsWithEngine(container.hostConfig().restartPolicy(), state.exitCode(),
                        container.manuallyStopped(), container.restartCount()));
    }

    void recoverAll() {
        ContainerRuntime runtime = runs.runtimeIfAny();
        for (ContainerRecord container : store.all()) {
            String id = container.id();
            synchronized (runs.lock(id)) {
                try {
                    recover(container, runtime);
                } catch (IOException | RuntimeException e) {
                    log.error("cannot recover container {}: {}", id, e.toString(), e);
                }
            }
        }
    }

    private void recover(ContainerRecord container, ContainerRuntime runtime) throws IOException {
        String id = container.id();
        RuntimeContainer handle = runtime == null ? null : runtime.reopen(id, lifecycle.files(id).state());
        if (handle != null) {
            runs.started(id, handle);
        }
        RuntimeState run = handle == null || !container.state().isRunning() ? null : handle.state();
        switch (plan(container.state().status(), run)) {
            case REMOVE -> lifecycle.removeLocked(container);
            case RESTART_IF_DUE -> startIfDue(store.byId(id).orElseThrow());
            case RECORD_EXIT -> {
                ContainerRecord exited = lifecycle.exited(container, run == null ? LOST_EXIT_CODE : run.exitCode(),
                        run != null && run.oomKilled(), run == null ? clock.instant() : run.finishedAt());
                if (exited.autoRemove()) {
                    lifecycle.removeLocked(exited);
                } else {
                    startIfDue(exited);
                }
            }
            case WATCH -> {
                boolean paused = run.status() == RuntimeState.Status.PAUSED;
                ContainerRecord found = store.updateTransient(id, c -> c.withState(c.state().runningAgain(run.pid(), paused)))
                        .orElseThrow();
                lifecycle.resumeWatching(found, handle);
            }
        }
    }

    /** At the Engine's start, a container that does not run and whose policy says so runs again. */
    private void startIfDue(ContainerRecord container) {
        if (!startsWithEngine(container)) {
            return;
        }
        try {
            lifecycle.startLocked(store.update(container.id(), c -> c.withRestarts(c.restartCount(), false))
                    .orElseThrow());
        } catch (RuntimeException e) {
            log.error("cannot start container {} again after the Engine's restart: {}", container.id(),
                    e.getMessage());
        }
    }
}
