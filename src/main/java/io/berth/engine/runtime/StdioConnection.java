package io.berth.engine.runtime;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * One connection to a container's (or exec's) stdio. Output comes as Docker's multiplexed frames (a byte 1 for
 * stdout or 2 for stderr, three zero bytes, a 32-bit big-endian length, the data), also for a TTY, whose output is
 * all stdout; the stream ends when the process's output ends.
 */
public interface StdioConnection extends Closeable {

    InputStream output();

    void writeStdin(byte[] data, int offset, int length) throws IOException;

    /** End of input: the process reads EOF on its stdin. */
    void closeStdin() throws IOException;

    /** Resizes the TTY; ignored without one. */
    void resize(int rows, int columns) throws IOException;
}
