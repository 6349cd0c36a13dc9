package io.berth.engine.graph;

import java.io.IOException;

/** A layer archive that Berth refuses to unpack: a path escaping the layer, a bad link, a digest mismatch. */
public class InvalidLayerException extends IOException {

    private static final long serialVersionUID = 1L;

    public InvalidLayerException(String message) {
        super(message);
    }

    public InvalidLayerException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A refusal caused by one tar entry; the message names it so the image's author can find it. */
    static InvalidLayerException entry(String entryName, String why) {
        return new InvalidLayerException("layer entry \"" + entryName + "\": " + why);
    }
}
