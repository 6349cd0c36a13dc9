package io.berth.engine.docker;

import java.util.Map;

/** HostConfig.LogConfig: the log driver and its options. The Engine writes Docker's {@code json-file} log. */
@DockerJson
public record LogConfig(@ZeroWhenNull String type, Map<String, String> config) {

    public static final LogConfig JSON_FILE = new LogConfig("json-file", Map.of());

    public LogConfig {
        config = Copies.map(config);
    }
}
