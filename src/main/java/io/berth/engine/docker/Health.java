package io.berth.engine.docker;

import java.util.List;

/**
 * State.Health: {@code starting}, {@code healthy} or {@code unhealthy}, the failures in a row and the last results,
 * oldest first.
 */
@DockerJson
public record Health(String status, int failingStreak, List<HealthcheckResult> log) {

    public Health {
        log = Copies.list(log);
    }

    /** One run of the healthcheck: when, its exit code (0 healthy, else unhealthy) and its output. */
    @DockerJson
    public record HealthcheckResult(String start, String end, int exitCode, String output) {
    }
}
