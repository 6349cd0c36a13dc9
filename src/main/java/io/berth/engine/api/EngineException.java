package io.berth.engine.api;

/**
 * An error of the Engine API, answered as dockerd does: the status (400 bad request, 404 no such thing, 409 conflict,
 * 500 failure) and {@code {"message": "..."}}, the message worded for the docker CLI to print as it is.
 */
public class EngineException extends RuntimeException {

    private final int status;

    public EngineException(int status, String message) {
        super(message);
        this.status = status;
    }

    public EngineException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static EngineException badRequest(String message) {
        return new EngineException(400, message);
    }

    public static EngineException notFound(String message) {
        return new EngineException(404, message);
    }

    public static EngineException conflict(String message) {
        return new EngineException(409, message);
    }
}
