package io.berth.engine.docker;

import java.util.Map;

/** A volume as {@code docker volume inspect} and {@code ls} show it (swagger {@code Volume}). */
@DockerJson
public record Volume(String createdAt, String driver, Map<String, String> labels, String mountpoint, String name,
        Map<String, String> options, String scope) {
}
