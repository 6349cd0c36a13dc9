package io.berth.engine.container;

import static io.berth.engine.container.ContainerStatus.CREATED;
import static io.berth.engine.container.ContainerStatus.DEAD;
import static io.berth.engine.container.ContainerStatus.EXITED;
import static io.berth.engine.container.ContainerStatus.PAUSED;
import static io.berth.engine.container.ContainerStatus.REMOVING;
import static io.berth.engine.container.ContainerStatus.RESTARTING;
import static io.berth.engine.container.ContainerStatus.RUNNING;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Where a container is in its life, as inspect's {@code State} shows it. Each change is a new state, made by the
 * transition that says what happened ({@link #running}, {@link #exited}, ...).
 *
 * @param pid        the host pid of its first process while it runs, else 0
 * @param exitCode   the exit status of its last run (128 + signal when a signal ended it)
 * @param error      why its last start (or removal) failed, or ""
 * @param startedAt  when its last run started, or null
 * @param finishedAt when its last run ended, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerState(ContainerStatus status, int pid, int exitCode, boolean oomKilled, String error,
        Instant startedAt, Instant finishedAt) {

    public ContainerState {
        error = error == null ? "" : error;
    }

    static ContainerState created() {
        return new ContainerState(CREATED, 0, 0, false, "", null, null);
    }

    /** Running or paused: its processes exist. */
    @JsonIgnore
    public boolean isRunning() {
        return status == RUNNING || status == PAUSED;
    }

    @JsonIgnore
    public boolean isPaused() {
        return status == PAUSED;
    }

    public boolean is(ContainerStatus wanted) {
        return status == wanted;
    }

    ContainerState running(int newPid, Instant started) {
        return new ContainerState(RUNNING, newPid, 0, false, "", started, finishedAt);
    }

    /** Found running (or frozen) by an Engine that started after it: the same run, with its pid now. */
    ContainerState runningAgain(int newPid, boolean paused) {
        return new ContainerState(paused ? PAUSED : RUNNING, newPid, 0, false, "", startedAt, finishedAt);
    }

    ContainerState paused(boolean paused) {
        return new ContainerState(paused ? PAUSED : RUNNING, pid, exitCode, oomKilled, error, startedAt, finishedAt);
    }

    ContainerState exited(int code, boolean oom, Instant finished) {
        return new ContainerState(EXITED, 0, code, oom, error, startedAt, finished);
    }

    /** A start that failed: the container stays where it was, with the reason and Docker's exit code for it. */
    ContainerState startFailed(int code, String reason, Instant when) {
        return new ContainerState(status == CREATED ? CREATED : EXITED, 0, code, false, reason, startedAt, when);
    }

    /** Ended, and to be started again by its restart policy once the backoff passed. */
    ContainerState restarting() {
        return new ContainerState(RESTARTING, 0, exitCode, oomKilled, error, startedAt, finishedAt);
    }

    /** Between two runs and stopped by hand: the restart its policy had planned is called off. */
    ContainerState restartCalledOff() {
        return new ContainerState(EXITED, 0, exitCode, oomKilled, error, startedAt, finishedAt);
    }

    ContainerState removing() {
        return new ContainerState(REMOVING, pid, exitCode, oomKilled, error, startedAt, finishedAt);
    }

    /** Its removal failed half-way: it stays, dead, saying why. */
    ContainerState dead(String reason) {
        return new ContainerState(DEAD, 0, exitCode, oomKilled, reason, startedAt, finishedAt);
    }
}
