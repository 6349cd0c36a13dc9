package io.berth.engine.container;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

import io.berth.engine.OnEngine;
import io.berth.engine.runtime.RuntimeContainer;

/**
 * Reading a container's logs: the earlier runs' log and the current run's, followed while that run lasts. The Docker
 * API's logs endpoint and the web UI's live logs both read them here, each with its own {@link LogListener}.
 */
@Component
@OnEngine
public class ContainerLogs {

    private final ContainerStore store;
    private final ContainerRuns runs;
    private final LogEntry.Parser parser;

    ContainerLogs(ContainerStore store, ContainerRuns runs, JsonMapper json) {
        this.store = store;
        this.runs = runs;
        this.parser = new LogEntry.Parser(json);
    }

    /**
     * Gives the last {@code tail} lines of the container's logs (stdout and stderr) to the listener, then every line
     * its current run adds until that run ends, the Engine stops or the listener throws; on a thread of its own.
     *
     * @throws io.berth.common.error.BerthException NOT_FOUND for a container that does not exist (before anything
     *                                              starts)
     */
    public void follow(String idOrName, int tail, LogListener listener) {
        read(store.resolve(idOrName), new LogQuery(true, true, true, false, Math.max(0, tail), null, null), listener);
    }

    /** Gives the container's logs as {@code query} asks to the listener, on a thread of its own. */
    void read(ContainerRecord container, LogQuery query, LogListener listener) {
        List<Path> logs = new ArrayList<>();
        logs.add(new ContainerFiles(store.directory(container.id())).earlierRunsLog());
        RuntimeContainer run = runs.lastRun(container.id()).orElse(null);
        Path current = run == null ? null : run.logFile();
        if (current != null) {
            logs.add(current);
        }
        String id = container.id();
        // A follower ends with the run it follows, or with the Engine (whose stop would otherwise wait for it).
        BooleanSupplier running = () -> runs.isOpen() && store.byId(id).map(c -> c.state().isRunning()
                && runs.lastRun(id).orElse(null) == run).orElse(false);
        LogStream.start(logs, current, running, query, listener, parser);
    }
}
