package io.berth.engine.image;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;

/** No local image answers to a name or id: the Engine API says 404 "No such image: ...". */
public class ImageNotFoundException extends BerthException {

    private final String name;

    public ImageNotFoundException(String name) {
        super(ErrorKind.NOT_FOUND, "No such image: " + name);
        this.name = name;
    }

    /** The name, id or digest asked for. */
    public String name() {
        return name;
    }
}
