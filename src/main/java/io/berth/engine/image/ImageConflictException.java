package io.berth.engine.image;

/** A removal docker would refuse without force (409). */
public class ImageConflictException extends RuntimeException {

    public ImageConflictException(String message) {
        super(message);
    }
}
