package io.berth.engine.build.dockerfile;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;

/**
 * A Dockerfile that cannot be built, worded as dockerd words it: {@code dockerfile parse error on line 3: unknown
 * instruction: RUNN}. The line is the first line of the instruction (a continued instruction starts where its first
 * line is), counted from 1.
 */
public class DockerfileParseException extends BerthException {

    private final int line;
    private final String reason;

    public DockerfileParseException(int line, String reason) {
        super(ErrorKind.INVALID, "dockerfile parse error on line " + line + ": " + reason);
        this.line = line;
        this.reason = reason;
    }

    public int line() {
        return line;
    }

    /** The message without its line prefix. */
    public String reason() {
        return reason;
    }
}
