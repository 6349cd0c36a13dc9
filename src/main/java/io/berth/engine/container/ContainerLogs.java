package io.berth.engine.container;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

import io.berth.engine.OnEngine;
import io.berth.engine.runtime.RuntimeContainer;

/**
 * Reading a container's logs: the earlier runs' log and the current run's, followed while that run lasts. The Docker
 * API's logs endpoint and the web UI's live logs both read them here, each with its own {@link LogListener}.
 */
@Component
@OnEngine
public class ContainerLogs {

    private final ContainerService service;
    private final ContainerStore store;

    ContainerLogs(ContainerService service, ContainerStore store) {
        this.service = service;
        this.store = store;
    }

    /**
     * Gives the last {@code tail} lines of the container's logs (stdout and stderr) to the listener, then every line
     * its current run adds until that run ends, the Engine stops or the listener throws; on a thread of its own.
     *
     * @throws io.berth.common.error.BerthException NOT_FOUND for a container that does not exist (before anything starts)
     */
    public void follow(String idOrName, int tail, LogListener listener) {
        ContainerRecord container = store.resolve(idOrName);
        Source source = source(container);
        LogStream.start(source.logs(), source.current(), source.running(),
                new LogQuery(true, true, true, false, Math.max(0, tail), null, null), listener);
    }

    /** What the Docker API's logs endpoint streams to its client: multiplexed frames, or raw text for a TTY. */
    ResponseBodyEmitter dockerStream(ContainerRecord container, LogQuery query) throws IOException {
        Source source = source(container);
        return LogStream.start(source.logs(), source.current(), source.running(), query, !container.tty());
    }

    private Source source(ContainerRecord container) {
        List<Path> logs = new ArrayList<>();
        logs.add(service.files(container.id()).earlierRunsLog());
        RuntimeContainer run = service.lastRun(container.id()).orElse(null);
        Path current = run == null ? null : run.logFile();
        if (current != null) {
            logs.add(current);
        }
        String containerId = container.id();
        // A follower ends with the run it follows, or with the Engine (whose stop would otherwise wait for it).
        BooleanSupplier running = () -> service.isRunning()
                && store.byId(containerId).map(c -> c.state().isRunning()
                        && service.lastRun(containerId).orElse(null) == run).orElse(false);
        return new Source(logs, current, running);
    }

    private record Source(List<Path> logs, Path current, BooleanSupplier running) {
    }
}
