package io.berth.engine.runtime;

import java.time.Instant;

/**
 * Where a container is in its life.
 *
 * @param pid        its first process's host pid while it runs, else 0
 * @param exitCode   once stopped: the exit status, or 128 + signal when a signal ended it
 * @param oomKilled  whether the kernel's OOM killer killed a process of it
 * @param startedAt  when its program started, or null
 * @param finishedAt when it ended, or null
 */
public record RuntimeState(Status status, int pid, int exitCode, boolean oomKilled, Instant startedAt,
        Instant finishedAt) {

    public enum Status { CREATED, RUNNING, PAUSED, STOPPED }
}
