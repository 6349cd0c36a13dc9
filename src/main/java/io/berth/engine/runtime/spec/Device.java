package io.berth.engine.runtime.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A device node created in the container's /dev: {@code type} c, b, u or p. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Device(String path, String type, long major, long minor, Integer fileMode, Integer uid, Integer gid) {
}
