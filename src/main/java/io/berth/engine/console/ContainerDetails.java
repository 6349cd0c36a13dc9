package io.berth.engine.console;

import java.time.Instant;
import java.util.Map;

/**
 * What the container page shows beside its summary and its logs.
 *
 * @param command    the first process with its arguments
 * @param exitCode   the exit status of its last run, null while it never ran or runs
 * @param error      why its last start failed, or empty
 */
record ContainerDetails(ContainerSummary summary, String imageId, String command, Instant created, Instant startedAt,
        Instant finishedAt, Integer exitCode, boolean oomKilled, String error, int restartCount,
        Map<String, String> labels) {
}
