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

/**
 * One reading of a container's logs ({@code GET /containers/{id}/logs}, the web UI's live logs), by a thread of its
 * own: the json-file logs of the container's runs in order, filtered and cut to the tail asked for, then with
 * {@code follow} what the current run adds until it ends (or the client leaves, or {@code until} passes).
 */
final class LogStream {

    private static final Logger log = LoggerFactory.getLogger(LogStream.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final long POLL_MILLIS = 50;
    private static final int READ_BUFFER = 64 * 1024;
    /** A follower learns that its client left only by writing: after this long without a line, a heartbeat. */
    private static final long HEARTBEAT_NANOS = 10_000_000_000L;

    private final List<Path> logs;
    private final Path followed;
    private final BooleanSupplier running;
    private final LogQuery query;
    private final LogListener listener;
    private final LogEntry.Parser parser;

    /**
     * @param logs      the log files in order, the current run's last
     * @param followed  the current run's log, which grows while {@code running}; null if there is none
     */
    private LogStream(List<Path> logs, Path followed, BooleanSupplier running, LogQuery query, LogListener listener,
            LogEntry.Parser parser) {
        this.parser = parser;
        this.logs = logs;
        this.followed = followed;
        this.running = running;
        this.query = query;
        this.listener = listener;
    }

    /** Reads (and with {@code follow}, follows) the logs on a thread of its own, giving every entry to the listener. */
    static void start(List<Path> logs, Path followed, BooleanSupplier running, LogQuery query, LogListener listener,
            LogEntry.Parser parser) {
        LogStream stream = new LogStream(logs, followed, running, query, listener, parser);
        Thread thread = new Thread(stream::run, "container-logs-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            long followedOffset = 0;
            Deque<LogEntry> tail = new ArrayDeque<>();
            for (Path file : logs) {
                LineReader reader = new LineReader(file, 0, parser);
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
        LineReader reader = new LineReader(followed, offset, parser);
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

    /** Reads whole lines from an offset on; a last line without its newline is left for the next read. */
    static final class LineReader {

        private final Path file;
        private final LogEntry.Parser parser;
        private long offset;

        LineReader(Path file, long offset, LogEntry.Parser parser) {
            this.file = file;
            this.offset = offset;
            this.parser = parser;
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
                ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                long lineStart = offset;
                long position = offset;
                while (channel.read(buffer) > 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        byte b = buffer.get();
                        position++;
                        if (b == '\n') {
                            LogEntry entry = parser.parse(line.toString(StandardCharsets.UTF_8));
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
