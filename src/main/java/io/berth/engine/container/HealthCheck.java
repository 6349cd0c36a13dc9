package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.INVALID;

import java.time.Duration;
import java.util.List;

import io.berth.common.error.BerthException;
import io.berth.engine.docker.ContainerConfig;
import io.berth.engine.docker.HealthConfig;

/**
 * Config.Healthcheck (the image's unless the create body has one): the command run through exec, how often, how
 * long it may take, the grace period after start, and the failures in a row that make a container unhealthy.
 */
record HealthCheck(List<String> command, Duration interval, Duration timeout, Duration startPeriod, int retries) {

    /** Docker's defaults for what the healthcheck leaves at 0. */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final int DEFAULT_RETRIES = 3;

    /** The check of a container's Config; null when it has none or disables it ({@code ["NONE"]}). */
    static HealthCheck of(ContainerConfig config) {
        HealthConfig healthcheck = config == null ? null : config.healthcheck();
        if (healthcheck == null) {
            return null;
        }
        List<String> test = healthcheck.test();
        if (test == null || test.isEmpty() || test.get(0).equals("NONE")) {
            return null;
        }
        List<String> command = switch (test.get(0)) {
            case "CMD" -> test.subList(1, test.size());
            case "CMD-SHELL" -> List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
            default -> throw new BerthException(INVALID, "invalid healthcheck test: " + test.get(0)
                    + " (CMD, CMD-SHELL or NONE)");
        };
        if (command.isEmpty()) {
            return null;
        }
        return new HealthCheck(List.copyOf(command), duration(healthcheck.interval(), "Interval", DEFAULT_INTERVAL),
                duration(healthcheck.timeout(), "Timeout", DEFAULT_TIMEOUT),
                duration(healthcheck.startPeriod(), "StartPeriod", Duration.ZERO),
                healthcheck.retries() <= 0 ? DEFAULT_RETRIES : healthcheck.retries());
    }

    private static Duration duration(long nanos, String field, Duration fallback) {
        if (nanos == 0) {
            return fallback;
        }
        if (nanos < 0) {
            throw new BerthException(INVALID, "Healthcheck " + field + " must not be negative");
        }
        return Duration.ofNanos(nanos);
    }
}
