package io.berth.engine.container;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.WebConnection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.berth.engine.runtime.StdioConnection;

/**
 * One hijacked attach or exec connection joined to a container's (or exec's) stdio. Output frames are passed on as
 * they come: as they are when multiplexed (only the streams asked for), their payload alone for a TTY. Client bytes
 * go to the process's stdin; the client's EOF (its half-close) closes the process's stdin only when
 * {@code closeStdinOnEof} (Config.StdinOnce), and is never a detach: output keeps flowing until the process's output
 * ends, then the connection closes. The session starts once both the client's connection and the stdio are there.
 */
final class StdioSession implements AttachedClient {

    private static final Logger log = LoggerFactory.getLogger(StdioSession.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final int BUFFER = 32 * 1024;

    /** What the session does once the output ended, before the connection closes (an exec records its exit code). */
    interface OnOutputEnd {
        void run();
    }

    private final String name;
    private final boolean tty;
    private final boolean stdin;
    private final boolean stdout;
    private final boolean stderr;
    private final boolean closeStdinOnEof;
    private final CompletableFuture<StdioConnection> stdio = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile OnOutputEnd onOutputEnd = () -> { };
    private volatile WebConnection client;
    private volatile StdioConnection connected;

    StdioSession(String name, boolean tty, boolean stdin, boolean stdout, boolean stderr, boolean closeStdinOnEof) {
        this.name = name;
        this.tty = tty;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.closeStdinOnEof = closeStdinOnEof;
    }

    StdioSession onOutputEnd(OnOutputEnd action) {
        this.onOutputEnd = action;
        return this;
    }

    /** Runs the session on {@code hijack}'s connection once it is handed over and {@link #connect} was called. */
    void serve(Hijack hijack) {
        hijack.connection().thenCombine(stdio, (web, io) -> {
            start(web, io);
            return null;
        }).exceptionally(error -> {
            close();
            return null;
        });
        // the client may be gone or the session closed before the stdio came
        hijack.connection().thenAccept(web -> {
            client = web;
            if (closed.get()) {
                Hijack.close(web);
            }
        });
    }

    /** The process's stdio to join the client to. */
    @Override
    public void connect(StdioConnection connection) {
        connected = connection;
        if (!stdio.complete(connection) || closed.get()) {
            closeQuietly(connection);
        }
    }

    @Override
    public boolean isConnected() {
        return connected != null && !closed.get();
    }

    @Override
    public StdioConnection stdio() {
        return connected;
    }

    /** Ends the session: the client's connection closes, the process keeps running. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            stdio.cancel(false);
            closeQuietly(connected);
            WebConnection web = client;
            if (web != null) {
                Hijack.close(web);
            }
        }
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    private void start(WebConnection web, StdioConnection io) {
        client = web;
        if (closed.get()) {
            Hijack.close(web);
            closeQuietly(io);
            return;
        }
        Thread output = new Thread(() -> pumpOutput(web, io), name + "-out-" + THREADS.incrementAndGet());
        output.setDaemon(true);
        output.start();
        if (stdin) {
            Thread input = new Thread(() -> pumpInput(web, io), name + "-in-" + THREADS.incrementAndGet());
            input.setDaemon(true);
            input.start();
        }
    }

    private void pumpOutput(WebConnection web, StdioConnection io) {
        try {
            InputStream frames = io.output();
            OutputStream out = web.getOutputStream();
            byte[] header = new byte[8];
            byte[] buffer = new byte[BUFFER];
            while (readFully(frames, header, 8)) {
                int stream = header[0];
                long length = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                        | (header[7] & 0xff);
                boolean wanted = tty ? stdout : (stream == 1 && stdout) || (stream == 2 && stderr);
                if (wanted && !tty) {
                    out.write(header);
                }
                while (length > 0) {
                    int n = frames.read(buffer, 0, (int) Math.min(buffer.length, length));
                    if (n < 0) {
                        throw new EOFException("the output ended inside a frame");
                    }
                    if (wanted) {
                        out.write(buffer, 0, n);
                    }
                    length -= n;
                }
                if (wanted) {
                    out.flush();
                }
            }
            out.flush();
            onOutputEnd.run();
        } catch (IOException e) {
            log.debug("{}: output ended: {}", name, e.toString());
        } catch (RuntimeException e) {
            log.warn("{}: output failed", name, e);
        } finally {
            close();
        }
    }

    private void pumpInput(WebConnection web, StdioConnection io) {
        try {
            InputStream in = web.getInputStream();
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (n > 0) {
                    io.writeStdin(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // Tomcat's upgraded stream reports the client's half-close as an error rather than -1 at times
            log.debug("{}: input ended: {}", name, e.toString());
        } finally {
            if (closeStdinOnEof && !closed.get()) {
                try {
                    io.closeStdin();
                } catch (IOException e) {
                    log.debug("{}: cannot close stdin: {}", name, e.toString());
                }
            }
        }
    }

    private static boolean readFully(InputStream in, byte[] buffer, int length) throws IOException {
        int read = 0;
        while (read < length) {
            int n = in.read(buffer, read, length - read);
            if (n < 0) {
                if (read == 0) {
                    return false;
                }
                throw new EOFException("the output ended inside a frame header");
            }
            read += n;
        }
        return true;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // the other side is gone already
        }
    }
}
