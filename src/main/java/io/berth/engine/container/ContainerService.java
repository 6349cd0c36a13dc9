package io.berth.engine.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import io.berth.common.AtomicFiles;
import io.berth.engine.OnEngine;
import io.berth.engine.api.EngineEvents;
import io.berth.engine.api.EngineException;
import io.berth.engine.graph.GraphDriver;
import io.berth.engine.image.ContentStore;
import io.berth.engine.image.ImageNotFoundException;
import io.berth.engine.image.ImageRecord;
import io.berth.engine.image.ImageReference;
import io.berth.engine.image.ImageService;
import io.berth.engine.runtime.ContainerRuntime;
import io.berth.engine.runtime.RuntimeContainer;
import io.berth.engine.runtime.RuntimeState;
import io.berth.engine.runtime.StartFailure;
import io.berth.engine.runtime.spec.ContainerSettings;
import io.berth.engine.runtime.spec.ContainerSpecFactory;
import io.berth.engine.runtime.spec.ImageRuntimeConfig;
import io.berth.engine.runtime.spec.InvalidContainerSettingsException;
import io.berth.engine.runtime.spec.Spec;
import io.berth.engine.runtime.spec.SpecJson;

/**
 * The containers' life: create, start, stop, kill, restart, pause, wait, remove, rename, and what happens when a
 * container ends by itself (its exit recorded, {@code die} published, AutoRemove done). Each container's changes are
 * serialized by a lock of its own; its runtime handle lives here while the Engine runs and is found again through
 * {@link ContainerRuntime#reopen} after a restart.
 */
