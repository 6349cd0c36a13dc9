package io.berth.engine.image;

/** A {@code docker import} refused for what the client sent: no tar archive, a bad change or platform (400). */
public class InvalidImportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidImportException(String message) {
        super(message);
    }
}
