package io.berth.engine.docker;

import java.util.List;

/** The answer to {@code GET /volumes}. */
@DockerJson
public record VolumeListResponse(List<Volume> volumes, List<String> warnings) {
}
