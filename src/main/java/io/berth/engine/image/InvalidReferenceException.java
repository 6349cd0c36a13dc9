package io.berth.engine.image;

/** A string that is not an image reference docker would accept; the message says what is wrong. */
public class InvalidReferenceException extends RuntimeException {

    public InvalidReferenceException(String message) {
        super(message);
    }
}
