package io.berth.engine.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;

import io.berth.common.BerthProperties;
import io.berth.engine.OnEngine;
import io.berth.engine.api.ApiVersion;
import io.berth.engine.docker.EmptyObject;
import io.berth.engine.docker.SystemInfo;
import io.berth.engine.docker.SystemVersion;
import io.berth.engine.events.EngineEvents;
import io.berth.engine.graph.GraphDriver;
import io.berth.engine.runtime.ContainerRuntime;
import io.berth.engine.runtime.spec.SeccompPolicy;

/** The bodies of {@code GET /version} and {@code GET /info}, with dockerd's keys so that the docker CLI prints them. */
@Component
@OnEngine
class SystemService {

    private final HostFacts host = HostFacts.read();
    private final Path rootDir;
    private final String id;
    private final String version;
    private final ObjectProvider<GraphDriver> graphDriver;
    private final ObjectProvider<EngineStatistics> statistics;
    private final ObjectProvider<ContainerRuntime> runtime;
    private final EngineEvents events;
    private final Clock clock;

    SystemService(BerthProperties berth, ObjectProvider<BuildProperties> build, ObjectProvider<GraphDriver> graphDriver,
            ObjectProvider<EngineStatistics> statistics, ObjectProvider<ContainerRuntime> runtime, EngineEvents events,
            Clock clock) {
        this.runtime = runtime;
        this.rootDir = berth.dataDir().resolve("engine");
        this.id = engineId(rootDir);
        this.version = version(build.getIfAvailable());
        this.graphDriver = graphDriver;
        this.statistics = statistics;
        this.events = events;
        this.clock = clock;
    }

    HostFacts host() {
        return host;
    }

    String driver() {
        GraphDriver driver = graphDriver.getIfAvailable();
        return driver == null ? "" : driver.name();
    }

    SystemVersion version() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("ApiVersion", ApiVersion.MAX.toString());
        details.put("Arch", host.goArch());
        details.put("Experimental", "false");
        details.put("KernelVersion", host.kernelVersion());
        details.put("MinAPIVersion", ApiVersion.MIN.toString());
        details.put("Os", "linux");
        return new SystemVersion(new SystemVersion.Platform("Berth Engine"),
                List.of(new SystemVersion.ComponentVersion("Engine", version, details)), version,
                ApiVersion.MAX.toString(), ApiVersion.MIN.toString(), "linux", host.goArch(), host.kernelVersion());
    }

    SystemInfo info() {
        int images = 0;
        int containers = 0;
        int running = 0;
        int paused = 0;
        for (EngineStatistics counts : statistics) {
            images += counts.images();
            containers += counts.containers();
            running += counts.containersRunning();
            paused += counts.containersPaused();
        }
        String driver = driver();
        // Containers run under the one runtime berth.engine.runtime names.
        ContainerRuntime containerRuntime = runtime.getIfAvailable();
        String runtimeName = containerRuntime == null ? "native" : containerRuntime.name();
        return new SystemInfo(id, containers, running, paused, Math.max(0, containers - running - paused), images,
                driver, driver.isEmpty() ? List.of()
                        : List.of(List.of("Backing Filesystem", HostFacts.fileSystemOf(rootDir, HostFacts.mounts()))),
                new SystemInfo.Plugins(List.of(), List.of(), List.of()), ipv4Forwarding(), false, openFiles(),
                Thread.activeCount(), DateTimeFormatter.ISO_INSTANT.format(clock.instant()), "cgroupfs",
                host.cgroupVersion(), events.listeners(), host.kernelVersion(), host.operatingSystem(),
                host.osVersion(), "linux", host.architecture(), host.cpus(), host.memTotal(), rootDir.toString(),
                host.hostname(), List.of(), false, version, Map.of(runtimeName, EmptyObject.INSTANCE), runtimeName,
                // Berth has no swarm mode: "inactive" is what dockerd says when it is not part of one.
                SystemInfo.Swarm.INACTIVE, false, "",
                SeccompPolicy.host().supported() ? List.of("name=seccomp,profile=builtin") : List.of(), List.of());
    }

    /** The Engine's identity, made at its first start and kept, as dockerd keeps its engine ID. */
    private static String engineId(Path rootDir) {
        Path file = rootDir.resolve("engine-id");
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            Files.createDirectories(rootDir);
            String id = UUID.randomUUID().toString();
            Path temporary = Files.createTempFile(rootDir, "engine-id", ".tmp");
            Files.writeString(temporary, id + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the Engine's ID in " + file, e);
        }
    }

    private static String version(BuildProperties build) {
        if (build != null && build.getVersion() != null) {
            return build.getVersion();
        }
        String implementation = SystemService.class.getPackage().getImplementationVersion();
        // Run from classes rather than the jar (tests, an IDE) nothing says which version this is.
        return implementation != null ? implementation : "unknown";
    }

    private static boolean ipv4Forwarding() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).trim().equals("1");
        } catch (IOException e) {
            return false;
        }
    }

    private static int openFiles() {
        try (var files = Files.list(Path.of("/proc/self/fd"))) {
            return (int) files.count();
        } catch (IOException e) {
            return 0;
        }
    }
}
