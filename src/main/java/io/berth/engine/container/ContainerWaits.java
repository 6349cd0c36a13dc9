package io.berth.engine.container;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pending {@code POST /containers/{id}/wait} answers: each completes with the exit code of the container's next exit
 * or with its removal. The service records exits and removals under the container's lock, and registers waits under
 * it too, so that no exit falls between a look at the state and the registration.
 */
final class ContainerWaits {

    private final Map<String, CompletableFuture<Integer>> nextExit = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Integer>> removal = new ConcurrentHashMap<>();

    CompletableFuture<Integer> nextExit(String id) {
        return nextExit.computeIfAbsent(id, key -> new CompletableFuture<>());
    }

    CompletableFuture<Integer> removal(String id) {
        return removal.computeIfAbsent(id, key -> new CompletableFuture<>());
    }

    void exited(String id, int exitCode) {
        CompletableFuture<Integer> waiting = nextExit.remove(id);
        if (waiting != null) {
            waiting.complete(exitCode);
        }
    }

    void removed(String id, int exitCode) {
        exited(id, exitCode);
        CompletableFuture<Integer> waiting = removal.remove(id);
        if (waiting != null) {
            waiting.complete(exitCode);
        }
    }

    /** The Engine stops: every wait ends, with {@code reason} as its error. */
    void abandonAll(String reason) {
        for (Map<String, CompletableFuture<Integer>> waits : List.of(nextExit, removal)) {
            for (String id : List.copyOf(waits.keySet())) {
                CompletableFuture<Integer> waiting = waits.remove(id);
                if (waiting != null) {
                    waiting.completeExceptionally(new IllegalStateException(reason));
                }
            }
        }
    }
}
