package io.berth.engine.container;

import org.springframework.stereotype.Component;

import io.berth.engine.OnEngine;
import io.berth.engine.system.EngineStatistics;

/** The container counts of {@code docker info}. */
@Component
@OnEngine
class ContainerStatistics implements EngineStatistics {

    private final ContainerStore store;

    ContainerStatistics(ContainerStore store) {
        this.store = store;
    }

    @Override
    public int images() {
        return 0;
    }

    @Override
    public int containers() {
        return store.count();
    }

    @Override
    public int containersRunning() {
        return (int) store.all().stream().filter(c -> c.state().is(ContainerStatus.RUNNING)).count();
    }

    @Override
    public int containersPaused() {
        return (int) store.all().stream().filter(c -> c.state().isPaused()).count();
    }
}
