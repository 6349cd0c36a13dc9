package io.berth.engine.build.run;

import java.util.List;
import java.util.Map;

import io.berth.engine.image.RegistryAuth;

/**
 * What {@code POST /build} asks for.
 *
 * @param dockerfile the Dockerfile's path in the context; empty for {@code Dockerfile}
 * @param tags       {@code t}, each {@code name[:tag]}
 * @param buildArgs  {@code --build-arg}s; a null value means "from the client's environment", which it did not have
 * @param labels     set on the final image
 * @param target     the stage to stop at; empty for the last
 * @param auths      credentials by registry host ({@code X-Registry-Config}) for the images FROM pulls
 */
public record BuildRequest(String dockerfile, List<String> tags, Map<String, String> buildArgs,
        Map<String, String> labels, String target, boolean noCache, boolean pull, boolean quiet,
        Map<String, RegistryAuth> auths) {

    public BuildRequest {
        tags = List.copyOf(tags);
        buildArgs = buildArgs == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(buildArgs));
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        auths = auths == null ? Map.of() : Map.copyOf(auths);
    }
}
