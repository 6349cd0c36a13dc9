package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class ContainerStateTest {

    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void aRunFromCreateToExit() {
        ContainerState created = ContainerState.created();
        assertThat(created.status()).isEqualTo(ContainerStatus.CREATED);
        assertThat(created.isRunning()).isFalse();

        ContainerState running = created.running(42, T0);
        assertThat(running.status()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(running.pid()).isEqualTo(42);
        assertThat(running.startedAt()).isEqualTo(T0);
        assertThat(running.isRunning()).isTrue();

        ContainerState paused = running.paused(true);
        assertThat(paused.status()).isEqualTo(ContainerStatus.PAUSED);
        assertThat(paused.isRunning()).isTrue();
        assertThat(paused.isPaused()).isTrue();
        assertThat(paused.paused(false)).isEqualTo(running);

        ContainerState exited = running.exited(137, true, T0.plusSeconds(5));
        assertThat(exited.status()).isEqualTo(ContainerStatus.EXITED);
        assertThat(exited.pid()).isZero();
        assertThat(exited.exitCode()).isEqualTo(137);
        assertThat(exited.oomKilled()).isTrue();
        assertThat(exited.startedAt()).isEqualTo(T0);
        assertThat(exited.finishedAt()).isEqualTo(T0.plusSeconds(5));

        // the next run forgets the last one's exit, keeps when it ended until it ends itself
        ContainerState again = exited.running(43, T0.plusSeconds(9));
        assertThat(again.exitCode()).isZero();
        assertThat(again.oomKilled()).isFalse();
        assertThat(again.finishedAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void aFailedStartLeavesTheContainerWhereItWas() {
        ContainerState neverRan = ContainerState.created().startFailed(127, "executable file not found", T0);
        assertThat(neverRan.status()).isEqualTo(ContainerStatus.CREATED);
        assertThat(neverRan.exitCode()).isEqualTo(127);
        assertThat(neverRan.error()).isEqualTo("executable file not found");

        ContainerState ranBefore = ContainerState.created().running(1, T0).exited(0, false, T0.plusSeconds(1))
                .startFailed(126, "permission denied", T0.plusSeconds(2));
        assertThat(ranBefore.status()).isEqualTo(ContainerStatus.EXITED);
        assertThat(ranBefore.exitCode()).isEqualTo(126);
        assertThat(ranBefore.finishedAt()).isEqualTo(T0.plusSeconds(2));

        // a later successful start clears the error
        assertThat(ranBefore.running(5, T0.plusSeconds(3)).error()).isEmpty();
    }

    @Test
    void restartingStoppingAndRemoving() {
        ContainerState exited = ContainerState.created().running(1, T0).exited(1, false, T0.plusSeconds(1));
        ContainerState restarting = exited.restarting();
        assertThat(restarting.status()).isEqualTo(ContainerStatus.RESTARTING);
        assertThat(restarting.isRunning()).isFalse();
        assertThat(restarting.exitCode()).isEqualTo(1);
        assertThat(restarting.restartCalledOff()).isEqualTo(exited);

        ContainerState dead = exited.removing().dead("removal failed: busy");
        assertThat(dead.status()).isEqualTo(ContainerStatus.DEAD);
        assertThat(dead.error()).isEqualTo("removal failed: busy");
        assertThat(ContainerState.created().running(9, T0).runningAgain(10, true))
                .isEqualTo(new ContainerState(ContainerStatus.PAUSED, 10, 0, false, "", T0, null));
    }

    @Test
    void statusesAreDockersWords() {
        assertThat(ContainerStatus.of("running")).contains(ContainerStatus.RUNNING);
        assertThat(ContainerStatus.of("sleeping")).isEmpty();
        assertThat(ContainerStatus.EXITED.word()).isEqualTo("exited");
    }
}
