package io.berth.common.error;

/**
 * Tells a failure caused by a full disk (ENOSPC, or EDQUOT: a quota is a full disk to whoever hits it) from the
 * others, however deeply a database driver or a framework wrapped it: the cause chain holds the operating system's
 * words.
 */
public final class OutOfSpace {

    private static final int MAX_DEPTH = 20;

    private OutOfSpace() {
    }

    public static boolean isCause(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++) {
            String message = cause.getMessage();
            if (message != null && (message.contains("No space left on device") || message.contains("Disk quota exceeded"))) {
                return true;
            }
            cause = cause.getCause();
        }
        return false;
    }
}
