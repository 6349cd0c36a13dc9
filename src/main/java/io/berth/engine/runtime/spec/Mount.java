package io.berth.engine.runtime.spec;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A mount inside the container; {@code destination} is resolved inside the root file system. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Mount(String destination, String type, String source, List<String> options) {
}
