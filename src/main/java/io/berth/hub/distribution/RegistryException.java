package io.berth.hub.distribution;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A request the registry answers with an error body in the Distribution API's format. Services throw it; the
 * exception handler turns it into the response.
 */
public class RegistryException extends RuntimeException {

    private final RegistryError error;
    private final HttpStatus status;
    private final Object detail;
    private final HttpHeaders headers;

    public RegistryException(RegistryError error) {
        this(error, error.message(), null);
    }

    public RegistryException(RegistryError error, String message, Object detail) {
        this(error, error.status(), message, detail, HttpHeaders.EMPTY);
    }

    public RegistryException(RegistryError error, HttpStatus status, String message, Object detail, HttpHeaders headers) {
        // An answer to a client, not a fault: a stack trace would cost time on every 404 and tell nobody anything.
        super(message, null, false, false);
        this.error = error;
        this.status = status;
        this.detail = detail;
        this.headers = headers;
    }

    public RegistryError error() {
        return error;
    }

    public HttpStatus status() {
        return status;
    }

    public Object detail() {
        return detail;
    }

    public HttpHeaders headers() {
        return headers;
    }
}
