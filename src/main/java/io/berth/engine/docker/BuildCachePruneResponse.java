package io.berth.engine.docker;

import java.util.List;

/** The answer of {@code POST /build/prune}: the cache entries removed and the bytes that freed. */
@DockerJson
public record BuildCachePruneResponse(List<String> cachesDeleted, long spaceReclaimed) {
}
