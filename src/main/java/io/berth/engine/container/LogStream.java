package io.berth.engine.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * One reading of a container's logs ({@code GET /containers/{id}/logs}, the web UI's live logs), by a thread of its
 * own: the json-file logs of the container's runs in order, filtered and cut to the tail asked for, then with
 * {@code follow} what the current run adds until it ends (or the client leaves, or {@code until} passes).
 */
final class LogStream {

    private static final Logger log = LoggerFactory.getLogger(LogStream.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final long POLL_MILLIS = 50;
    private static final int BATCH = 64 * 1024;
    /** A follower learns that its client left only by writing: after this long without a line, a heartbeat. */
    private static final long HEARTBEAT_NANOS = 10_000_000_000L;

    private final List<Path> logs;
    private final Path followed;
    private final BooleanSupplier running;
    private final LogQuery query;
    private final LogListener listener;

    /**
     * @param logs      the log files in order, the current run's last
     * @param followed  the current run's log, which grows while {@code running}; null if there is none
     */
    private LogStream(List<Path> logs, Path followed, BooleanSupplier running, LogQuery query, LogListener listener) {
        this.logs = logs;
        this.followed = followed;
        this.running = running;
        this.query = query;
        this.listener = listener;
    }

    /** The Docker API's answer: the entries as multiplexed frames (or raw text for a TTY) on a byte stream. */
    static ResponseBodyEmitter start(List<Path> logs, Path followed, BooleanSupplier running, LogQuery query,
            boolean multiplexed) throws IOException {
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(0L);
        // The head goes out at once, as dockerd's does, even when no line comes for a while.
        emitter.send(new byte[0]);
        start(logs, followed, running, query, new DockerWire(emitter, multiplexed, query.timestamps()));
        return emitter;
    }

    /** Reads (and with {@code follow}, follows) the logs on a thread of its own, giving every entry to the listener. */
    static void start(List<Path> logs, Path followed, BooleanSupplier running, LogQuery query, LogListener listener) {
        LogStream stream = new LogStream(logs, followed, running, query, listener);
        Thread thread = new Thread(stream::run, "container-logs-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            long followedOffset = 0;
            Deque<LogEntry> tail = new ArrayDeque<>();
            for (Path file : logs) {
                LineReader reader = new LineReader(file, 0);
                for (LogEntry entry : reader.readEntries()) {
                    if (query.accepts(entry)) {
                        if (query.tail() < 0) {
                            send(entry);
                        } else if (query.tail() > 0) {
                            tail.addLast(entry);
                            if (tail.size() > query.tail()) {
                                tail.removeFirst();
                            }
                        }
                    }
                }
                if (file.equals(followed)) {
                    followedOffset = reader.offset();
                }
            }
            for (LogEntry entry : tail) {
                send(entry);
            }
            listener.flush();
            if (query.follow() && followed != null) {
                follow(followedOffset);
            }
            listener.completed();
        } catch (IOException e) {
            log.debug("logs client went away: {}", e.toString());
            listener.failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            listener.completed();
        } catch (RuntimeException e) {
            log.warn("logs stream failed", e);
            listener.failed(e);
        }
    }

    private void follow(long offset) throws IOException, InterruptedException {
        LineReader reader = new LineReader(followed, offset);
        long lastWrite = System.nanoTime();
        for (;;) {
            // Looked at before reading: what the run wrote before it ended is then read below.
            boolean stillRunning = running.getAsBoolean();
            List<LogEntry> entries = reader.readEntries();
            boolean sent = false;
            for (LogEntry entry : entries) {
                if (query.accepts(entry)) {
                    send(entry);
                    sent = true;
                }
            }
            if (sent) {
                listener.flush();
                lastWrite = System.nanoTime();
            }
            if (!stillRunning || (query.until() != null && Instant.now().isAfter(query.until()))) {
                return;
            }
            if (System.nanoTime() - lastWrite > HEARTBEAT_NANOS) {
                listener.idle();
                lastWrite = System.nanoTime();
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private void send(LogEntry entry) throws IOException {
        listener.entry(entry);
    }

    /** The Docker API's wire format, written in batches of up to {@link #BATCH} bytes. */
    private static final class DockerWire implements LogListener {

        private final ResponseBodyEmitter emitter;
        private final boolean multiplexed;
        private final boolean timestamps;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        DockerWire(ResponseBodyEmitter emitter, boolean multiplexed, boolean timestamps) {
            this.emitter = emitter;
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
                emitter.send(pending.toByteArray());
                pending.reset();
            }
        }

        @Override
        public void idle() throws IOException {
            // A raw (TTY) stream has no empty frame to send; the CLI's demuxer skips an empty multiplexed one.
            if (multiplexed) {
                emitter.send(StreamFrames.frame(StreamFrames.STDOUT, new byte[0]));
            }
        }

        @Override
        public void completed() {
            emitter.complete();
        }

        @Override
        public void failed(Throwable error) {
            emitter.completeWithError(error);
        }
    }

    /** Reads whole lines from an offset on; a last line without its newline is left for the next read. */
    static final class LineReader {

        private final Path file;
        private long offset;

        LineReader(Path file, long offset) {
            this.file = file;
            this.offset = offset;
        }

        long offset() {
            return offset;
        }

        List<LogEntry> readEntries() throws IOException {
            List<LogEntry> entries = new java.util.ArrayList<>();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                if (channel.size() < offset) {
                    offset = 0; // a new file in its place
                }
                channel.position(offset);
                ByteBuffer buffer = ByteBuffer.allocate(BATCH);
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                long lineStart = offset;
                long position = offset;
                while (channel.read(buffer) > 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        byte b = buffer.get();
                        position++;
                        if (b == '\n') {
                            LogEntry entry = LogEntry.parse(line.toString(StandardCharsets.UTF_8));
                            if (entry != null) {
                                entries.add(entry);
                            }
                            line.reset();
                            lineStart = position;
                        } else {
                            line.write(b);
                        }
                    }
                    buffer.clear();
                }
                offset = lineStart;
            } catch (NoSuchFileException e) {
                // no log yet (a run that wrote nothing, earlier runs that never were)
            }
            return entries;
        }
    }
}
