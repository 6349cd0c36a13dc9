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
     * The failure {@code cause} of a start means.
     *
     * <p>The runtime reports why its program could not start only as text today, so the exit code is read from the
     * words berth-init and OCI runtimes use. Once the runtime reports the failure's kind itself, that kind decides the
     * exit code here, and the text is only the reason shown.
     */
    static StartFailure of(Exception cause) {
        String reason = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        int exitCode = reason.contains("executable file not found") || reason.contains("no such file or directory")
                ? NOT_FOUND : reason.contains("permission denied") ? NOT_EXECUTABLE : RUNTIME_FAILED;
        ErrorKind kind = cause instanceof BerthException berth ? berth.kind()
                : exitCode == RUNTIME_FAILED ? FAILED : INVALID;
        return new StartFailure(exitCode, kind, reason);
    }

    /** The error the start answers with. */
    BerthException toException(Exception cause) {
        return new BerthException(kind, reason, cause);
    }
}