@Service
@OnEngine
public class ContainerService implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ContainerService.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int DEFAULT_STOP_TIMEOUT = 10;
    /** How long a kill with SIGKILL may take to show as an exit before the Engine says something is wrong. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(30);
    private static final Duration WATCH_SLICE = Duration.ofSeconds(60);

    /** A new container's id and what dockerd would warn about. */
    public record Created(String id, List<String> warnings) {
    }

    private final ContainerStore store;
    private final ImageService images;
    private final ContentStore content;
    private final GraphDriver graph;
    private final ObjectProvider<ContainerRuntime> runtimeProvider;
    private final VolumeStore volumes;
    private final EngineEvents events;
    private final Clock clock;
    private final ContainerSpecFactory specs = new ContainerSpecFactory();
    private final NameGenerator names = new NameGenerator();
    private final ContainerWaits waits = new ContainerWaits();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** The runtime's handle of each container that has one (created at its first start). */
    private final Map<String, RuntimeContainer> handles = new ConcurrentHashMap<>();
    /** Attach connections by container; those not yet connected wait for the next start. */
    private final Map<String, List<StdioSession>> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger watcherThreads = new AtomicInteger();
    /** The last backoff of each container its policy restarts. */
    private final Map<String, Duration> restartDelays = new ConcurrentHashMap<>();
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "container-restarts");
        thread.setDaemon(true);
        return thread;
    });
    private final ExecutorService watchers = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "container-watch-" + watcherThreads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private final HealthMonitor health;
    /** berth.engine.container.start: from the rootfs to the program running, by outcome. */
    private final Timer startsSucceeded;
    private final Timer startsFailed;
    private volatile boolean running;

    public ContainerService(ContainerStore store, ImageService images, ContentStore content, GraphDriver graph,
            ObjectProvider<ContainerRuntime> runtimeProvider, VolumeStore volumes, EngineEvents events, Clock clock,
            MeterRegistry meters) {
        this.startsSucceeded = startTimer(meters, "success");
        this.startsFailed = startTimer(meters, "failure");
        this.volumes = volumes;
        this.store = store;
        this.images = images;
        this.content = content;
        this.graph = graph;
        this.runtimeProvider = runtimeProvider;
        this.events = events;
        this.clock = clock;
        this.health = new HealthMonitor(this::healthProcess, (id, status) -> store.byId(id)
                .ifPresent(container -> publish(container, "health_status: " + status, Map.of())));
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

    /** A healthcheck's process, prepared in the container as an exec of the container's own settings. */
    private io.berth.engine.runtime.ExecProcess healthProcess(RuntimeContainer handle, String execId,
            List<String> command) throws IOException {
        ContainerFiles files = files(handle.id());
        io.berth.engine.runtime.spec.Process base = SpecJson.read(files.bundle()).process();
        io.berth.engine.runtime.spec.Process process = ExecService.processFor(base, command, false, null, null,
                base.user(), false);
        return handle.exec(execId, process, files.exec(execId));
    }

    /** Like dockerd, a container that does not run has its rootfs unmounted (its writable layer stays). */
    private void unmountRootfs(String id) {
        try {
            graph.unmountRootfs(id);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot unmount the rootfs of container {}: {}", id, e.toString());
        }
    }

    /** An exec's runtime state, once its exit code is known. */
    void deleteExecState(String containerId, String execId) {
        try {
            new ContainerFiles(files(containerId).exec(execId)).delete();
        } catch (IOException | RuntimeException e) {
            log.debug("cannot delete the state of exec {}: {}", execId, e.toString());
        }
    }

    /** Inspect's State.Health; null for a container without a healthcheck. */
    Map<String, Object> health(String id) {
        return health.inspect(id);
    }

    String healthStatus(String id) {
        return health.status(id);
    }

    // ---------------------------------------------------------------------------------------------------- create

    public Created create(String name, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw EngineException.badRequest("config cannot be empty in order to create a container");
        }
        String imageName = DockerConfigs.text(body, "Image");
        if (imageName == null) {
            throw EngineException.badRequest("no image given in the create body (Image)");
        }
        ImageRecord image = image(imageName);
        ObjectNode config = ((ObjectNode) body).deepCopy();
        config.remove("HostConfig");
        config.remove("NetworkingConfig");
        JsonNode givenHostConfig = body.get("HostConfig");
        ObjectNode hostConfig = givenHostConfig != null && givenHostConfig.isObject()
                ? ((ObjectNode) givenHostConfig).deepCopy() : JSON.createObjectNode();
        byte[] imageConfigBlob = content.read(image.id());
        ImageConfig imageConfig = imageConfig(imageConfigBlob);
        mergeImageConfig(config, imageConfig.raw());
        DockerConfigs.networkMode(hostConfig); // refuses a network before anything is made
        HealthCheck.of(config);
        if (!RestartPolicy.of(hostConfig).isNo() && DockerConfigs.bool(hostConfig, "AutoRemove")) {
            throw EngineException.badRequest("can't create 'AutoRemove' container with restart policy");
        }

        String id = HexFormat.of().formatHex(randomBytes());
        String slashed = reserveName(name, id);
        ContainerFiles files = files(id);
        ContainerVolumes containerVolumes = ContainerVolumes.creating(volumes);
        try {
            ContainerSettings settings = DockerConfigs.settings(config, hostConfig, files.networkFiles(),
                    containerVolumes);
            createBindSources(hostConfig);
            String topChainId = image.layers().isEmpty() ? null
                    : image.layers().get(image.layers().size() - 1).chainId().toString();
            Path rootfs = graph.createRootfs(id, topChainId);
            containerVolumes.copyImageContent(settings, rootfs);
            Spec spec = specs.build(id, settings, imageConfig.runtime(), rootfs);
            files.writeNetworkFiles(spec.hostname(), "host".equals(settings.networkMode()), Path.of("/etc/hosts"),
                    Path.of("/etc/resolv.conf"));
            Files.createDirectories(files.bundle());
            SpecJson.write(spec, files.bundle());
            AtomicFiles.write(files.imageConfig(), imageConfigBlob);
            if (DockerConfigs.text(config, "Hostname") == null) {
                config.put("Hostname", spec.hostname());
            }
            List<String> args = spec.process().args();
            ContainerRecord container = new ContainerRecord(id, slashed, clock.instant(), image.id().toString(),
                    imageName, topChainId, args.get(0), args.subList(1, args.size()), config, hostConfig,
                    ContainerState.created(), 0, false, containerVolumes.anonymousVolumes());
            store.save(container);
            unmountRootfs(id); // mounted again at start: a container that never runs holds no mount
            publish(container, "create", Map.of());
            return new Created(id, List.of());
        } catch (InvalidContainerSettingsException e) {
            discard(id, slashed, files, containerVolumes);
            throw EngineException.badRequest(e.getMessage());
        } catch (IOException e) {
            discard(id, slashed, files, containerVolumes);
            throw new EngineException(500, "cannot create the container: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            discard(id, slashed, files, containerVolumes);
            throw e;
        }
    }

    private ImageRecord image(String imageName) {
        try {
            return images.get(imageName);
        } catch (ImageNotFoundException e) {
            String shown = ImageReference.isValid(imageName)
                    ? ImageReference.parse(imageName).withDefaultTag().familiar() : imageName;
            throw EngineException.notFound("No such image: " + shown);
        }
    }

    private String reserveName(String name, String id) {
        if (name != null && !name.isEmpty()) {
            return store.reserveName(name, id);
        }
        for (;;) {
            try {
                return store.reserveName(names.generate(store::nameTaken), id);
            } catch (EngineException e) {
                if (e.status() != 409) {
                    throw e;
                }
                // another create took the generated name meanwhile: another one
            }
        }
    }

    /** dockerd creates a missing host directory of a {@code -v} bind; {@code --mount} sources must exist. */
    private static void createBindSources(ObjectNode hostConfig) throws IOException {
        List<String> binds = DockerConfigs.strings(hostConfig.get("Binds"));
        for (String bind : binds == null ? List.<String>of() : binds) {
            Path source = Path.of(bind.split(":", 2)[0]);
            if (!Files.exists(source)) {
                Files.createDirectories(source);
            }
        }
    }

    private void discard(String id, String name, ContainerFiles files, ContainerVolumes containerVolumes) {
        store.releaseName(name, id);
        try {
            for (String volume : containerVolumes.anonymousVolumes().values()) {
                volumes.remove(volume);
            }
            graph.removeRootfs(id);
            files.delete();
        } catch (IOException | RuntimeException e) {
            log.warn("cannot clean up after the failed create of container {}: {}", id, e.toString());
        }
    }

    /** The image's config as the runtime wants it, and raw for Docker's merge into the container's Config. */
    private record ImageConfig(ImageRuntimeConfig runtime, JsonNode raw) {
    }

    private static ImageConfig imageConfig(byte[] configBlob) {
        JsonNode blob = JSON.readTree(configBlob);
        JsonNode raw = blob.get("config");
        return new ImageConfig(ImageRuntimeConfig.from(blob), raw == null || !raw.isObject() ? null : raw);
    }

    /**
     * moby's merge of the image's config into the container's (daemon/commit.go merge): what the container does not
     * set comes from the image, so that inspect shows what runs. Building the settings again from the merged config
     * gives the same spec.
     */
    static void mergeImageConfig(ObjectNode config, JsonNode image) {
        if (image == null) {
            return;
        }
        if (DockerConfigs.text(config, "User") == null && DockerConfigs.text(image, "User") != null) {
            config.put("User", image.get("User").asString());
        }
        List<String> env = DockerConfigs.strings(config.get("Env"));
        List<String> imageEnv = DockerConfigs.strings(image.get("Env"));
        if (imageEnv != null) {
            List<String> merged = new ArrayList<>(env == null ? List.of() : env);
            for (String variable : imageEnv) {
                String key = variable.split("=", 2)[0];
                if (merged.stream().noneMatch(own -> own.split("=", 2)[0].equals(key))) {
                    merged.add(variable);
                }
            }
            ArrayNode array = config.putArray("Env");
            merged.forEach(array::add);
        }
        List<String> entrypoint = DockerConfigs.strings(config.get("Entrypoint"));
        if (entrypoint == null || entrypoint.isEmpty()) {
            List<String> cmd = DockerConfigs.strings(config.get("Cmd"));
            if ((cmd == null || cmd.isEmpty()) && image.get("Cmd") != null && !image.get("Cmd").isNull()) {
                config.set("Cmd", image.get("Cmd").deepCopy());
            }
            if (entrypoint == null && image.get("Entrypoint") != null && !image.get("Entrypoint").isNull()) {
                config.set("Entrypoint", image.get("Entrypoint").deepCopy());
            }
        }
        if (DockerConfigs.text(config, "WorkingDir") == null && DockerConfigs.text(image, "WorkingDir") != null) {
            config.put("WorkingDir", image.get("WorkingDir").asString());
        }
        if (DockerConfigs.text(config, "StopSignal") == null && DockerConfigs.text(image, "StopSignal") != null) {
            config.put("StopSignal", image.get("StopSignal").asString());
        }
        JsonNode healthcheck = config.get("Healthcheck");
        if ((healthcheck == null || healthcheck.isNull()) && image.get("Healthcheck") != null
                && image.get("Healthcheck").isObject()) {
            config.set("Healthcheck", image.get("Healthcheck").deepCopy());
        }
        JsonNode imageLabels = image.get("Labels");
        if (imageLabels != null && imageLabels.isObject()) {
            ObjectNode labels = JSON.createObjectNode();
            labels.setAll((ObjectNode) imageLabels);
            JsonNode own = config.get("Labels");
            if (own != null && own.isObject()) {
                labels.setAll((ObjectNode) own);
            }
            config.set("Labels", labels);
        }
    }

    // ----------------------------------------------------------------------------------------------------- start

    /** Starts the container; false when it was running already (dockerd's 304). */
    public boolean start(String idOrName) {
        String id = store.resolve(idOrName).id();
        synchronized (lock(id)) {
            ContainerRecord container = current(id, idOrName);
            switch (container.state().status()) {
                case ContainerState.RUNNING:
                    return false;
                case ContainerState.PAUSED:
                    throw EngineException.conflict("cannot start a paused container, try unpause instead");
                case ContainerState.REMOVING:
                    throw EngineException.conflict("container is marked for removal and cannot be started");
                default:
                    break;
            }
            startLocked(store.update(id, c -> c.withRestarts(0, false)).orElseThrow());
            return true;
        }
    }

    private void startLocked(ContainerRecord container) {
        String id = container.id();
        ContainerFiles files = files(id);
        RuntimeContainer handle = null;
        long began = System.nanoTime();
        try {
            ContainerRuntime runtime = runtime();
            retire(id, files);
            graph.createRootfs(id, container.topChainId());
            handle = runtime.create(id, files.bundle(), files.state());
            handles.put(id, handle);
            for (StdioSession session : pendingSessions(id)) {
                session.connect(handle.attach());
            }
            handle.start();
        } catch (IOException | RuntimeException e) {
            startsFailed.record(System.nanoTime() - began, TimeUnit.NANOSECONDS);
            startFailed(container, handle, e);
        }
        startsSucceeded.record(System.nanoTime() - began, TimeUnit.NANOSECONDS);
        RuntimeState state = state(handle);
        Instant startedAt = state.startedAt() == null ? clock.instant() : state.startedAt();
        store.update(id, c -> c.withState(c.state().running(state.pid(), startedAt)));
        publish(container, "start", Map.of());
        health.started(id, HealthCheck.of(container.config()), handle);
        watch(id, handle);
    }

    /** Ends a run whose start failed as dockerd does: State.Error says why, the exit code is the shell's. */
    private void startFailed(ContainerRecord container, RuntimeContainer handle, Exception cause) {
        String id = container.id();
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        int exitCode = cause instanceof StartFailure failure ? failure.containerExitCode()
                : StartFailure.CONTAINER_UNKNOWN;
        closeSessions(id);
        if (handle != null) {
            try {
                handle.delete();
            } catch (IOException | RuntimeException e) {
                log.warn("cannot delete the failed run of container {}: {}", id, e.toString());
            }
            handles.remove(id, handle);
        }
        unmountRootfs(id);
        ContainerRecord failed = store.update(id, c -> c.withState(c.state().startFailed(exitCode, message,
                clock.instant()))).orElse(container);
        waits.exited(id, exitCode);
        if (failed.autoRemove()) {
            removeLocked(failed);
        }
        int status = cause instanceof EngineException engine ? engine.status()
                : exitCode == StartFailure.CONTAINER_UNKNOWN ? 500 : 400;
        throw new EngineException(status, message, cause);
    }

    /** Before a new run: the last run's log goes to the earlier runs' log, its runtime state away. */
    private void retire(String id, ContainerFiles files) throws IOException {
        RuntimeContainer previous = handles.remove(id);
        if (previous == null) {
            return;
        }
        Path log = previous.logFile();
        if (Files.exists(log)) {
            try (var out = Files.newOutputStream(files.earlierRunsLog(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                Files.copy(log, out);
            }
        }
        previous.delete();
    }

    // ------------------------------------------------------------------------------------------------ exits, watch

    private void watch(String id, RuntimeContainer handle) {
        watchers.execute(() -> {
            try {
                RuntimeState state = handle.awaitExit(WATCH_SLICE);
                while (state.status() != RuntimeState.Status.STOPPED && running && handles.get(id) == handle) {
                    state = handle.awaitExit(WATCH_SLICE);
                }
                if (state.status() == RuntimeState.Status.STOPPED) {
                    recordExit(id, handle, state);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                log.error("lost track of container {}: {}", id, e.toString(), e);
            }
        });
    }

    /**
     * The run of {@code handle} ended: records it (once, whoever sees it first), publishes {@code die}, answers the
     * waits and does AutoRemove.
     */
    private void recordExit(String id, RuntimeContainer handle, RuntimeState state) {
        synchronized (lock(id)) {
            Optional<ContainerRecord> current = store.byId(id);
            if (current.isEmpty() || handles.get(id) != handle || !current.get().state().isRunning()) {
                return;
            }
            health.stopped(id);
            unmountRootfs(id);
            Instant finishedAt = state.finishedAt() == null ? clock.instant() : state.finishedAt();
            ContainerRecord container = store.update(id, c -> c.withState(c.state().exited(state.exitCode(),
                    state.oomKilled(), finishedAt))).orElseThrow();
            if (state.oomKilled()) {
                publish(container, "oom", Map.of());
            }
            publish(container, "die", Map.of("exitCode", Integer.toString(state.exitCode())));
            waits.exited(id, state.exitCode());
            if (container.autoRemove()) {
                removeLocked(container);
            } else {
                restartIfDue(container);
            }
        }
    }

    /** Schedules the restart the container's policy asks for after it ended by itself, with moby's backoff. */
    private void restartIfDue(ContainerRecord container) {
        String id = container.id();
        ContainerState state = container.state();
        if (!running || !container.restartPolicy().restartsAfterExit(state.exitCode(), container.manuallyStopped(),
                container.restartCount())) {
            restartDelays.remove(id);
            return;
        }
        Duration run = state.startedAt() == null || state.finishedAt() == null ? Duration.ZERO
                : Duration.between(state.startedAt(), state.finishedAt());
        Duration delay = RestartPolicy.nextDelay(restartDelays.get(id), run);
        restartDelays.put(id, delay);
        store.update(id, c -> c.withState(c.state().restarting()));
        restarts.schedule(() -> restartByPolicy(id), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void restartByPolicy(String id) {
        synchronized (lock(id)) {
            Optional<ContainerRecord> current = store.byId(id);
            if (!running || current.isEmpty() || !current.get().state().status().equals(ContainerState.RESTARTING)) {
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

    // -------------------------------------------------------------------------------------------- stop, kill, ...

    /** Stops the container: its stop signal, then SIGKILL after the timeout; false when it was not running (304). */
    public boolean stop(String idOrName, Integer timeoutSeconds, String signalName) {
        String id = store.resolve(idOrName).id();
        synchronized (lock(id)) {
            ContainerRecord container = current(id, idOrName);
            if (container.state().status().equals(ContainerState.RESTARTING)) {
                // between two runs: the pending restart is called off
                store.update(id, c -> c.withRestarts(c.restartCount(), true)
                        .withState(new ContainerState(ContainerState.EXITED, 0, c.state().exitCode(),
                                c.state().oomKilled(), c.state().error(), c.state().startedAt(),
                                c.state().finishedAt())));
                publish(container, "stop", Map.of());
                return true;
            }
            if (!container.state().isRunning()) {
                return false;
            }
            stopLocked(container, timeoutSeconds, signalName);
            publish(container, "stop", Map.of());
            return true;
        }
    }

    private void stopLocked(ContainerRecord container, Integer timeoutSeconds, String signalName) {
        String id = container.id();
        store.update(id, c -> c.withRestarts(c.restartCount(), true));
        RuntimeContainer handle = handle(container);
        int signal = SignalNames.parse(signalName != null && !signalName.isEmpty() ? signalName
                : DockerConfigs.text(container.config(), "StopSignal"), SignalNames.SIGTERM);
        Long configured = DockerConfigs.number(container.config(), "StopTimeout");
        int timeout = timeoutSeconds != null ? timeoutSeconds
                : configured != null ? configured.intValue() : DEFAULT_STOP_TIMEOUT;
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
                throw new EngineException(500, "cannot stop container " + container.shortId()
                        + ": it is still running " + KILL_GRACE.toSeconds() + " s after SIGKILL");
            }
            recordExit(id, handle, state);
        } catch (IOException e) {
            throw new EngineException(500, "cannot stop container " + container.shortId() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(500, "interrupted while stopping container " + container.shortId(), e);
        }
    }

    private void signal(ContainerRecord container, RuntimeContainer handle, int signal) throws IOException {
        handle.kill(signal);
        publish(container, "kill", Map.of("signal", Integer.toString(signal)));
    }

    public void kill(String idOrName, String signalName) {
        String id = store.resolve(idOrName).id();
        int signal = SignalNames.parse(signalName, SignalNames.SIGKILL);
        RuntimeContainer handle;
        ContainerRecord container;
        synchronized (lock(id)) {
            container = current(id, idOrName);
            if (!container.state().isRunning()) {
                throw EngineException.conflict("Cannot kill container: " + idOrName + ": Container " + id
                        + " is not running");
            }
            handle = handle(container);
            store.update(id, c -> c.withRestarts(c.restartCount(), true));
            try {
                signal(container, handle, signal);
                if (signal == SignalNames.SIGKILL && container.state().isPaused()) {
                    handle.resume();
                }
            } catch (IOException e) {
                throw new EngineException(500, "Cannot kill container: " + idOrName + ": " + e.getMessage(), e);
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
                throw new EngineException(500, "Cannot kill container: " + idOrName + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public void restart(String idOrName, Integer timeoutSeconds, String signalName) {
        String id = store.resolve(idOrName).id();
        synchronized (lock(id)) {
            ContainerRecord container = current(id, idOrName);
            if (container.state().status().equals(ContainerState.REMOVING)) {
                throw EngineException.conflict("container is marked for removal and cannot be started");
            }
            if (container.state().isRunning()) {
                stopLocked(container, timeoutSeconds, signalName);
                publish(container, "stop", Map.of());
            }
            startLocked(store.update(id, c -> c.withRestarts(0, false)).orElseThrow());
            publish(container, "restart", Map.of());
        }
    }

    public void pause(String idOrName, boolean pause) {
        String id = store.resolve(idOrName).id();
        synchronized (lock(id)) {
            ContainerRecord container = current(id, idOrName);
            if (!container.state().isRunning()) {
                throw EngineException.conflict("Container " + id + " is not running");
            }
            if (pause && container.state().isPaused()) {
                throw EngineException.conflict("Container " + id + " is already paused");
            }
            if (!pause && !container.state().isPaused()) {
                throw EngineException.conflict("Container " + id + " is not paused");
            }
            RuntimeContainer handle = handle(container);
            try {
                if (pause) {
                    handle.pause();
                } else {
                    handle.resume();
                }
            } catch (IOException e) {
                throw new EngineException(500, "Cannot " + (pause ? "pause" : "unpause") + " container " + id + ": "
                        + e.getMessage(), e);
            }
            store.update(id, c -> c.withState(c.state().paused(pause)));
            publish(container, pause ? "pause" : "unpause", Map.of());
        }
    }

    // ---------------------------------------------------------------------------------------------- remove, rename

    public void remove(String idOrName, boolean force, boolean removeVolumes) {
        String id = store.resolve(idOrName).id();
        synchronized (lock(id)) {
            ContainerRecord container = current(id, idOrName);
            if (container.state().status().equals(ContainerState.REMOVING)) {
                throw EngineException.conflict("removal of container " + idOrName + " is already in progress");
            }
            if (container.state().status().equals(ContainerState.RESTARTING) && !force) {
                throw EngineException.conflict("cannot remove container \"" + container.name()
                        + "\": container is restarting: stop the container before removing or force remove");
            }
            if (container.state().isRunning()) {
                if (!force) {
                    throw EngineException.conflict("cannot remove container \"" + container.name()
                            + "\": container is " + container.state().status() + ": stop the container before "
                            + "removing or force remove");
                }
                RuntimeContainer handle = handle(container);
                try {
                    signal(container, handle, SignalNames.SIGKILL);
                    if (container.state().isPaused()) {
                        handle.resume();
                    }
                    RuntimeState state = handle.awaitExit(KILL_GRACE);
                    if (state.status() == RuntimeState.Status.STOPPED) {
                        // AutoRemove is this very removal: the exit is recorded without it
                        recordExitOnly(container, handle, state);
                    }
                } catch (IOException e) {
                    throw new EngineException(500, "cannot kill container " + id + ": " + e.getMessage(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EngineException(500, "interrupted while removing container " + id, e);
                }
            }
            ContainerRecord removed = current(id, idOrName);
            removeLocked(removed);
            if (removeVolumes) {
                removeAnonymousVolumes(removed);
            }
        }
    }

    /** {@code docker rm -v}: the container's anonymous volumes go with it, unless another container mounts them. */
    private void removeAnonymousVolumes(ContainerRecord removed) {
        for (String volume : removed.anonymousVolumes().values()) {
            if (volumeUser(volume) == null && volumes.get(volume).isPresent()) {
                volumes.remove(volume);
                events.publish("volume", "destroy", volume, Map.of("driver", "local"));
            }
        }
    }

    /** The id of a container that mounts volume {@code name}, or null. */
    String volumeUser(String name) {
        for (ContainerRecord container : store.all()) {
            if (ContainerVolumes.usedBy(container).contains(name)) {
                return container.id();
            }
        }
        return null;
    }

    VolumeStore volumes() {
        return volumes;
    }

    private void recordExitOnly(ContainerRecord container, RuntimeContainer handle, RuntimeState state) {
        String id = container.id();
        if (handles.get(id) != handle) {
            return;
        }
        health.stopped(id);
        unmountRootfs(id);
        Instant finishedAt = state.finishedAt() == null ? clock.instant() : state.finishedAt();
        ContainerRecord exited = store.update(id, c -> c.withState(c.state().exited(state.exitCode(),
                state.oomKilled(), finishedAt))).orElseThrow();
        publish(exited, "die", Map.of("exitCode", Integer.toString(state.exitCode())));
        waits.exited(id, state.exitCode());
    }

    /** Removes a container that does not run: its runtime state, rootfs, files, record; then {@code destroy}. */
    private void removeLocked(ContainerRecord container) {
        String id = container.id();
        store.update(id, c -> c.withState(c.state().removing()));
        closeSessions(id);
        ContainerFiles files = files(id);
        try {
            RuntimeContainer handle = handles.remove(id);
            if (handle != null) {
                handle.delete();
            }
            graph.removeRootfs(id);
            files.delete();
        } catch (IOException e) {
            store.update(id, c -> c.withState(new ContainerState(ContainerState.DEAD, 0, c.state().exitCode(),
                    c.state().oomKilled(), "removal failed: " + e.getMessage(), c.state().startedAt(),
                    c.state().finishedAt())));
            throw new EngineException(500, "cannot remove container " + id + ": " + e.getMessage(), e);
        }
        store.remove(id);
        health.removed(id);
        restartDelays.remove(id);
        locks.remove(id);
        publish(container, "destroy", Map.of());
        waits.removed(id, container.state().exitCode());
    }

    public void rename(String idOrName, String newName) {
        if (newName == null || newName.isEmpty()) {
            throw EngineException.badRequest("Neither old nor new names may be empty");
        }
        String id = store.resolve(idOrName).id();
        synchronized (lock(id)) {
            ContainerRecord container = current(id, idOrName);
            String slashed = store.reserveName(newName, id);
            if (slashed.equals(container.name())) {
                throw EngineException.conflict("Renaming a container with the same name as its current name");
            }
            store.update(id, c -> c.withName(slashed));
            store.releaseName(container.name(), id);
            publish(current(id, idOrName), "rename", Map.of("oldName", container.name()));
        }
    }

    // ----------------------------------------------------------------------------------------------------- update

    /** What {@code docker update} may change; as with dockerd, a zero (or absent) value leaves a limit as it is. */
    private static final List<String> UPDATABLE = List.of("Memory", "MemorySwap", "NanoCpus", "CpuShares",
            "CpuQuota", "CpuPeriod", "PidsLimit");

    /**
     * Changes the limits of a container that does not run: its HostConfig and its spec, used from its next start.
     * The runtime offers no way to change a running container's cgroup yet, so a running one is refused (409) rather
     * than changed only on paper.
     */
    public List<String> update(String idOrName, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw EngineException.badRequest("update config cannot be empty");
        }
        String id = store.resolve(idOrName).id();
        synchronized (lock(id)) {
            ContainerRecord container = current(id, idOrName);
            ObjectNode hostConfig = container.hostConfig().deepCopy();
            boolean changed = false;
            for (String field : UPDATABLE) {
                Long value = DockerConfigs.number(body, field);
                if (value != null && value != 0) {
                    hostConfig.put(field, value);
                    changed = true;
                }
            }
            boolean limitsChanged = changed;
            if (DockerConfigs.text(body.path("RestartPolicy"), "Name") != null) {
                RestartPolicy policy = RestartPolicy.of(body);
                if (!policy.isNo() && container.autoRemove()) {
                    throw EngineException.badRequest("Cannot update container " + id
                            + ": can't set restart policy on a container with AutoRemove");
                }
                hostConfig.set("RestartPolicy", body.get("RestartPolicy").deepCopy());
                changed = true;
            }
            if (!changed) {
                return List.of();
            }
            if (!limitsChanged) {
                store.update(id, c -> c.withHostConfig(hostConfig));
                publish(container, "update", Map.of());
                return List.of();
            }
            if (container.state().isRunning()) {
                throw EngineException.conflict("Cannot update container " + id + ": changing the limits of a running "
                        + "container is not supported by this engine yet; stop it first");
            }
            ContainerFiles files = files(id);
            try {
                ContainerSettings settings = DockerConfigs.settings(container.config(), hostConfig,
                        files.networkFiles(), ContainerVolumes.of(volumes, container));
                ImageRuntimeConfig image = imageConfig(Files.readAllBytes(files.imageConfig())).runtime();
                SpecJson.write(specs.build(id, settings, image, rootfs(container)), files.bundle());
            } catch (InvalidContainerSettingsException e) {
                throw EngineException.badRequest(e.getMessage());
            } catch (IOException e) {
                throw new EngineException(500, "Cannot update container " + id + ": " + e.getMessage(), e);
            }
            store.update(id, c -> c.withHostConfig(hostConfig));
            publish(container, "update", Map.of());
            return List.of();
        }
    }

    // ------------------------------------------------------------------------------------------------------- wait

    /**
     * The exit code the wait ends with: {@code not-running} now if the container does not run, else at its next
     * exit; {@code next-exit} at its next exit; {@code removed} once it is gone.
     */
    public CompletableFuture<Integer> await(String idOrName, String condition) {
        String id = store.resolve(idOrName).id();
        synchronized (lock(id)) {
            ContainerRecord container = current(id, idOrName);
            String wanted = condition == null || condition.isEmpty() ? "not-running" : condition;
            return switch (wanted) {
                case "not-running" -> container.state().isRunning() ? waits.nextExit(id)
                        : CompletableFuture.completedFuture(container.state().exitCode());
                case "next-exit" -> waits.nextExit(id);
                case "removed" -> waits.removal(id);
                default -> throw EngineException.badRequest("invalid condition: \"" + condition + "\"");
            };
        }
    }

    // ---------------------------------------------------------------------------------------------------- attach

    /**
     * Joins a hijacked attach connection to the container's stdio: now if it runs, else at its next start (the docker
     * CLI attaches before it starts).
     */
    void attach(String idOrName, StdioSession session) {
        String id = store.resolve(idOrName).id();
        synchronized (lock(id)) {
            ContainerRecord container = current(id, idOrName);
            if (container.state().isPaused()) {
                throw EngineException.conflict("container " + id + " is paused, unpause the container before attach");
            }
            if (container.state().status().equals(ContainerState.REMOVING)
                    || container.state().status().equals(ContainerState.DEAD)) {
                throw EngineException.conflict("container " + id + " is being removed or dead");
            }
            List<StdioSession> list = sessions.computeIfAbsent(id, key -> new java.util.concurrent.CopyOnWriteArrayList<>());
            list.removeIf(StdioSession::isClosed);
            if (container.state().isRunning()) {
                try {
                    session.connect(handle(container).attach());
                } catch (IOException e) {
                    throw new EngineException(500, "cannot attach to container " + id + ": " + e.getMessage(), e);
                }
            }
            list.add(session);
            publish(container, "attach", Map.of());
        }
    }

    /** Resizes the TTY of the container's first process. */
    public void resize(String idOrName, int height, int width) {
        ContainerRecord container = store.resolve(idOrName);
        if (!container.state().isRunning()) {
            throw EngineException.conflict("Container " + container.id() + " is not running");
        }
        try {
            for (StdioSession session : sessions.getOrDefault(container.id(), List.of())) {
                if (session.isConnected()) {
                    session.stdio().resize(height, width);
                    return;
                }
            }
            try (var connection = handle(container).attach()) {
                connection.resize(height, width);
            }
        } catch (IOException e) {
            throw new EngineException(500, "cannot resize container " + container.id() + ": " + e.getMessage(), e);
        }
    }

    private List<StdioSession> pendingSessions(String id) {
        List<StdioSession> pending = new ArrayList<>();
        for (StdioSession session : sessions.getOrDefault(id, List.of())) {
            if (!session.isClosed() && !session.isConnected()) {
                pending.add(session);
            }
        }
        return pending;
    }

    private void closeSessions(String id) {
        List<StdioSession> list = sessions.remove(id);
        if (list != null) {
            list.forEach(StdioSession::close);
        }
    }

    // ------------------------------------------------------------------------------------------------- for others

    /** The runtime handle of a running container, for exec, top and stats; 409 when it does not run. */
    RuntimeContainer running(ContainerRecord container) {
        if (!container.state().isRunning()) {
            throw EngineException.conflict("Container " + container.id() + " is not running");
        }
        return handle(container);
    }

    /** The handle of the container's current or last run, if it had one. */
    Optional<RuntimeContainer> lastRun(String id) {
        return Optional.ofNullable(handles.get(id));
    }

    ContainerFiles files(String id) {
        return new ContainerFiles(store.directory(id));
    }

    Path rootfs(ContainerRecord container) throws IOException {
        return graph.createRootfs(container.id(), container.topChainId());
    }

    ContainerStore store() {
        return store;
    }

    void publish(ContainerRecord container, String action, Map<String, String> extra) {
        Map<String, String> attributes = new LinkedHashMap<>(container.labels());
        attributes.put("image", container.image());
        attributes.put("name", container.name().substring(1));
        attributes.putAll(extra);
        events.publish("container", action, container.id(), attributes);
    }

    private RuntimeContainer handle(ContainerRecord container) {
        RuntimeContainer handle = handles.get(container.id());
        if (handle == null) {
            throw new EngineException(500, "container " + container.id() + " has no runtime state");
        }
        return handle;
    }

    private RuntimeState state(RuntimeContainer handle) {
        try {
            return handle.state();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ContainerRuntime runtime() {
        ContainerRuntime runtime = runtimeProvider.getIfAvailable();
        if (runtime == null) {
            throw new EngineException(500, "no container runtime is configured on this node");
        }
        return runtime;
    }

    private ContainerRecord current(String id, String idOrName) {
        return store.byId(id).orElseThrow(() -> EngineException.notFound("No such container: " + idOrName));
    }

    private Object lock(String id) {
        return locks.computeIfAbsent(id, key -> new Object());
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    // ------------------------------------------------------------------------------------------------- lifecycle

    /** Finds the containers of the last Engine run again: those still running are watched, the others recorded. */
    @Override
    public void start() {
        running = true;
        ContainerRuntime runtime = runtimeProvider.getIfAvailable();
        for (ContainerRecord container : store.all()) {
            String id = container.id();
            synchronized (lock(id)) {
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
        if (container.state().status().equals(ContainerState.REMOVING)) {
            RuntimeContainer handle = runtime == null ? null : runtime.reopen(id, files(id).state());
            if (handle != null) {
                handles.put(id, handle);
            }
            removeLocked(container);
            return;
        }
        RuntimeContainer handle = runtime == null ? null : runtime.reopen(id, files(id).state());
        if (handle != null) {
            handles.put(id, handle);
        }
        if (!container.state().isRunning()) {
            restartWithEngine(store.byId(id).orElseThrow());
            return;
        }
        RuntimeState state = handle == null ? null : handle.state();
        if (state == null || state.status() == RuntimeState.Status.STOPPED) {
            int exitCode = state == null ? 255 : state.exitCode();
            Instant finishedAt = state == null || state.finishedAt() == null ? clock.instant() : state.finishedAt();
            ContainerRecord exited = store.update(id, c -> c.withState(c.state().exited(exitCode,
                    state != null && state.oomKilled(), finishedAt))).orElseThrow();
            publish(exited, "die", Map.of("exitCode", Integer.toString(exitCode)));
            if (exited.autoRemove()) {
                removeLocked(exited);
            } else {
                restartWithEngine(exited);
            }
            return;
        }
        boolean paused = state.status() == RuntimeState.Status.PAUSED;
        store.update(id, c -> c.withState(new ContainerState(paused ? ContainerState.PAUSED : ContainerState.RUNNING,
                state.pid(), 0, false, "", c.state().startedAt(), c.state().finishedAt())));
        health.started(id, HealthCheck.of(container.config()), handle);
        watch(id, handle);
    }

    /** At the Engine's start: a container that does not run and whose policy says so runs again. */
    private void restartWithEngine(ContainerRecord container) {
        ContainerState state = container.state();
        boolean due = state.status().equals(ContainerState.RESTARTING) || (state.status().equals(ContainerState.EXITED)
                && container.restartPolicy().restartsWithEngine(state.exitCode(), container.manuallyStopped(),
                        container.restartCount()));
        if (!due) {
            return;
        }
        try {
            startLocked(store.update(container.id(), c -> c.withRestarts(c.restartCount(), false)).orElseThrow());
        } catch (RuntimeException e) {
            log.error("cannot start container {} again after the Engine's restart: {}", container.id(),
                    e.getMessage());
        }
    }

    /** Ends the Engine's streams so that the server can stop at once; the containers keep running. */
    @Override
    public void stop() {
        running = false;
        waits.abandonAll("the engine is shutting down");
        for (String id : List.copyOf(sessions.keySet())) {
            closeSessions(id);
        }
        watchers.shutdownNow();
        restarts.shutdownNow();
        health.shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
