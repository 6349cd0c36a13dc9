package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.berth.engine.container.ContainerRecovery.Plan;
import io.berth.engine.docker.ContainerConfig;
import io.berth.engine.docker.HostConfig;
import io.berth.engine.docker.Resources;
import io.berth.engine.docker.RestartPolicy;
import io.berth.engine.runtime.RuntimeState;

class ContainerRecoveryTest {

    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void whatAnEngineDoesWithTheContainersItFinds() {
        RuntimeState running = new RuntimeState(RuntimeState.Status.RUNNING, 42, 0, false, T0, null);
        RuntimeState paused = new RuntimeState(RuntimeState.Status.PAUSED, 42, 0, false, T0, null);
        RuntimeState stopped = new RuntimeState(RuntimeState.Status.STOPPED, 0, 3, false, T0, T0.plusSeconds(1));

        assertThat(ContainerRecovery.plan(ContainerStatus.RUNNING, running)).isEqualTo(Plan.WATCH);
        assertThat(ContainerRecovery.plan(ContainerStatus.PAUSED, paused)).isEqualTo(Plan.WATCH);
        assertThat(ContainerRecovery.plan(ContainerStatus.RUNNING, stopped)).isEqualTo(Plan.RECORD_EXIT);
        // its run's state is lost: an exit all the same (with 255, nothing says how it ended)
        assertThat(ContainerRecovery.plan(ContainerStatus.RUNNING, null)).isEqualTo(Plan.RECORD_EXIT);
        assertThat(ContainerRecovery.plan(ContainerStatus.REMOVING, running)).isEqualTo(Plan.REMOVE);
        assertThat(ContainerRecovery.plan(ContainerStatus.EXITED, null)).isEqualTo(Plan.RESTART_IF_DUE);
        assertThat(ContainerRecovery.plan(ContainerStatus.CREATED, null)).isEqualTo(Plan.RESTART_IF_DUE);
        assertThat(ContainerRecovery.plan(ContainerStatus.RESTARTING, null)).isEqualTo(Plan.RESTART_IF_DUE);
    }

    @Test
    void whichContainersStartWithTheEngine() {
        assertThat(ContainerRecovery.startsWithEngine(container("always", exited(0), true))).isTrue();
        assertThat(ContainerRecovery.startsWithEngine(container("unless-stopped", exited(0), false))).isTrue();
        assertThat(ContainerRecovery.startsWithEngine(container("unless-stopped", exited(0), true))).isFalse();
        assertThat(ContainerRecovery.startsWithEngine(container("on-failure", exited(1), false))).isTrue();
        assertThat(ContainerRecovery.startsWithEngine(container("on-failure", exited(0), false))).isFalse();
        assertThat(ContainerRecovery.startsWithEngine(container("no", exited(1), false))).isFalse();
        // between two runs of its policy when the Engine went down
        assertThat(ContainerRecovery.startsWithEngine(container("on-failure", exited(1).restarting(), false)))
                .isTrue();
        // never started: stays created whatever its policy
        assertThat(ContainerRecovery.startsWithEngine(container("always", ContainerState.created(), false)))
                .isFalse();
    }

    private static ContainerState exited(int code) {
        return ContainerState.created().running(1, T0).exited(code, false, T0.plusSeconds(1));
    }

    private static ContainerRecord container(String policy, ContainerState state, boolean stoppedByHand) {
        HostConfig hostConfig = HostConfig.empty().withUpdate(Resources.none(), new RestartPolicy(policy, 0));
        return new ContainerRecord("f".repeat(64), "/found", T0, "sha256:" + "d".repeat(64), "busybox", null, "sh",
                List.of(), ContainerConfig.empty(), hostConfig, null, state, 0, stoppedByHand, null);
    }
}
