package io.berth.engine.container;

import java.io.IOException;

/**
 * Where a container's log goes as it is read and followed, on the log stream's own thread: the Docker API's byte
 * stream, or a reader outside this package such as the web UI's server-sent events. A method that throws
 * {@link IOException} says the reader has gone: the stream then ends and its thread with it.
 */
public interface LogListener {

    /** One line of the log, in order: the tail first, then what the container adds while it is followed. */
    void entry(LogEntry entry) throws IOException;

    /** The lines given so far should reach the reader now (the tail is over, or a poll found new lines). */
    void flush() throws IOException;

    /**
     * Nothing was written for a while during a follow: a reader that went away is noticed only when something is
     * written, so this is the moment to write a heartbeat if the format has one.
     */
    void idle() throws IOException;

    /** The log ended: the container stopped, or the Engine did. */
    void completed();

    /** Reading failed, or the reader went away. */
    void failed(Throwable error);
}
