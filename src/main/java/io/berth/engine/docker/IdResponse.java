package io.berth.engine.docker;

/** An answer that is only the id of what was made ({@code POST /containers/{id}/exec}). */
@DockerJson
public record IdResponse(String id) {
}
