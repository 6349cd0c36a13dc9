package io.berth.engine.image;

/**
 * A pull that failed. {@link #status} is the HTTP status the Engine API answers with when the failure happens before
 * progress started streaming (404 for an unknown manifest or repository, 500 otherwise).
 */
public class ImagePullException extends RuntimeException {

    private final int status;

    public ImagePullException(int status, String message) {
        super(message);
        this.status = status;
    }

    public ImagePullException(String message, Throwable cause) {
        super(message, cause);
        this.status = 500;
    }

    public int status() {
        return status;
    }
}
