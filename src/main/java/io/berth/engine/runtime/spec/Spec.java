package io.berth.engine.runtime.spec;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A bundle's config.json. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Spec(String ociVersion, Process process, Root root, String hostname, List<Mount> mounts, Linux linux,
        Map<String, String> annotations) {

    /** The runtime-spec version Berth writes. */
    public static final String VERSION = "1.2.0";
}
