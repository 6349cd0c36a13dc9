package io.berth.engine.docker;

import java.util.List;

/** The answer to {@code POST /volumes/prune}: the names removed (null for none) and the bytes freed. */
@DockerJson
public record VolumePruneResponse(List<String> volumesDeleted, long spaceReclaimed) {
}
