package io.berth.engine.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

import io.berth.engine.api.EmitterSink;

/**
 * A container's log on the Docker API's wire: multiplexed frames (or the bare text for a TTY), written to the logs
 * endpoint's response in batches of up to {@value #BATCH} bytes.
 */
final class DockerLogWire extends EmitterSink implements LogListener {

    private static final int BATCH = 64 * 1024;

    private final boolean multiplexed;
    private final boolean timestamps;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    DockerLogWire(ResponseBodyEmitter emitter, boolean multiplexed, boolean timestamps) {
        super(emitter);
        this.multiplexed = multiplexed;
        this.timestamps = timestamps;
    }

    @Override
    public void entry(LogEntry entry) throws IOException {
        pending.write(entry.toWire(multiplexed, timestamps));
        if (pending.size() >= BATCH) {
            flush();
        }
    }

    @Override
    public void flush() throws IOException {
        if (pending.size() > 0) {
            send(pending.toByteArray(), null);
            pending.reset();
        }
    }

    @Override
    public void idle() throws IOException {
        // A raw (TTY) stream has no empty frame to send; the CLI's demuxer skips an empty multiplexed one.
        if (multiplexed) {
            send(StreamFrames.frame(StreamFrames.STDOUT, new byte[0]), null);
        }
    }
}
