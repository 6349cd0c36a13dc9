package io.berth.engine.runtime;

import java.io.IOException;

/**
 * Why a container's or an exec's process could not be started, as the runtime reported it: the stage that failed
 * (finding the program, entering the working directory, becoming the user, exec, ...), the errno behind it, and a
 * message for people. The Engine gives a failed start Docker's exit code from its {@link #kind()}, never from the
 * message's words.
 */
public final class StartFailure extends IOException {

    /** What made the start fail, as far as the Engine must know. */
    public enum Kind {
        /** The program, or a path the start needed, does not exist (ENOENT). */
        NOT_FOUND,
        /** The program may not be run, or a path may not be entered (EACCES). */
        PERMISSION_DENIED,
        /** A path that had to be a directory is not one (ENOTDIR), such as a file bound onto a directory. */
        NOT_A_DIRECTORY,
        /** Anything else: the runtime could not set the process up. */
        OTHER;

        /** The kind of a failure whose errno has this name ({@code ENOENT}, ...); null or unknown is OTHER. */
        public static Kind of(String errno) {
            if (errno == null) {
                return OTHER;
            }
            return switch (errno) {
                case "ENOENT" -> NOT_FOUND;
                case "EACCES" -> PERMISSION_DENIED;
                case "ENOTDIR" -> NOT_A_DIRECTORY;
                default -> OTHER;
            };
        }
    }

    /** dockerd's exit code of a container whose start failed for another reason than those of {@link Kind}. */
    public static final int CONTAINER_UNKNOWN = 128;

    /** dockerd's exit code of an exec whose start failed for another reason than those of {@link Kind}. */
    public static final int EXEC_UNKNOWN = 126;

    private final String stage;
    private final String errno;
    private final Kind kind;

    /**
     * @param stage   what the process was doing: {@code lookup}, {@code cwd}, {@code user}, {@code exec}, ...;
     *                {@code runtime} for the error of another OCI runtime
     * @param errno   the name of the errno that made it fail ({@code ENOENT}), or null when none is known
     * @param message what happened, for people
     */
    public StartFailure(String stage, String errno, String message) {
        super(message);
        this.stage = stage;
        this.errno = errno;
        this.kind = Kind.of(errno);
    }

    public String stage() {
        return stage;
    }

    /** The errno's name, or null. */
    public String errno() {
        return errno;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The exit code dockerd gives a container whose start failed so: 127 when something was not found (or was no
     * directory), 126 when it could not be run, else {@value #CONTAINER_UNKNOWN}.
     */
    public int containerExitCode() {
        return exitCode(CONTAINER_UNKNOWN);
    }

    /** The exit code dockerd gives such an exec: 127 and 126 as for a container, else {@value #EXEC_UNKNOWN}. */
    public int execExitCode() {
        return exitCode(EXEC_UNKNOWN);
    }

    private int exitCode(int otherwise) {
        return switch (kind) {
            case NOT_FOUND, NOT_A_DIRECTORY -> 127;
            case PERMISSION_DENIED -> 126;
            case OTHER -> otherwise;
        };
    }
}
