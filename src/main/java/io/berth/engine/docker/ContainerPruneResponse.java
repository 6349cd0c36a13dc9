package io.berth.engine.docker;

import java.util.List;

/** The answer to {@code POST /containers/prune}: the ids removed (null for none) and the bytes freed. */
@DockerJson
public record ContainerPruneResponse(List<String> containersDeleted, long spaceReclaimed) {
}
