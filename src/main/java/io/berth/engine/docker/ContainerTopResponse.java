package io.berth.engine.docker;

import java.util.List;

/** The answer to {@code GET /containers/{id}/top}: the columns of {@code ps} and a row of them per process. */
@DockerJson
public record ContainerTopResponse(List<String> titles, List<List<String>> processes) {
}
