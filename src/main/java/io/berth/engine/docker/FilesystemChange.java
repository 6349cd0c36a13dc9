package io.berth.engine.docker;

/** One entry of {@code GET /containers/{id}/changes}: {@code Kind} 0 modified, 1 added, 2 deleted. */
@DockerJson
public record FilesystemChange(String path, int kind) {
}
