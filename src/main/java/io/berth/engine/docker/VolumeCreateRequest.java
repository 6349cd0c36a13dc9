package io.berth.engine.docker;

import java.util.Map;

/** The body of {@code POST /volumes/create}: a name (none for a generated one), the driver, its options, labels. */
@DockerJson
public record VolumeCreateRequest(@ZeroWhenNull String name, @ZeroWhenNull String driver,
        Map<String, String> driverOpts, Map<String, String> labels) {
}
