package io.berth.engine.docker;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A mount of a container as inspect and list show it (swagger {@code MountPoint}): a {@code bind}, {@code volume}
 * (with the volume's name and driver) or {@code tmpfs}.
 */
@DockerJson
public record MountPoint(@OmitEmpty String type, @OmitEmpty String name, String source, String destination,
        @OmitEmpty String driver, String mode, @JsonProperty("RW") boolean rw, String propagation) {
}
