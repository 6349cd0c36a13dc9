package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.INVALID;

import java.time.Duration;

import tools.jackson.databind.JsonNode;

import io.berth.common.error.BerthException;


/**
 * HostConfig.RestartPolicy: {@code no}, {@code always}, {@code unless-stopped} or {@code on-failure[:N]}, with
 * moby's rules for when a container that ended is started again and how long the Engine waits before it does.
 */
record RestartPolicy(String name, int maximumRetryCount) {

    static final RestartPolicy NO = new RestartPolicy("no", 0);

    /** moby's restartmanager: 100 ms, doubled for each restart in a row, at most a minute. */
    static final Duration FIRST_DELAY = Duration.ofMillis(100);
    static final Duration MAX_DELAY = Duration.ofMinutes(1);
    /** A run at least this long resets the delay. */
    static final Duration STEADY_RUN = Duration.ofSeconds(10);

    /** The policy of {@code hostConfig}; 400 in dockerd's words for one that cannot be. */
    static RestartPolicy of(JsonNode hostConfig) {
        JsonNode policy = hostConfig == null ? null : hostConfig.get("RestartPolicy");
        String name = DockerConfigs.text(policy, "Name");
        Long count = DockerConfigs.number(policy, "MaximumRetryCount");
        int maximum = count == null ? 0 : count.intValue();
        if (name == null || name.equals("no")) {
            if (maximum != 0) {
                throw new BerthException(INVALID, 
                        "invalid restart policy: maximum retry count can only be used with 'on-failure'");
            }
            return NO;
        }
        switch (name) {
            case "always", "unless-stopped" -> {
                if (maximum != 0) {
                    throw new BerthException(INVALID, 
                            "invalid restart policy: maximum retry count can only be used with 'on-failure'");
                }
            }
            case "on-failure" -> {
                if (maximum < 0) {
                    throw new BerthException(INVALID, 
                            "invalid restart policy: maximum retry count cannot be negative");
                }
            }
            default -> throw new BerthException(INVALID, "invalid restart policy: unknown policy '" + name
                    + "'; use one of 'no', 'always', 'on-failure' or 'unless-stopped'");
        }
        return new RestartPolicy(name, maximum);
    }

    boolean isNo() {
        return name.equals("no");
    }

    /** Whether a container that ended by itself with {@code exitCode} is started again. */
    boolean restartsAfterExit(int exitCode, boolean manuallyStopped, int restartCount) {
        return switch (name) {
            case "always", "unless-stopped" -> !manuallyStopped;
            case "on-failure" -> !manuallyStopped && exitCode != 0
                    && (maximumRetryCount == 0 || restartCount < maximumRetryCount);
            default -> false;
        };
    }

    /**
     * Whether a container that does not run is started again when the Engine starts: {@code always} even after a
     * manual stop (Docker's documented rule), {@code unless-stopped} unless stopped by hand, {@code on-failure} as
     * after an exit.
     */
    boolean restartsWithEngine(int exitCode, boolean manuallyStopped, int restartCount) {
        return name.equals("always") || restartsAfterExit(exitCode, manuallyStopped, restartCount);
    }

    /** The wait before the next restart, given the last one and how long the run that ended lasted. */
    static Duration nextDelay(Duration last, Duration run) {
        if (last == null || run.compareTo(STEADY_RUN) >= 0) {
            return FIRST_DELAY;
        }
        Duration doubled = last.multipliedBy(2);
        return doubled.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : doubled;
    }
}
