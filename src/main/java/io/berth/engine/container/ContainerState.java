package io.berth.engine.container;

import java.time.Instant;

/**
 * Where a container is in its life, as inspect's {@code State} shows it.
 *
 * @param status     Docker's words: {@code created}, {@code running}, {@code paused}, {@code restarting},
 *                   {@code removing}, {@code exited} or {@code dead}
 * @param pid        the host pid of its first process while it runs, else 0
 * @param exitCode   the exit status of its last run (128 + signal when a signal ended it)
 * @param error      why its last start failed, or ""
 * @param startedAt  when its last run started, or null
 * @param finishedAt when its last run ended, or null
 */
public record ContainerState(String status, int pid, int exitCode, boolean oomKilled, String error,
        Instant startedAt, Instant finishedAt) {

    public static final String CREATED = "created";
    public static final String RUNNING = "running";
    public static final String PAUSED = "paused";
    public static final String RESTARTING = "restarting";
    public static final String REMOVING = "removing";
    public static final String EXITED = "exited";
    public static final String DEAD = "dead";

    public ContainerState {
        error = error == null ? "" : error;
    }

    static ContainerState created() {
        return new ContainerState(CREATED, 0, 0, false, "", null, null);
    }

    /** Running or paused: its processes exist. */
    public boolean isRunning() {
        return status.equals(RUNNING) || status.equals(PAUSED);
    }

    public boolean isPaused() {
        return status.equals(PAUSED);
    }

    ContainerState running(int newPid, Instant started) {
        return new ContainerState(RUNNING, newPid, 0, false, "", started, finishedAt);
    }

    ContainerState paused(boolean paused) {
        return new ContainerState(paused ? PAUSED : RUNNING, pid, exitCode, oomKilled, error, startedAt, finishedAt);
    }

    ContainerState exited(int code, boolean oom, Instant finished) {
        return new ContainerState(EXITED, 0, code, oom, error, startedAt, finished);
    }

    /** A start that failed: the container stays where it was, with the reason and Docker's exit code for it. */
    ContainerState startFailed(int code, String reason, Instant when) {
        String next = status.equals(CREATED) ? CREATED : EXITED;
        return new ContainerState(next, 0, code, false, reason, startedAt, when);
    }

    /** Ended, and to be started again by its restart policy once the backoff passed. */
    ContainerState restarting() {
        return new ContainerState(RESTARTING, 0, exitCode, oomKilled, error, startedAt, finishedAt);
    }

    ContainerState removing() {
        return new ContainerState(REMOVING, pid, exitCode, oomKilled, error, startedAt, finishedAt);
    }
}
