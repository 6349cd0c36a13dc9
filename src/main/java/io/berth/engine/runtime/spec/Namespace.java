package io.berth.engine.runtime.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A namespace the container gets: {@code type} is pid, network, mount, ipc, uts, user or cgroup; with a {@code path}
 * it joins that namespace instead of creating one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Namespace(String type, String path) {

    public static Namespace of(String type) {
        return new Namespace(type, null);
    }
}
