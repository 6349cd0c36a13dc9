package io.berth.engine.build.run;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;

/** A {@code RUN} that exited with a code other than 0: the build stops, worded as dockerd words it. */
public class BuildStepFailedException extends BerthException {

    private final int code;

    public BuildStepFailedException(String message, int code) {
        super(ErrorKind.INVALID, message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
