package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.INVALID;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.berth.common.error.BerthException;
import io.berth.engine.docker.RestartPolicy;

/**
 * moby's restart manager: whether a container that ended runs again under its HostConfig.RestartPolicy
 * ({@code no}, {@code always}, {@code unless-stopped}, {@code on-failure[:N]}), and how long the Engine waits before
 * it does: 100 ms, doubled for each restart in a row, at most a minute, back to 100 ms after a run of 10 s or more.
 */
final class RestartManager {

    static final Duration FIRST_DELAY = Duration.ofMillis(100);
    static final Duration MAX_DELAY = Duration.ofMinutes(1);
    /** A run at least this long resets the delay. */
    static final Duration STEADY_RUN = Duration.ofSeconds(10);

    /** The last delay of each container its policy restarts. */
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "container-restarts");
        thread.setDaemon(true);
        return thread;
    });

    /** {@code policy}, or {@code no} for none; refused (INVALID) in dockerd's words when it cannot be. */
    static RestartPolicy validated(RestartPolicy policy) {
        if (policy == null || policy.isNo()) {
            if (policy != null && policy.maximumRetryCount() != 0) {
                throw new BerthException(INVALID,
                        "invalid restart policy: maximum retry count can only be used with 'on-failure'");
            }
            return RestartPolicy.NO;
        }
        switch (policy.name()) {
            case "always", "unless-stopped" -> {
                if (policy.maximumRetryCount() != 0) {
                    throw new BerthException(INVALID,
                            "invalid restart policy: maximum retry count can only be used with 'on-failure'");
                }
            }
            case "on-failure" -> {
                if (policy.maximumRetryCount() < 0) {
                    throw new BerthException(INVALID,
                            "invalid restart policy: maximum retry count cannot be negative");
                }
            }
            default -> throw new BerthException(INVALID, "invalid restart policy: unknown policy '" + policy.name()
                    + "'; use one of 'no', 'always', 'on-failure' or 'unless-stopped'");
        }
        return policy;
    }

    /** Whether a container that ended by itself with {@code exitCode} is started again. */
    static boolean restartsAfterExit(RestartPolicy policy, int exitCode, boolean manuallyStopped, int restartCount) {
        if (policy == null || policy.isNo()) {
            return false;
        }
        return switch (policy.name()) {
            case "always", "unless-stopped" -> !manuallyStopped;
            case "on-failure" -> !manuallyStopped && exitCode != 0
                    && (policy.maximumRetryCount() == 0 || restartCount < policy.maximumRetryCount());
            default -> false;
        };
    }

    /**
     * Whether a container that does not run is started again when the Engine starts: {@code always} even after a
     * manual stop (Docker's documented rule), {@code unless-stopped} unless stopped by hand, {@code on-failure} as
     * after an exit.
     */
    static boolean restartsWithEngine(RestartPolicy policy, int exitCode, boolean manuallyStopped, int restartCount) {
        return (policy != null && "always".equals(policy.name()))
                || restartsAfterExit(policy, exitCode, manuallyStopped, restartCount);
    }

    /** The wait before the next restart, given the last one (null for none) and how long the run that ended lasted. */
    static Duration nextDelay(Duration last, Duration run) {
        if (last == null || run.compareTo(STEADY_RUN) >= 0) {
            return FIRST_DELAY;
        }
        Duration doubled = last.multipliedBy(2);
        return doubled.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : doubled;
    }

    /**
     * For a container that just ended by itself: the wait before its policy runs it again, remembered for the next
     * time; empty (and the backoff forgotten) when it stays down.
     */
    Optional<Duration> afterExit(ContainerRecord container) {
        ContainerState state = container.state();
        if (!restartsAfterExit(container.hostConfig().restartPolicy(), state.exitCode(), container.manuallyStopped(),
                container.restartCount())) {
            delays.remove(container.id());
            return Optional.empty();
        }
        Duration run = state.startedAt() == null || state.finishedAt() == null ? Duration.ZERO
                : Duration.between(state.startedAt(), state.finishedAt());
        Duration delay = nextDelay(delays.get(container.id()), run);
        delays.put(container.id(), delay);
        return Optional.of(delay);
    }

    void schedule(Duration delay, Runnable restart) {
        scheduler.schedule(restart, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The container is gone: its backoff with it. */
    void forget(String id) {
        delays.remove(id);
    }

    void shutdown() {
        scheduler.shutdownNow();
    }
}
