package io.berth.ops;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.berth.engine.OnEngine;
import io.berth.engine.container.ContainerRecord;
import io.berth.engine.container.ContainerStatus;
import io.berth.engine.container.ContainerStore;
import io.berth.engine.graph.GraphDriver;
import io.berth.engine.image.ImageRecord;
import io.berth.engine.image.ImageStore;
import io.berth.engine.runtime.ContainerRuntime;
import io.berth.engine.runtime.cgroup.Cgroups;

/** The node's figures, from the Engine's in-memory stores (nothing is read from disk). */
@Component
@OnEngine
class EngineFigures {

    /** Every state a container can be in, so that a chart shows 0 rather than no line. */
    static final List<String> STATES = Arrays.stream(ContainerStatus.values()).map(ContainerStatus::word).toList();

    private final ContainerStore containers;
    private final ImageStore images;
    private final ContainerRuntime runtime;
    private final Cgroups cgroups;
    private final GraphDriver graph;

    EngineFigures(ContainerStore containers, ImageStore images, ContainerRuntime runtime, Cgroups cgroups,
            GraphDriver graph) {
        this.containers = containers;
        this.images = images;
        this.runtime = runtime;
        this.cgroups = cgroups;
        this.graph = graph;
    }

    EngineReport report() {
        List<ImageRecord> all = images.all();
        return new EngineReport(containersByState(), all.size(), all.stream().mapToLong(ImageRecord::size).sum(),
                runtime.name(), cgroups.version().dockerVersion(), CgroupLayoutName.of(cgroups.version()),
                graph.name());
    }

    Map<String, Long> containersByState() {
        Map<String, Long> byState = new LinkedHashMap<>();
        STATES.forEach(state -> byState.put(state, 0L));
        for (ContainerRecord container : containers.all()) {
            byState.merge(container.state().status().word(), 1L, Long::sum);
        }
        return byState;
    }

    long containersIn(String state) {
        return containers.all().stream().filter(c -> c.state().status().word().equals(state)).count();
    }

    int images() {
        return images.count();
    }
}
