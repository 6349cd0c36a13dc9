package io.berth.engine.container;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.berth.engine.runtime.RuntimeContainer;
import io.berth.engine.runtime.RuntimeState;

/**
 * Waits for containers' runs to end by themselves, a thread for each running container, and says when one did. A
 * watch ends without a word when the run is no longer the container's current one or the Engine stops.
 */
final class ExitWatcher {

    private static final Logger log = LoggerFactory.getLogger(ExitWatcher.class);
    private static final Duration WATCH_SLICE = Duration.ofSeconds(60);

    /** Told, on the watch's thread, that the run {@code handle} of container {@code id} ended. */
    interface Exits {
        void exited(String id, RuntimeContainer handle, RuntimeState state);
    }

    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService watchers = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "container-watch-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private final Exits exits;
    private final ContainerRuns runs;

    ExitWatcher(Exits exits, ContainerRuns runs) {
        this.exits = exits;
        this.runs = runs;
    }

    void watch(String id, RuntimeContainer handle) {
        watchers.execute(() -> {
            try {
                RuntimeState state = handle.awaitExit(WATCH_SLICE);
                while (state.status() != RuntimeState.Status.STOPPED && runs.isOpen() && runs.isCurrent(id, handle)) {
                    state = handle.awaitExit(WATCH_SLICE);
                }
                if (state.status() == RuntimeState.Status.STOPPED) {
                    exits.exited(id, handle, state);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                log.error("lost track of container {}: {}", id, e.toString(), e);
            }
        });
    }

    void shutdown() {
        watchers.shutdownNow();
    }
}
