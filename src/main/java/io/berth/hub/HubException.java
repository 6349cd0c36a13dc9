package io.berth.hub;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;

/**
 * A request the Hub refuses for a reason the caller can act on. The REST API answers it with the kind's status and a
 * {@code {"message": ...}} body, the web UI with its error page. {@link ErrorKind#NOT_FOUND} is also the answer for
 * what the caller may not see.
 */
public class HubException extends BerthException {

    public HubException(ErrorKind kind, String message) {
        super(kind, message);
    }

    public static HubException notFound(String message) {
        return new HubException(ErrorKind.NOT_FOUND, message);
    }

    public static HubException invalid(String message) {
        return new HubException(ErrorKind.INVALID, message);
    }

    public static HubException forbidden(String message) {
        return new HubException(ErrorKind.DENIED, message);
    }

    public static HubException conflict(String message) {
        return new HubException(ErrorKind.CONFLICT, message);
    }
}
