package io.berth.engine.docker;

import java.util.List;

/** The answer to a create: the new container's id and what dockerd would warn about. */
@DockerJson
public record ContainerCreateResponse(String id, List<String> warnings) {
}
