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

    /**
     * Annotation that gives the process an open stdin ({@code "open"}, Docker's {@code -i}); without it stdin is
     * /dev/null. The OCI spec has no field for it: runc and crun take stdin from whoever starts them.
     */
    public static final String STDIN_ANNOTATION = "io.berth.stdin";
}
