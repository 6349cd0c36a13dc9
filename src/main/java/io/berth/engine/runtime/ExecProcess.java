package io.berth.engine.runtime;

import java.io.IOException;
import java.time.Duration;

/** A process run inside a running container ({@code docker exec}). */
public interface ExecProcess {

    /** Connects to its stdio; attach before {@link #start()} to see everything. */
    StdioConnection attach() throws IOException;

    void start() throws IOException;

    /** Its host pid once started, else 0. */
    int pid() throws IOException;

    /** Waits at most {@code timeout}; its exit code (128 + signal if a signal ended it), or null if it still runs. */
    Integer awaitExit(Duration timeout) throws IOException, InterruptedException;

    void kill(int signal) throws IOException;
}
