package io.berth.engine.runtime.cgroup;

import java.io.IOException;

import jnr.constants.platform.Errno;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/** SIGKILL for processes the Engine did not start itself (the JDK only signals its own children and handles). */
final class Signals {

    private static final int SIGKILL = 9;

    private static final POSIX POSIX = POSIXFactory.getNativePOSIX();

    private Signals() {
    }

    /** Kills {@code pid}; a process that is already gone is no error. */
    static void kill(int pid) throws IOException {
        if (POSIX.kill(pid, SIGKILL) != 0) {
            int errno = POSIX.errno();
            if (errno != Errno.ESRCH.intValue()) {
                throw new IOException("kill -9 " + pid + " failed: " + Errno.valueOf(errno).description());
            }
        }
    }
}
