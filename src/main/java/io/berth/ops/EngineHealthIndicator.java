package io.berth.ops;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import io.berth.common.BerthProperties;
import io.berth.engine.EngineProperties;
import io.berth.engine.OnEngine;
import io.berth.engine.graph.GraphDriver;
import io.berth.engine.runtime.ContainerRuntime;
import io.berth.engine.runtime.berthinit.BerthInitBinary;
import io.berth.engine.runtime.cgroup.Cgroups;

/**
 * Actuator's {@code engine} health: what the Engine needs to run containers is in place. berth-init installed and
 * executable (every runtime's containers have a berth-init monitor as parent), a storage driver, a cgroup layout, and
 * the Engine API answering on its socket. DOWN with the reason otherwise. Where the Engine is off (disabled, not
 * Linux, not root) there is no indicator: a Hub-only node is healthy, and the startup log says why the Engine is off.
 */
@Component("engine")
@OnEngine
class EngineHealthIndicator implements HealthIndicator {

    private final Path socket;
    private final Path berthInit;
    private final GraphDriver graph;
    private final Cgroups cgroups;
    private final ContainerRuntime runtime;

    EngineHealthIndicator(EngineProperties engine, BerthProperties berth, GraphDriver graph, Cgroups cgroups,
            ContainerRuntime runtime) {
        this.socket = engine.socket().toAbsolutePath();
        this.berthInit = BerthInitBinary.location(berth.dataDir());
        this.graph = graph;
        this.cgroups = cgroups;
        this.runtime = runtime;
    }

    @Override
    public Health health() {
        List<String> problems = new ArrayList<>();
        if (!Files.isRegularFile(berthInit)) {
            problems.add("berth-init is not installed at " + berthInit);
        } else if (!Files.isExecutable(berthInit)) {
            problems.add("berth-init at " + berthInit + " is not executable");
        }
        if (!listening(socket)) {
            problems.add("nothing answers on the Engine socket " + socket);
        }
        Health.Builder health = problems.isEmpty() ? Health.up()
                : Health.down().withDetail("reason", String.join("; ", problems));
        return health
                .withDetail("socket", socket.toString())
                .withDetail("berthInit", berthInit.toString())
                .withDetail("runtime", runtime.name())
                .withDetail("storageDriver", graph.name())
                .withDetail("cgroupVersion", cgroups.version().dockerVersion())
                .withDetail("cgroupLayout", CgroupLayoutName.of(cgroups.version()))
                .build();
    }

    /** Connects, as the docker CLI would: a socket file left by a dead process does not count. */
    private static boolean listening(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return false;
        }
    }
}
