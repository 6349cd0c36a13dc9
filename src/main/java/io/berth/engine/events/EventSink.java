package io.berth.engine.events;

import java.io.IOException;

import io.berth.engine.docker.EventMessage;

/**
 * Where one {@code GET /events} answer goes, written from the stream's own thread: the controller's response body.
 * A method that throws {@link IOException} says the listener has gone; the stream then ends.
 */
interface EventSink {

    void event(EventMessage message) throws IOException;

    /** Nothing happened for a while: a listener that went away is noticed only by writing something. */
    void heartbeat() throws IOException;

    /** The stream ended: its {@code until} passed, or the Engine stops. */
    void completed();

    /** Writing failed, or the listener went away. */
    void failed(Throwable error);
}
