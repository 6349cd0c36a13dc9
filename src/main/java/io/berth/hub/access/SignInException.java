package io.berth.hub.access;

import java.time.Duration;

/**
 * A sign-in that did not succeed: wrong credentials, or too many wrong ones lately.
 */
public class SignInException extends RuntimeException {

    private final Duration retryAfter;

    private SignInException(String message, Duration retryAfter) {
        super(message, null, false, false);
        this.retryAfter = retryAfter;
    }

    static SignInException invalidCredentials() {
        return new SignInException("incorrect username or password", null);
    }

    static SignInException throttled(Duration retryAfter) {
        return new SignInException("too many failed sign-ins; try again later", retryAfter);
    }

    /** Null for wrong credentials; how long to wait for a throttled sign-in. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public boolean throttled() {
        return retryAfter != null;
    }

    /** {@code Retry-After} in whole seconds, rounded up so that a client never comes back too early. */
    public long retryAfterSeconds() {
        return retryAfter == null ? 0 : Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
