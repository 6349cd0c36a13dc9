package io.berth.common.error;

/** The HTTP status of each {@link ErrorKind}, the same in every role's exception handler. */
public final class ErrorStatus {

    private ErrorStatus() {
    }

    public static int of(ErrorKind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNAUTHORIZED -> 401;
            case DENIED -> 403;
            case NOT_FOUND -> 404;
            case UNSUPPORTED -> 405;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case RANGE_NOT_SATISFIABLE -> 416;
            case TOO_MANY_REQUESTS -> 429;
            case INSUFFICIENT_STORAGE -> 507;
            case UNAVAILABLE -> 503;
            case FAILED -> 500;
        };
    }
}
