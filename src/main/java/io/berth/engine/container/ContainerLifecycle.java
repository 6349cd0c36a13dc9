package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.CONFLICT;
import static io.berth.common.error.ErrorKind.FAILED;
import static io.berth.common.error.ErrorKind.INVALID;
import static io.berth.common.error.ErrorKind.NOT_FOUND;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

import io.berth.common.error.BerthException;
import io.berth.engine.OnEngine;
import io.berth.engine.graph.GraphDriver;
import io.berth.engine.runtime.RuntimeContainer;
import io.berth.engine.runtime.RuntimeState;

/**
 * The containers' life after create: start, stop, kill, restart, pause, wait, remove, rename, and what happens when a
 * run ends by itself (its exit recorded, {@code die} published, AutoRemove done, the restart policy applied). Each
 * container's changes hold its lock ({@link ContainerRuns#lock}). When the Engine starts it finds the containers of its
 * last run again ({@link ContainerRecovery}); when it stops, the containers keep running.
 */
@Service
@OnEngine
public class ContainerLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ContainerLifecycle.class);
    private static final int DEFAULT_STOP_TIMEOUT = 10;
    /** How long a kill with SIGKILL may take to show as an exit before the Engine says something is wrong. */
    static final Duration KILL_GRACE = Duration.ofSeconds(30);

    private final ContainerStore store;
    private final ContainerRuns runs;
    private final AttachSessions sessions;
    private final HealthMonitor health;
    private final GraphDriver graph;
    private final VolumeStore volumes;
    private final ContainerEvents events;
    private final ContainerNetworking networking;
    private final Clock clock;
    private final ContainerWaits waits = new ContainerWaits();
    private final RestartManager restarts = new RestartManager();
    private final ExitWatcher watcher;
    private final ContainerRemoval removal;
    /** berth.engine.container.start: from the rootfs to the program running, by outcome. */
    private final Timer startsSucceeded;
    private final Timer startsFailed;

    ContainerLifecycle(ContainerStore store, ContainerRuns runs, AttachSessions sessions, HealthMonitor health,
            GraphDriver graph, VolumeStore volumes, ContainerEvents events, ContainerNetworking networking, Clock clock,
            MeterRegistry meters) {
        this.store = store;
        this.runs = runs;
        this.sessions = sessions;
        this.health = health;
        this.graph = graph;
        this.volumes = volumes;
        this.events = events;
        this.networking = networking;
        this.clock = clock;
        this.watcher = new ExitWatcher(this::recordExit, runs);
        this.removal = new ContainerRemoval(store, runs, sessions, health, graph, volumes, events, networking,
                restarts, waits, this::exited);
        this.startsSucceeded = startTimer(meters, "success");
        this.startsFailed = startTimer(meters, "failure");
    }

    private static Timer startTimer(MeterRegistry meters, String outcome) {
        return Timer.builder("berth.engine.container.start")
                .description("Container starts, from preparing the rootfs to the program running")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                // Buckets from 5 ms (a vfs copy aside, a start takes tens of ms) to a minute, not Micrometer's default
                // range from 1 ms: fewer series per scrape.
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(meters);
    }

    // ----------------------------------------------------------------------------------------------------- start

    /** Starts the container; false when it was running already (dockerd's 304). */
    public boolean start(String idOrName) {
        String id = store.resolve(idOrName).id();
        synchronized (runs.lock(id)) {
            ContainerRecord container = current(id, idOrName);
            switch (container.state().status()) {
                case RUNNING:
                    return false;
                case PAUSED:
                    throw new BerthException(CONFLICT, "cannot start a paused container, try unpause instead");
                case REMOVING:
                    throw new BerthException(CONFLICT, "container is marked for removal and cannot be started");
                default:
                    break;
            }
            startLocked(store.updateTransient(id, c -> c.withRestarts(0, false)).orElseThrow());
            return true;
        }
    }

    /** Runs the container anew; holding its lock. A start that fails ends as dockerd ends it, and throws. */
    void startLocked(ContainerRecord container) {
        String id = container.id();
        ContainerFiles files = files(id);
        RuntimeContainer handle = null;
        long began = System.nanoTime();
        try {
            retire(id, files);
            graph.createRootfs(id, container.topChainId());
            ContainerNetworking.Attached network = networking.setup(container);
            networking.writeFiles(container, network, files);
            ContainerNetworking.joinNamespace(files.bundle(), network.namespace());
            handle = runs.runtime().create(id, files.bundle(), files.state());
            runs.started(id, handle);
            sessions.connectWaiting(id, handle);
            handle.start();
        } catch (IOException | RuntimeException e) {
            startsFailed.record(System.nanoTime() - began, TimeUnit.NANOSECONDS);
            throw startFailed(container, handle, e);
        }
        startsSucceeded.record(System.nanoTime() - began, TimeUnit.NANOSECONDS);
        RuntimeState state = state(handle);
        Instant startedAt = state.startedAt() == null ? clock.instant() : state.startedAt();
        store.updateTransient(id, c -> c.withState(c.state().running(state.pid(), startedAt)));
        events.publish(container, "start");
        health.started(id, HealthCheck.of(container.config()), handle);
        watcher.watch(id, handle);
    }

    /** Ends a run whose start failed as dockerd does: State.Error says why, the exit code is the shell's. */
    private BerthException startFailed(ContainerRecord container, RuntimeContainer handle, Exception cause) {
        String id = container.id();
        StartFailure failure = StartFailure.of(cause);
        sessions.close(id);
        if (handle != null) {
            try {
                handle.delete();
            } catch (IOException | RuntimeException e) {
                log.warn("cannot delete the failed run of container {}: {}", id, e.toString());
            }
            runs.forgetRun(id, handle);
        }
        networking.teardown(id);
        unmountRootfs(id);
        ContainerRecord failed = store.update(id, c -> c.withState(c.state().startFailed(failure.exitCode(),
                failure.reason(), clock.instant()))).orElse(container);
        waits.exited(id, failure.exitCode());
        if (failed.autoRemove()) {
            removeLocked(failed);
        }
        return failure.toException(cause);
    }

    /** Before a new run: the last run's log goes to the earlier runs' log, its runtime state away. */
    private void retire(String id, ContainerFiles files) throws IOException {
        RuntimeContainer previous = runs.forgetRun(id);
        if (previous == null) {
            return;
        }
        Path previousLog = previous.logFile();
        if (Files.exists(previousLog)) {
            try (var out = Files.newOutputStream(files.earlierRunsLog(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                Files.copy(previousLog, out);
            }
        }
        previous.delete();
    }

    // ------------------------------------------------------------------------------------------------------ exits

    /**
     * The run of {@code handle} ended: records it (once, whoever sees it first), publishes {@code die}, answers the
     * waits and does AutoRemove or what the restart policy says.
     */
    void recordExit(String id, RuntimeContainer handle, RuntimeState state) {
        synchronized (runs.lock(id)) {
            ContainerRecord current = store.byId(id).orElse(null);
            if (current == null || !runs.isCurrent(id, handle) || !current.state().isRunning()) {
                return;
            }
            ContainerRecord container = exited(current, state.exitCode(), state.oomKilled(), state.finishedAt());
            if (container.autoRemove()) {
                removeLocked(container);
            } else {
                restartIfDue(container);
            }
        }
    }

    /** Records an exit, publishes {@code oom} and {@code die}, answers the waits; the exited record. */
    ContainerRecord exited(ContainerRecord container, int exitCode, boolean oomKilled, Instant finished) {
        String id = container.id();
        health.stopped(id);
        networking.teardown(id);
        unmountRootfs(id);
        Instant finishedAt = finished == null ? clock.instant() : finished;
        ContainerRecord exited = store.update(id, c -> c.withState(c.state().exited(exitCode, oomKilled,
                finishedAt))).orElseThrow();
        if (oomKilled) {
            events.publish(exited, "oom");
        }
        events.publish(exited, "die", Map.of("exitCode", Integer.toString(exitCode)));
        waits.exited(id, exitCode);
        return exited;
    }

    /** Schedules the restart the container's policy asks for after it ended by itself, with moby's backoff. */
    private void restartIfDue(ContainerRecord container) {
        if (!runs.isOpen()) {
            return;
        }
        restarts.afterExit(container).ifPresent(delay -> {
            store.updateTransient(container.id(), c -> c.withState(c.state().restarting()));
            restarts.schedule(delay, () -> restartByPolicy(container.id()));
        });
    }

    private void restartByPolicy(String id) {
        synchronized (runs.lock(id)) {
            ContainerRecord current = store.byId(id).orElse(null);
            if (!runs.isOpen() || current == null || !current.state().is(ContainerStatus.RESTARTING)) {
                return; // stopped, started or removed meanwhile
            }
            ContainerRecord container = store.update(id, c -> c.withRestarts(c.restartCount() + 1, false))
                    .orElseThrow();
            try {
                startLocked(container);
            } catch (RuntimeException e) {
                log.warn("restart of container {} by its policy failed: {}", id, e.getMessage());
                store.byId(id).ifPresent(this::restartIfDue);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- stop, kill, ...

    /** Stops the container: its stop signal, then SIGKILL after the timeout; false when it was not running (304). */
    public boolean stop(String idOrName, Integer timeoutSeconds, String signalName) {
        String id = store.resolve(idOrName).id();
        synchronized (runs.lock(id)) {
            ContainerRecord container = current(id, idOrName);
            if (container.state().is(ContainerStatus.RESTARTING)) {
                // between two runs: the pending restart is called off
                store.update(id, c -> c.withRestarts(c.restartCount(), true).withState(c.state().restartCalledOff()));
                events.publish(container, "stop");
                return true;
            }
            if (!container.state().isRunning()) {
                return false;
            }
            stopLocked(container, timeoutSeconds, signalName);
            events.publish(container, "stop");
            return true;
        }
    }

    private void stopLocked(ContainerRecord container, Integer timeoutSeconds, String signalName) {
        String id = container.id();
        store.updateTransient(id, c -> c.withRestarts(c.restartCount(), true));
        RuntimeContainer handle = runs.handle(container);
        int signal = SignalNames.parse(signalName != null && !signalName.isEmpty() ? signalName
                : DockerConfigs.emptyToNull(container.config().stopSignal()), SignalNames.SIGTERM);
        Integer configured = container.config().stopTimeout();
        int timeout = timeoutSeconds != null ? timeoutSeconds : configured != null ? configured : DEFAULT_STOP_TIMEOUT;
        try {
            RuntimeState state = handle.state();
            if (state.status() != RuntimeState.Status.STOPPED) {
                signal(container, handle, signal);
                if (container.state().isPaused()) {
                    handle.resume(); // a frozen process cannot act on its signal
                }
                // a negative timeout waits for ever, as with dockerd
                state = handle.awaitExit(timeout < 0 ? Duration.ofDays(3650) : Duration.ofSeconds(timeout));
                if (state.status() != RuntimeState.Status.STOPPED) {
                    signal(container, handle, SignalNames.SIGKILL);
                    state = handle.awaitExit(KILL_GRACE);
                }
            }
            if (state.status() != RuntimeState.Status.STOPPED) {
                throw new BerthException(FAILED, "cannot stop container " + container.shortId()
                        + ": it is still running " + KILL_GRACE.toSeconds() + " s after SIGKILL");
            }
            recordExit(id, handle, state);
        } catch (IOException e) {
            throw new BerthException(FAILED, "cannot stop container " + container.shortId() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(FAILED, "interrupted while stopping container " + container.shortId(), e);
        }
    }

    private void signal(ContainerRecord container, RuntimeContainer handle, int signal) throws IOException {
        handle.kill(signal);
        events.killed(container, signal);
    }

    public void kill(String idOrName, String signalName) {
        String id = store.resolve(idOrName).id();
        int signal = SignalNames.parse(signalName, SignalNames.SIGKILL);
        RuntimeContainer handle;
        synchronized (runs.lock(id)) {
            ContainerRecord container = current(id, idOrName);
            if (!container.state().isRunning()) {
                throw new BerthException(CONFLICT, "Cannot kill container: " + idOrName + ": Container " + id
                        + " is not running");
            }
            handle = runs.handle(container);
            store.updateTransient(id, c -> c.withRestarts(c.restartCount(), true));
            try {
                signal(container, handle, signal);
                if (signal == SignalNames.SIGKILL && container.state().isPaused()) {
                    handle.resume();
                }
            } catch (IOException e) {
                throw new BerthException(FAILED, "Cannot kill container: " + idOrName + ": " + e.getMessage(), e);
            }
        }
        if (signal == SignalNames.SIGKILL) {
            // dockerd answers a SIGKILL once the container is dead: a following inspect sees it exited
            try {
                RuntimeState state = handle.awaitExit(KILL_GRACE);
                if (state.status() == RuntimeState.Status.STOPPED) {
                    recordExit(id, handle, state);
                }
            } catch (IOException e) {
                throw new BerthException(FAILED, "Cannot kill container: " + idOrName + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public void restart(String idOrName, Integer timeoutSeconds, String signalName) {
        String id = store.resolve(idOrName).id();
        synchronized (runs.lock(id)) {
            ContainerRecord container = current(id, idOrName);
            if (container.state().is(ContainerStatus.REMOVING)) {
                throw new BerthException(CONFLICT, "container is marked for removal and cannot be started");
            }
            if (container.state().isRunning()) {
                stopLocked(container, timeoutSeconds, signalName);
                events.publish(container, "stop");
            }
            startLocked(store.updateTransient(id, c -> c.withRestarts(0, false)).orElseThrow());
            events.publish(container, "restart");
        }
    }

    public void pause(String idOrName, boolean pause) {
        String id = store.resolve(idOrName).id();
        synchronized (runs.lock(id)) {
            ContainerRecord container = current(id, idOrName);
            if (!container.state().isRunning()) {
                throw new BerthException(CONFLICT, "Container " + id + " is not running");
            }
            if (pause && container.state().isPaused()) {
                throw new BerthException(CONFLICT, "Container " + id + " is already paused");
            }
            if (!pause && !container.state().isPaused()) {
                throw new BerthException(CONFLICT, "Container " + id + " is not paused");
            }
            RuntimeContainer handle = runs.handle(container);
            try {
                if (pause) {
                    handle.pause();
                } else {
                    handle.resume();
                }
            } catch (IOException e) {
                throw new BerthException(FAILED, "Cannot " + (pause ? "pause" : "unpause") + " container " + id + ": "
                        + e.getMessage(), e);
            }
            store.updateTransient(id, c -> c.withState(c.state().paused(pause)));
            events.publish(container, pause ? "pause" : "unpause");
        }
    }

    // ---------------------------------------------------------------------------------------------- remove, rename

    public void remove(String idOrName, boolean force, boolean removeVolumes) {
        removal.remove(idOrName, force, removeVolumes);
    }

    /** Removes a container that does not run, holding its lock. */
    void removeLocked(ContainerRecord container) {
        removal.removeLocked(container);
    }

    public void rename(String idOrName, String newName) {
        if (newName == null || newName.isEmpty()) {
            throw new BerthException(INVALID, "Neither old nor new names may be empty");
        }
        String id = store.resolve(idOrName).id();
        synchronized (runs.lock(id)) {
            ContainerRecord container = current(id, idOrName);
            String slashed = store.reserveName(newName, id);
            if (slashed.equals(container.name())) {
                throw new BerthException(CONFLICT, "Renaming a container with the same name as its current name");
            }
            store.update(id, c -> c.withName(slashed));
            store.releaseName(container.name(), id);
            events.publish(current(id, idOrName), "rename", Map.of("oldName", container.name()));
        }
    }

    // ------------------------------------------------------------------------------------------------------- wait

    /**
     * The exit code the wait ends with: {@code not-running} now if the container does not run, else at its next
     * exit; {@code next-exit} at its next exit; {@code removed} once it is gone.
     */
    public CompletableFuture<Integer> await(String idOrName, String condition) {
        String id = store.resolve(idOrName).id();
        synchronized (runs.lock(id)) {
            ContainerRecord container = current(id, idOrName);
            String wanted = condition == null || condition.isEmpty() ? "not-running" : condition;
            return switch (wanted) {
                case "not-running" -> container.state().isRunning() ? waits.nextExit(id)
                        : CompletableFuture.completedFuture(container.state().exitCode());
                case "next-exit" -> waits.nextExit(id);
                case "removed" -> waits.removal(id);
                default -> throw new BerthException(INVALID, "invalid condition: \"" + condition + "\"");
            };
        }
    }

    // ------------------------------------------------------------------------------------------------- lifecycle

    /** Finds the containers of the last Engine run again: those still running are watched, the others recorded. */
    @Override
    public void start() {
        runs.open();
        new ContainerRecovery(store, runs, this, clock).recoverAll();
        networking.reconcile(store.all().stream().filter(c -> c.state().isRunning()).map(ContainerRecord::id)
                .toList());
    }

    /** Ends the Engine's streams so that the server can stop at once; the containers keep running. */
    @Override
    public void stop() {
        runs.close();
        waits.abandonAll("the engine is shutting down");
        sessions.closeAll();
        watcher.shutdown();
        restarts.shutdown();
        health.shutdown();
    }

    @Override
    public boolean isRunning() {
        return runs.isOpen();
    }

    /** For recovery: a running container found again is watched (and health-checked) as if this Engine started it. */
    void resumeWatching(ContainerRecord container, RuntimeContainer handle) {
        health.started(container.id(), HealthCheck.of(container.config()), handle);
        watcher.watch(container.id(), handle);
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    ContainerFiles files(String id) {
        return new ContainerFiles(store.directory(id));
    }

    /** Like dockerd, a container that does not run has its rootfs unmounted (its writable layer stays). */
    private void unmountRootfs(String id) {
        try {
            graph.unmountRootfs(id);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot unmount the rootfs of container {}: {}", id, e.toString());
        }
    }

    private static RuntimeState state(RuntimeContainer handle) {
        try {
            return handle.state();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ContainerRecord current(String id, String idOrName) {
        return store.byId(id).orElseThrow(() -> new BerthException(NOT_FOUND, "No such container: " + idOrName));
    }
}
