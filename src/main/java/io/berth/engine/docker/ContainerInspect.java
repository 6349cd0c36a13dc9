package io.berth.engine.docker;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code GET /containers/{id}/json} (moby's {@code ContainerJSON}): the container's record, state, files, settings as
 * created and mounts.
 *
 * @param sizeRw the bytes written into its own layer, only when {@code size=1} asked for it
 */
@DockerJson
public record ContainerInspect(
        String id,
        String created,
        String path,
        List<String> args,
        State state,
        String image,
        String resolvConfPath,
        String hostnamePath,
        String hostsPath,
        String logPath,
        String name,
        int restartCount,
        String driver,
        String platform,
        String mountLabel,
        String processLabel,
        String appArmorProfile,
        @JsonProperty("ExecIDs") List<String> execIds,
        HostConfig hostConfig,
        GraphDriver graphDriver,
        @JsonInclude(Include.NON_NULL) Long sizeRw,
        List<MountPoint> mounts,
        ContainerConfig config,
        NetworkSettings networkSettings) {

    /** This answer with the size of the container's own layer. */
    public ContainerInspect withSizeRw(long size) {
        return new ContainerInspect(id, created, path, args, state, image, resolvConfPath, hostnamePath, hostsPath,
                logPath, name, restartCount, driver, platform, mountLabel, processLabel, appArmorProfile, execIds,
                hostConfig, graphDriver, size, mounts, config, networkSettings);
    }

    /** State (swagger {@code ContainerState}); times in RFC 3339, Go's zero time for one that never was. */
    @DockerJson
    public record State(String status, boolean running, boolean paused, boolean restarting,
            @JsonProperty("OOMKilled") boolean oomKilled, boolean dead, int pid, int exitCode, String error,
            String startedAt, String finishedAt, @JsonInclude(Include.NON_NULL) Health health) {
    }

    /** The storage driver and what it says about the container's layers. */
    @DockerJson
    public record GraphDriver(String name, Map<String, String> data) {
    }
}
