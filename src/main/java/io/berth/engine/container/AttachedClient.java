package io.berth.engine.container;

import io.berth.engine.runtime.StdioConnection;

/**
 * A client joined to a container's stdio ({@code docker attach}, {@code docker run} without {@code -d}), as
 * {@link AttachSessions} sees it: the connection it came on is the controller's business.
 */
interface AttachedClient {

    /** Joins the client to the process's stdio; from now on its output reaches the client. */
    void connect(StdioConnection stdio);

    boolean isConnected();

    /** The stdio it is joined to, or null. */
    StdioConnection stdio();

    boolean isClosed();

    /** Ends the client's connection; the process keeps running. */
    void close();
}
