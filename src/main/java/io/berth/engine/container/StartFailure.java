package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.FAILED;
import static io.berth.common.error.ErrorKind.INVALID;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;

/**
 * What a start that failed means, as dockerd says it: the exit code the container shows (the shell's: 127 for a
 * program that is not there, 126 for one that cannot be run, 128 for a failure of the runtime itself), whether the
 * caller is at fault (its command) or the node, and the reason inspect's State.Error shows.
 *
 * @param exitCode 127, 126 or 128
 */
record StartFailure(int exitCode, ErrorKind kind, String reason) {

    static final int NOT_FOUND = 127;
    static final int NOT_EXECUTABLE = 126;
    static final int RUNTIME_FAILED = 128;

    /**
     * The failure {@code cause} of a start means: the exit code comes from the kind of failure the runtime reported
     * ({@link io.berth.engine.runtime.StartFailure}); the message is only the reason shown.
     */
    static StartFailure of(Exception cause) {
        String reason = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        int exitCode = cause instanceof io.berth.engine.runtime.StartFailure failure ? failure.containerExitCode()
                : io.berth.engine.runtime.StartFailure.CONTAINER_UNKNOWN;
        ErrorKind kind = cause instanceof BerthException berth ? berth.kind()
                : exitCode == RUNTIME_FAILED ? FAILED : INVALID;
        return new StartFailure(exitCode, kind, reason);
    }

    /** The error the start answers with. */
    BerthException toException(Exception cause) {
        return new BerthException(kind, reason, cause);
    }
}
