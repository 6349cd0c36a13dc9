package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.CONFLICT;
import static io.berth.common.error.ErrorKind.FAILED;
import static io.berth.common.error.ErrorKind.NOT_FOUND;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.stereotype.Component;

import io.berth.common.error.BerthException;
import io.berth.engine.OnEngine;
import io.berth.engine.runtime.RuntimeContainer;

/**
 * The attach connections of containers ({@code docker attach}, {@code docker run} without {@code -d}): joined to the
 * container's stdio now if it runs, else at its next start (the docker CLI attaches before it starts), and closed
 * when the container goes.
 */
@Component
@OnEngine
class AttachSessions {

    private final ContainerStore store;
    private final ContainerRuns runs;
    private final ContainerEvents events;
    private final Map<String, List<AttachedClient>> sessions = new ConcurrentHashMap<>();

    AttachSessions(ContainerStore store, ContainerRuns runs, ContainerEvents events) {
        this.store = store;
        this.runs = runs;
        this.events = events;
    }

    /** Joins a hijacked connection to the container's stdio; CONFLICT for a paused, dying or dead container. */
    void attach(String idOrName, AttachedClient session) {
        String id = store.resolve(idOrName).id();
        synchronized (runs.lock(id)) {
            ContainerRecord container = store.byId(id)
                    .orElseThrow(() -> new BerthException(NOT_FOUND, "No such container: " + idOrName));
            if (container.state().isPaused()) {
                throw new BerthException(CONFLICT, "container " + id
                        + " is paused, unpause the container before attach");
            }
            if (container.state().is(ContainerStatus.REMOVING) || container.state().is(ContainerStatus.DEAD)) {
                throw new BerthException(CONFLICT, "container " + id + " is being removed or dead");
            }
            List<AttachedClient> list = sessions.computeIfAbsent(id, key -> new CopyOnWriteArrayList<>());
            list.removeIf(AttachedClient::isClosed);
            if (container.state().isRunning()) {
                try {
                    session.connect(runs.handle(container).attach());
                } catch (IOException e) {
                    throw new BerthException(FAILED, "cannot attach to container " + id + ": " + e.getMessage(), e);
                }
            }
            list.add(session);
            events.publish(container, "attach");
        }
    }

    /** At a start, under the container's lock: the sessions waiting for it join the new run's stdio. */
    void connectWaiting(String id, RuntimeContainer handle) throws IOException {
        for (AttachedClient session : sessions.getOrDefault(id, List.of())) {
            if (!session.isClosed() && !session.isConnected()) {
                session.connect(handle.attach());
            }
        }
    }

    /** Resizes the TTY of the container's first process. */
    void resize(String idOrName, int height, int width) {
        ContainerRecord container = store.resolve(idOrName);
        RuntimeContainer handle = runs.running(container);
        try {
            for (AttachedClient session : sessions.getOrDefault(container.id(), List.of())) {
                if (session.isConnected()) {
                    session.stdio().resize(height, width);
                    return;
                }
            }
            try (var connection = handle.attach()) {
                connection.resize(height, width);
            }
        } catch (IOException e) {
            throw new BerthException(FAILED, "cannot resize container " + container.id() + ": " + e.getMessage(), e);
        }
    }

    /** The container's start failed or it is removed: its connections close. */
    void close(String id) {
        List<AttachedClient> list = sessions.remove(id);
        if (list != null) {
            list.forEach(AttachedClient::close);
        }
    }

    /** The Engine stops: every connection closes (the containers keep running). */
    void closeAll() {
        for (String id : new ArrayList<>(sessions.keySet())) {
            close(id);
        }
    }
}
