package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.berth.engine.docker.ContainerConfig;
import io.berth.engine.docker.HostConfig;
import io.berth.engine.docker.Resources;
import io.berth.engine.docker.RestartPolicy;

class RestartManagerTest {

    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void decidesAsMobysRestartManager() {
        RestartPolicy always = policy("always", 0);
        assertThat(RestartManager.restartsAfterExit(always, 0, false, 5)).isTrue();
        assertThat(RestartManager.restartsAfterExit(always, 0, true, 0)).isFalse();
        assertThat(RestartManager.restartsWithEngine(always, 0, true, 0)).isTrue();

        RestartPolicy unlessStopped = policy("unless-stopped", 0);
        assertThat(RestartManager.restartsAfterExit(unlessStopped, 1, false, 0)).isTrue();
        assertThat(RestartManager.restartsWithEngine(unlessStopped, 1, true, 0)).isFalse();

        RestartPolicy onFailure = policy("on-failure", 2);
        assertThat(RestartManager.restartsAfterExit(onFailure, 0, false, 0)).isFalse();
        assertThat(RestartManager.restartsAfterExit(onFailure, 1, false, 1)).isTrue();
        assertThat(RestartManager.restartsAfterExit(onFailure, 1, false, 2)).isFalse();
        assertThat(RestartManager.restartsAfterExit(policy("on-failure", 0), 3, false, 100)).isTrue();

        assertThat(RestartManager.validated(null).isNo()).isTrue();
        assertThat(RestartManager.validated(new RestartPolicy("", 0)).isNo()).isTrue();
        assertThat(RestartManager.restartsWithEngine(policy("no", 0), 1, false, 0)).isFalse();
    }

    @Test
    void backsOffByDoublingUpToAMinute() {
        assertThat(RestartManager.nextDelay(null, Duration.ZERO)).isEqualTo(Duration.ofMillis(100));
        assertThat(RestartManager.nextDelay(Duration.ofMillis(100), Duration.ofSeconds(1)))
                .isEqualTo(Duration.ofMillis(200));
        assertThat(RestartManager.nextDelay(Duration.ofSeconds(40), Duration.ZERO)).isEqualTo(Duration.ofMinutes(1));
        assertThat(RestartManager.nextDelay(Duration.ofSeconds(40), Duration.ofSeconds(10)))
                .isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void remembersEachContainersBackoffUntilItStaysDown() {
        RestartManager restarts = new RestartManager();
        try {
            ContainerRecord crashing = exited("always", 1, Duration.ofMillis(20));
            assertThat(restarts.afterExit(crashing)).contains(Duration.ofMillis(100));
            assertThat(restarts.afterExit(crashing)).contains(Duration.ofMillis(200));
            assertThat(restarts.afterExit(crashing)).contains(Duration.ofMillis(400));
            // a run of ten seconds or more starts the backoff over
            assertThat(restarts.afterExit(exited("always", 1, Duration.ofSeconds(12)))).contains(Duration.ofMillis(100));
            assertThat(restarts.afterExit(crashing)).contains(Duration.ofMillis(200));

            // stopped by hand: no restart, and the backoff is forgotten
            assertThat(restarts.afterExit(crashing.withRestarts(0, true))).isEmpty();
            assertThat(restarts.afterExit(crashing)).contains(Duration.ofMillis(100));

            assertThat(restarts.afterExit(exited("no", 1, Duration.ZERO))).isEmpty();
            assertThat(restarts.afterExit(exited("on-failure", 0, Duration.ZERO))).isEmpty();
        } finally {
            restarts.shutdown();
        }
    }

    @Test
    void refusesPoliciesDockerRefuses() {
        assertThatThrownBy(() -> policy("sometimes", 0)).hasMessageContaining("unknown policy 'sometimes'");
        assertThatThrownBy(() -> policy("always", 3)).hasMessageContaining("can only be used with 'on-failure'");
        assertThatThrownBy(() -> policy("no", 3)).hasMessageContaining("can only be used with 'on-failure'");
        assertThatThrownBy(() -> policy("on-failure", -1)).hasMessageContaining("cannot be negative");
    }

    private static RestartPolicy policy(String name, int maximum) {
        return RestartManager.validated(new RestartPolicy(name, maximum));
    }

    /** A container of the policy {@code name} whose run of {@code run} ended with {@code exitCode}. */
    private static ContainerRecord exited(String policy, int exitCode, Duration run) {
        HostConfig hostConfig = HostConfig.empty().withUpdate(Resources.none(), new RestartPolicy(policy, 0));
        ContainerState state = ContainerState.created().running(7, T0).exited(exitCode, false, T0.plus(run));
        return new ContainerRecord("e".repeat(64), "/crashing", T0, "sha256:" + "d".repeat(64), "busybox", null, "sh",
                List.of(), ContainerConfig.empty(), hostConfig, null, state, 0, false, null);
    }
}
