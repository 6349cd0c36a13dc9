package io.berth.engine.api;

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
import io.berth.engine.graph.GraphDriver;
import io.berth.engine.runtime.ContainerRuntime;
import io.berth.engine.runtime.spec.SeccompPolicy;

/** The bodies of {@code GET /version} and {@code GET /info}, with dockerd's keys so that the docker CLI prints them. */
@Component
@OnEngine
class SystemInfo {

    private final HostFacts host = HostFacts.read();
    private final Path rootDir;
    private final String id;
    private final String version;
    private final ObjectProvider<GraphDriver> graphDriver;
    private final ObjectProvider<EngineStatistics> statistics;
    private final ObjectProvider<ContainerRuntime> runtime;
    private final EngineEvents events;
    private final Clock clock;

    SystemInfo(BerthProperties berth, ObjectProvider<BuildProperties> build, ObjectProvider<GraphDriver> graphDriver,
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

    Map<String, Object> version() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ApiVersion", ApiVersion.MAX.toString());
        details.put("Arch", host.goArch());
        details.put("Experimental", "false");
        details.put("KernelVersion", host.kernelVersion());
        details.put("MinAPIVersion", ApiVersion.MIN.toString());
        details.put("Os", "linux");
        Map<String, Object> engine = new LinkedHashMap<>();
        engine.put("Name", "Engine");
        engine.put("Version", version);
        engine.put("Details", details);

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Platform", Map.of("Name", "Berth Engine"));
        body.put("Components", List.of(engine));
        body.put("Version", version);
        body.put("ApiVersion", ApiVersion.MAX.toString());
        body.put("MinAPIVersion", ApiVersion.MIN.toString());
        body.put("Os", "linux");
        body.put("Arch", host.goArch());
        body.put("KernelVersion", host.kernelVersion());
        return body;
    }

    Map<String, Object> info() {
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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ID", id);
        body.put("Containers", containers);
        body.put("ContainersRunning", running);
        body.put("ContainersPaused", paused);
        body.put("ContainersStopped", Math.max(0, containers - running - paused));
        body.put("Images", images);
        body.put("Driver", driver);
        body.put("DriverStatus", driver.isEmpty() ? List.of()
                : List.of(List.of("Backing Filesystem", HostFacts.fileSystemOf(rootDir, HostFacts.mounts()))));
        body.put("Plugins", Map.of("Volume", List.of(), "Network", List.of(), "Log", List.of()));
        body.put("IPv4Forwarding", ipv4Forwarding());
        body.put("Debug", false);
        body.put("NFd", openFiles());
        body.put("NGoroutines", Thread.activeCount());
        body.put("SystemTime", DateTimeFormatter.ISO_INSTANT.format(clock.instant()));
        body.put("CgroupDriver", "cgroupfs");
        body.put("CgroupVersion", host.cgroupVersion());
        body.put("NEventsListener", events.listeners());
        body.put("KernelVersion", host.kernelVersion());
        body.put("OperatingSystem", host.operatingSystem());
        body.put("OSVersion", host.osVersion());
        body.put("OSType", "linux");
        body.put("Architecture", host.architecture());
        body.put("NCPU", host.cpus());
        body.put("MemTotal", host.memTotal());
        body.put("DockerRootDir", rootDir.toString());
        body.put("Name", host.hostname());
        body.put("Labels", List.of());
        body.put("ExperimentalBuild", false);
        body.put("ServerVersion", version);
        // Containers run under the one runtime berth.engine.runtime names.
        String runtimeName = runtime.getIfAvailable() == null ? "native" : runtime.getIfAvailable().name();
        body.put("Runtimes", Map.of(runtimeName, Map.of()));
        body.put("DefaultRuntime", runtimeName);
        // Berth has no swarm mode: "inactive" is what dockerd says when it is not part of one.
        body.put("Swarm", Map.of("NodeID", "", "NodeAddr", "", "LocalNodeState", "inactive", "ControlAvailable", false,
                "Error", ""));
        body.put("LiveRestoreEnabled", false);
        body.put("Isolation", "");
        body.put("SecurityOptions", SeccompPolicy.host().supported() ? List.of("name=seccomp,profile=builtin")
                : List.of());
        body.put("Warnings", List.of());
        return body;
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
        String implementation = SystemInfo.class.getPackage().getImplementationVersion();
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
