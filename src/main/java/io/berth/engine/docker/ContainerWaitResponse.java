package io.berth.engine.docker;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The body of {@code POST /containers/{id}/wait}: {@code {"Error":null,"StatusCode":N}}, or an error and -1 when the
 * wait could not end with an exit.
 */
@DockerJson
@JsonPropertyOrder({"Error", "StatusCode"})
public record ContainerWaitResponse(ExitError error, long statusCode) {

    public static ContainerWaitResponse exited(int code) {
        return new ContainerWaitResponse(null, code);
    }

    public static ContainerWaitResponse failed(String message) {
        return new ContainerWaitResponse(new ExitError(message), -1);
    }

    /** Why the wait ended without an exit code. */
    @DockerJson
    public record ExitError(String message) {
    }
}
