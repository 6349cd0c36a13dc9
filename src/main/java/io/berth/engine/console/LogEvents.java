package io.berth.engine.console;

import java.io.IOException;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.berth.engine.container.LogEntry;
import io.berth.engine.container.LogListener;

/**
 * A container's log as server-sent events for the node page's live logs: one event per line ({@code data:} the line
 * without its newline; lines the container wrote to stderr as {@code event: stderr}), a comment as heartbeat while
 * nothing happens, and {@code event: end} when the run ends, so that the page closes its EventSource rather than
 * reconnect and receive the tail again.
 */
final class LogEvents implements LogListener {

    private final SseEmitter emitter;
    private volatile boolean closed;

    LogEvents(SseEmitter emitter) {
        this.emitter = emitter;
        // The request ended (the browser left, the server stops): the log stream learns it at its next write.
        emitter.onCompletion(() -> closed = true);
        emitter.onError(error -> closed = true);
        emitter.onTimeout(() -> closed = true);
    }

    /** Sends the response head at once, so that the browser knows the stream is open before any line comes. */
    void open(String container) throws IOException {
        send(SseEmitter.event().comment("logs of " + container));
    }

    @Override
    public void entry(LogEntry entry) throws IOException {
        String line = entry.log().endsWith("\n") ? entry.log().substring(0, entry.log().length() - 1) : entry.log();
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        SseEmitter.SseEventBuilder event = SseEmitter.event().data(line);
        send(entry.stderr() ? event.name("stderr") : event);
    }

    @Override
    public void flush() {
        // every event is flushed as it is sent
    }

    @Override
    public void idle() throws IOException {
        send(SseEmitter.event().comment("still following"));
    }

    @Override
    public void completed() {
        try {
            send(SseEmitter.event().name("end").data("the container stopped"));
            emitter.complete();
        } catch (IOException e) {
            emitter.complete();
        }
    }

    @Override
    public void failed(Throwable error) {
        if (error instanceof IOException) {
            emitter.complete(); // the browser went away: nothing to tell it
        } else {
            emitter.completeWithError(error);
        }
    }

    private void send(SseEmitter.SseEventBuilder event) throws IOException {
        if (closed) {
            throw new IOException("the browser closed the log stream");
        }
        try {
            emitter.send(event);
        } catch (IllegalStateException e) {
            throw new IOException("the log stream is closed", e); // completed meanwhile
        }
    }
}
