package io.berth.hub.distribution;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;

/**
 * A request the registry refuses with one of the Distribution API's error codes, and the detail that goes with it.
 * Services throw it; {@link DistributionExceptionHandler} turns it into the error document, with the status of its
 * {@link #kind()}: the code's own, unless the refusal names another (a manifest too large is MANIFEST_INVALID, but
 * 413).
 */
public class RegistryException extends BerthException {

    private final RegistryError error;
    private final Object detail;

    public RegistryException(RegistryError error, String message, Object detail) {
        this(error, error.kind(), message, detail);
    }

    public RegistryException(RegistryError error, ErrorKind kind, String message, Object detail) {
        super(kind, message);
        this.error = error;
        this.detail = detail;
    }

    public RegistryError error() {
        return error;
    }

    public Object detail() {
        return detail;
    }
}
