package io.berth.engine.docker;

import java.util.List;

/** An answer that is only warnings ({@code POST /containers/{id}/update}). */
@DockerJson
public record WarningsResponse(List<String> warnings) {
}
