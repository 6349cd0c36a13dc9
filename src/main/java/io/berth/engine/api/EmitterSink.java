package io.berth.engine.api;

import java.io.IOException;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * The controller's end of a streamed answer (logs, stats, events): what a service's stream gives it is written to the
 * response through its emitter, which ends when the stream does.
 */
public abstract class EmitterSink {

    private final ResponseBodyEmitter emitter;

    protected EmitterSink(ResponseBodyEmitter emitter) {
        this.emitter = emitter;
    }

    /** Writes {@code bytes} to the client now; an {@link IOException} when the client has gone. */
    protected void send(byte[] bytes, MediaType type) throws IOException {
        emitter.send(bytes, type);
    }

    /** The stream ended: the answer is complete. */
    public void completed() {
        emitter.complete();
    }

    /** The stream failed, or the client went away. */
    public void failed(Throwable error) {
        emitter.completeWithError(error);
    }
}
