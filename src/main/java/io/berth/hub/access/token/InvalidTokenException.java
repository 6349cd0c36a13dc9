package io.berth.hub.access.token;

/**
 * A bearer token the registry does not accept: malformed, signed by another key or with another algorithm, for
 * another audience or issuer, expired or not yet valid. The message says which, for logs; a client is answered
 * {@code error="invalid_token"} whatever the reason.
 */
public class InvalidTokenException extends RuntimeException {

    public InvalidTokenException(String message, Throwable cause) {
        // An answer to a client, not a fault: a stack trace of our own would tell nobody anything.
        super(message, cause, false, false);
    }
}
