package io.berth.engine.image;

/** No local image answers to a name or id: the Engine API says 404 "No such image: ...". */
public class ImageNotFoundException extends RuntimeException {

    public ImageNotFoundException(String name) {
        super("No such image: " + name);
    }
}
