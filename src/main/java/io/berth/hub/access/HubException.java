package io.berth.hub.access;

/**
 * A request the Hub refuses for a reason the caller can act on. The REST API answers it with the status and a
 * {@code {"message": ...}} body. {@link Reason#NOT_FOUND} is also the answer for what the caller may not see.
 */
public class HubException extends RuntimeException {

    public enum Reason {
        INVALID(400), UNAUTHORIZED(401), FORBIDDEN(403), NOT_FOUND(404), CONFLICT(409);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Reason reason;

    public HubException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public static HubException notFound(String message) {
        return new HubException(Reason.NOT_FOUND, message);
    }

    public static HubException invalid(String message) {
        return new HubException(Reason.INVALID, message);
    }

    public static HubException forbidden(String message) {
        return new HubException(Reason.FORBIDDEN, message);
    }

    public static HubException conflict(String message) {
        return new HubException(Reason.CONFLICT, message);
    }
}
