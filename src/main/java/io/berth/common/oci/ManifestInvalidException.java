package io.berth.common.oci;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;

/** A manifest or index that is not one Berth accepts, with a message a person can act on. */
public class ManifestInvalidException extends BerthException {

    public ManifestInvalidException(String message) {
        super(ErrorKind.INVALID, message);
    }
}
