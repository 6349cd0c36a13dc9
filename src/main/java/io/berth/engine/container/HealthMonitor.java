package io.berth.engine.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.berth.engine.OnEngine;
import io.berth.engine.docker.Health;
import io.berth.engine.runtime.ExecProcess;
import io.berth.engine.runtime.RuntimeContainer;
import io.berth.engine.runtime.StdioConnection;
import io.berth.engine.runtime.spec.Process;
import io.berth.engine.runtime.spec.SpecJson;

/**
 * Runs the healthchecks of running containers through exec, as dockerd does, and keeps what inspect's
 * {@code State.Health} shows: {@code starting} until the first result, then {@code healthy} or, after the retries in
 * a row failed, {@code unhealthy}; the last five results with their output. Kept in memory: after an Engine restart
 * a container starts over as {@code starting}.
 */
@Component
@OnEngine
class HealthMonitor {

    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);
    private static final int KEPT_RESULTS = 5;
    private static final int MAX_OUTPUT = 4096;
    private static final int SIGKILL = 9;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** Runs one check's process in the container. */
    interface Prober {
        ExecProcess exec(RuntimeContainer handle, String execId, List<String> command) throws IOException;
    }

    /** Told when a container's health status changes, for the {@code health_status} event. */
    interface Listener {
        void statusChanged(String containerId, String status);
    }

    private record Result(Instant start, Instant end, int exitCode, String output) {
    }

    private static final class Monitored {
        final HealthCheck check;
        final Instant startedAt;
        final Deque<Result> results = new ArrayDeque<>();
        volatile String status = "starting";
        volatile int failingStreak;
        volatile ScheduledFuture<?> next;

        Monitored(HealthCheck check, Instant startedAt) {
            this.check = check;
            this.startedAt = startedAt;
        }
    }

    private final Map<String, Monitored> health = new ConcurrentHashMap<>();
    private final AtomicInteger threads = new AtomicInteger();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, task -> {
        Thread thread = new Thread(task, "container-health-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private final Prober prober;
    private final Listener listener;

    /** Checks run as execs of each container's own process settings; a change of status is a container event. */
    @Autowired
    HealthMonitor(ContainerStore store, ContainerEvents events) {
        this((handle, execId, command) -> {
            ContainerFiles files = new ContainerFiles(store.directory(handle.id()));
            Process base = SpecJson.read(files.bundle()).process();
            Process process = ExecService.processFor(base, command, false, null, null, base.user(), false);
            return handle.exec(execId, process, files.exec(execId));
        }, (id, status) -> store.byId(id).ifPresent(container -> events.publish(container,
                "health_status: " + status)));
    }

    HealthMonitor(Prober prober, Listener listener) {
        this.prober = prober;
        this.listener = listener;
    }

    /** Starts checking a container that just started (nothing when it has no check). */
    void started(String containerId, HealthCheck check, RuntimeContainer handle) {
        stopped(containerId);
        if (check == null) {
            return;
        }
        Monitored state = new Monitored(check, Instant.now());
        health.put(containerId, state);
        schedule(containerId, state, handle);
    }

    /** Stops checking a container that ended; its last health stays visible until its next start. */
    void stopped(String containerId) {
        Monitored state = health.get(containerId);
        if (state != null && state.next != null) {
            state.next.cancel(false);
        }
    }

    void removed(String containerId) {
        stopped(containerId);
        health.remove(containerId);
    }

    /** Inspect's State.Health, or null for a container without a check. */
    Health inspect(String containerId) {
        Monitored state = health.get(containerId);
        if (state == null) {
            return null;
        }
        List<Health.HealthcheckResult> logs = new ArrayList<>();
        synchronized (state.results) {
            for (Result result : state.results) {
                logs.add(new Health.HealthcheckResult(DateTimeFormatter.ISO_INSTANT.format(result.start()),
                        DateTimeFormatter.ISO_INSTANT.format(result.end()), result.exitCode(), result.output()));
            }
        }
        return new Health(state.status, state.failingStreak, logs);
    }

    /** {@code healthy}, {@code unhealthy}, {@code starting}, or null without a check. */
    String status(String containerId) {
        Monitored state = health.get(containerId);
        return state == null ? null : state.status;
    }

    void shutdown() {
        scheduler.shutdownNow();
    }

    private void schedule(String containerId, Monitored state, RuntimeContainer handle) {
        if (scheduler.isShutdown()) {
            return;
        }
        state.next = scheduler.schedule(() -> {
            probe(containerId, state, handle);
            if (health.get(containerId) == state) {
                schedule(containerId, state, handle);
            }
        }, state.check.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void probe(String containerId, Monitored state, RuntimeContainer handle) {
        Instant start = Instant.now();
        int exitCode;
        String output;
        try {
            byte[] random = new byte[32];
            RANDOM.nextBytes(random);
            String execId = HexFormat.of().formatHex(random);
            ExecProcess process = prober.exec(handle, execId, state.check.command());
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            try (StdioConnection stdio = process.attach()) {
                stdio.closeStdin();
                process.start();
                Thread reader = new Thread(() -> capture(stdio.output(), captured), "health-output-" + execId);
                reader.setDaemon(true);
                reader.start();
                Integer code = process.awaitExit(state.check.timeout());
                if (code == null) {
                    process.kill(SIGKILL);
                    exitCode = -1;
                    output = "Health check exceeded timeout (" + state.check.timeout() + ")";
                } else {
                    reader.join(1000);
                    exitCode = code;
                    synchronized (captured) {
                        output = captured.toString(StandardCharsets.UTF_8);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            exitCode = -1;
            output = "cannot run the health check: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        record(containerId, state, new Result(start, Instant.now(), exitCode, output));
    }

    private void record(String containerId, Monitored state, Result result) {
        synchronized (state.results) {
            state.results.addLast(result);
            while (state.results.size() > KEPT_RESULTS) {
                state.results.removeFirst();
            }
        }
        String before = state.status;
        if (result.exitCode() == 0) {
            state.failingStreak = 0;
            state.status = "healthy";
        } else if (!result.start().isBefore(state.startedAt.plus(state.check.startPeriod()))
                || !before.equals("starting")) {
            // failures in the start period do not count while the container has never been healthy
            state.failingStreak++;
            if (state.failingStreak >= state.check.retries()) {
                state.status = "unhealthy";
            }
        }
        if (!state.status.equals(before)) {
            try {
                listener.statusChanged(containerId, state.status);
            } catch (RuntimeException e) {
                log.debug("health event of {} failed: {}", containerId, e.toString());
            }
        }
    }

    private static void capture(InputStream frames, ByteArrayOutputStream captured) {
        try {
            byte[] header = new byte[8];
            byte[] buffer = new byte[4096];
            while (frames.readNBytes(header, 0, 8) == 8) {
                int length = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                        | (header[7] & 0xff);
                while (length > 0) {
                    int n = frames.read(buffer, 0, Math.min(buffer.length, length));
                    if (n < 0) {
                        return;
                    }
                    synchronized (captured) {
                        if (captured.size() < MAX_OUTPUT) {
                            captured.write(buffer, 0, Math.min(n, MAX_OUTPUT - captured.size()));
                        }
                    }
                    length -= n;
                }
            }
        } catch (IOException e) {
            // the exec ended
        }
    }
}
