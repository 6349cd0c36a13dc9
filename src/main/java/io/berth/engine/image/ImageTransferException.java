package io.berth.engine.image;

/**
 * A pull or push that failed. {@link #status} is the HTTP status the Engine API answers with when the failure happens
 * before progress started streaming (404 for an unknown manifest, repository or local image, 500 otherwise).
 */
public class ImageTransferException extends RuntimeException {

    private final int status;

    public ImageTransferException(int status, String message) {
        super(message);
        this.status = status;
    }

    public ImageTransferException(String message, Throwable cause) {
        super(message, cause);
        this.status = 500;
    }

    public int status() {
        return status;
    }
}
