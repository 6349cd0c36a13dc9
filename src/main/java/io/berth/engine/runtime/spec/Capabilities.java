package io.berth.engine.runtime.spec;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Capability sets by name ({@code CAP_CHOWN}, ...). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Capabilities(List<String> bounding, List<String> effective, List<String> inheritable,
        List<String> permitted, List<String> ambient) {
}
