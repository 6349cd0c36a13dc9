package io.berth.engine.container;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A named volume of the {@code local} driver: a directory under the Engine's data dir that outlives containers.
 *
 * @param anonymous made for a container's {@code VOLUME} or {@code -v /path}, with a generated name; pruned by
 *                  default and removed with {@code docker rm -v}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VolumeRecord(String name, Instant createdAt, Map<String, String> labels, Map<String, String> options,
        boolean anonymous) {

    public VolumeRecord {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? Map.of() : Map.copyOf(options);
    }
}
