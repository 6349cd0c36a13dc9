package io.berth.engine.runtime.spec;

/**
 * The settings, the image or the image's files make no runnable container; the message is Docker's for the same case
 * (the API answers it as a client error).
 */
public class InvalidContainerSettingsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidContainerSettingsException(String message) {
        super(message);
    }
}
