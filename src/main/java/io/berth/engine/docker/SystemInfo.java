package io.berth.engine.docker;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code GET /info} (swagger {@code SystemInfo}): what {@code docker info} prints, the fields the Engine has.
 *
 * @param driverStatus pairs of the storage driver's facts ({@code [["Backing Filesystem", "ext4"]]})
 * @param runtimes     the runtimes containers can run under, by name
 */
@DockerJson
public record SystemInfo(
        @JsonProperty("ID") String id,
        int containers,
        int containersRunning,
        int containersPaused,
        int containersStopped,
        int images,
        String driver,
        List<List<String>> driverStatus,
        Plugins plugins,
        @JsonProperty("IPv4Forwarding") boolean ipv4Forwarding,
        boolean debug,
        @JsonProperty("NFd") int nFd,
        @JsonProperty("NGoroutines") int nGoroutines,
        String systemTime,
        String cgroupDriver,
        String cgroupVersion,
        @JsonProperty("NEventsListener") int nEventsListener,
        String kernelVersion,
        String operatingSystem,
        @JsonProperty("OSVersion") String osVersion,
        @JsonProperty("OSType") String osType,
        String architecture,
        @JsonProperty("NCPU") int ncpu,
        long memTotal,
        String dockerRootDir,
        String name,
        List<String> labels,
        boolean experimentalBuild,
        String serverVersion,
        Map<String, EmptyObject> runtimes,
        String defaultRuntime,
        Swarm swarm,
        boolean liveRestoreEnabled,
        String isolation,
        List<String> securityOptions,
        List<String> warnings) {

    /** The plugins by kind: none. */
    @DockerJson
    public record Plugins(List<String> volume, List<String> network, List<String> log) {
    }

    /** Swarm mode: {@code inactive} is what dockerd says outside a swarm. */
    @DockerJson
    public record Swarm(@JsonProperty("NodeID") String nodeId, String nodeAddr, String localNodeState,
            boolean controlAvailable, String error) {

        public static final Swarm INACTIVE = new Swarm("", "", "inactive", false, "");
    }
}
