package io.berth.common.error;

/**
 * A failure a service reports to whoever called it: a {@link ErrorKind} and a message worded for the client to read.
 * Services throw it (or a subclass that carries more facts of its domain) and know nothing of HTTP; the exception
 * handler of each role turns it into its protocol's error.
 */
public class BerthException extends RuntimeException {

    private final ErrorKind kind;

    public BerthException(ErrorKind kind, String message) {
        // An answer to a caller's mistake is not a fault of Berth's: a stack trace would cost time on every 404 and tell
        // nobody anything.
        super(message, null, false, !kind.callerError());
        this.kind = kind;
    }

    public BerthException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause, false, true);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }
}
