package io.berth.engine.docker;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One entry of {@code GET /containers/json} (swagger {@code ContainerSummary}), what {@code docker ps} prints.
 *
 * @param command the command as one line, words with spaces quoted
 * @param created unix seconds
 * @param status  the human line: {@code Up 2 seconds}, {@code Exited (0) 5 minutes ago}
 */
@DockerJson
public record ContainerSummary(String id, List<String> names, String image, @JsonProperty("ImageID") String imageId,
        String command, long created, List<Port> ports, @JsonInclude(Include.NON_NULL) Long sizeRw,
        Map<String, String> labels, String state, String status, HostConfigSummary hostConfig,
        NetworksSummary networkSettings, List<MountPoint> mounts) {

    /** A container port and where it is published. */
    @DockerJson
    public record Port(@OmitEmpty @JsonProperty("IP") String ip, int privatePort, @OmitEmpty int publicPort,
            String type) {
    }

    /** What the list shows of HostConfig. */
    @DockerJson
    public record HostConfigSummary(@OmitEmpty String networkMode, @OmitEmpty Map<String, String> annotations) {
    }

    /** What the list shows of NetworkSettings: the endpoints by network. */
    @DockerJson
    public record NetworksSummary(Map<String, EndpointSettings> networks) {
    }
}
