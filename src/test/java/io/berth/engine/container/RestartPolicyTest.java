package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    @Test
    void decidesAsMobysRestartManager() {
        RestartPolicy always = policy("always", 0);
        assertThat(always.restartsAfterExit(0, false, 5)).isTrue();
        assertThat(always.restartsAfterExit(0, true, 0)).isFalse();
        assertThat(always.restartsWithEngine(0, true, 0)).isTrue();

        RestartPolicy unlessStopped = policy("unless-stopped", 0);
        assertThat(unlessStopped.restartsAfterExit(1, false, 0)).isTrue();
        assertThat(unlessStopped.restartsWithEngine(1, true, 0)).isFalse();

        RestartPolicy onFailure = policy("on-failure", 2);
        assertThat(onFailure.restartsAfterExit(0, false, 0)).isFalse();
        assertThat(onFailure.restartsAfterExit(1, false, 1)).isTrue();
        assertThat(onFailure.restartsAfterExit(1, false, 2)).isFalse();
        assertThat(policy("on-failure", 0).restartsAfterExit(3, false, 100)).isTrue();

        assertThat(RestartPolicy.of(JsonMaps.JSON.createObjectNode()).isNo()).isTrue();
        assertThat(policy("no", 0).restartsWithEngine(1, false, 0)).isFalse();
    }

    @Test
    void backsOffByDoublingUpToAMinute() {
        assertThat(RestartPolicy.nextDelay(null, Duration.ZERO)).isEqualTo(Duration.ofMillis(100));
        assertThat(RestartPolicy.nextDelay(Duration.ofMillis(100), Duration.ofSeconds(1)))
                .isEqualTo(Duration.ofMillis(200));
        assertThat(RestartPolicy.nextDelay(Duration.ofSeconds(40), Duration.ZERO)).isEqualTo(Duration.ofMinutes(1));
        assertThat(RestartPolicy.nextDelay(Duration.ofSeconds(40), Duration.ofSeconds(10)))
                .isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void refusesPoliciesDockerRefuses() {
        assertThatThrownBy(() -> policy("sometimes", 0)).hasMessageContaining("unknown policy 'sometimes'");
        assertThatThrownBy(() -> policy("always", 3)).hasMessageContaining("can only be used with 'on-failure'");
        assertThatThrownBy(() -> policy("on-failure", -1)).hasMessageContaining("cannot be negative");
    }

    private static RestartPolicy policy(String name, int maximum) {
        return RestartPolicy.of(JsonMaps.JSON.readTree("{\"RestartPolicy\":{\"Name\":\"" + name
                + "\",\"MaximumRetryCount\":" + maximum + "}}"));
    }
}
