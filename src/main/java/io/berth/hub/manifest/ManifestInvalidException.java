package io.berth.hub.manifest;

/** A manifest the registry refuses to store, with a message a person can act on. */
public class ManifestInvalidException extends RuntimeException {

    public ManifestInvalidException(String message) {
        super(message);
    }
}
