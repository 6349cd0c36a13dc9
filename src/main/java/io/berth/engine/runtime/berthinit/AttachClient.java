package io.berth.engine.runtime.berthinit;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import jnr.constants.platform.Errno;

import io.berth.engine.runtime.StdioConnection;

/**
 * One connection to a berth-init monitor's {@code attach.sock}. Frames both ways have Docker's 8-byte header (a
 * type byte, three zero bytes, a 32-bit big-endian length). The monitor sends 6 (hello) on connect, then 1 stdout
 * and 2 stderr, and 5 with the result of a start; a client sends 0 stdin data, 3 end of stdin, 4 resize (rows and
 * columns, 16-bit big-endian), 5 start and 7 watch (see {@link #watch}). {@link #output()} passes the output frames
 * through as they come.
 */
public final class AttachClient implements StdioConnection {

    static final int STDIN = 0, CLOSE_STDIN = 3, RESIZE = 4, START = 5, HELLO = 6, WATCH = 7;

    /** sun_path holds 108 bytes; longer paths are reached through a short symlink to their directory. */
    private static final int SUN_PATH_MAX = 100;
    private static final int O_RDONLY = 0;

    private final SocketChannel channel;
    private final InputStream output;

    private AttachClient(SocketChannel channel) {
        this.channel = channel;
        // Reading straight from the channel: Channels.newInputStream would hold a lock that blocks writes meanwhile.
        this.output = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                return channel.read(ByteBuffer.wrap(b, off, len));
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    /** Connects to the monitor whose socket is {@code socket}, once it greeted us. */
    public static AttachClient connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            connect(channel, socket);
            AttachClient client = new AttachClient(channel);
            byte[] header = client.readFully(8);
            if (header == null || header[0] != HELLO) {
                throw new IOException("no greeting from the monitor at " + socket);
            }
            return client;
        } catch (IOException e) {
            channel.close();
            throw new IOException("attach to " + socket + ": " + e.getMessage(), e);
        }
    }

    /**
     * Asks the monitor to let its process exec; fails with the monitor's reason, a
     * {@link io.berth.engine.runtime.StartFailure}, when it could not.
     */
    static void start(Path socket) throws IOException {
        try (AttachClient client = connect(socket)) {
            client.send(START, new byte[0], 0, 0);
            for (;;) {
                byte[] header = client.readFully(8);
                if (header == null) {
                    throw new IOException("the monitor ended before it answered start");
                }
                int length = ByteBuffer.wrap(header, 4, 4).getInt();
                byte[] payload = client.readFully(length);
                if (header[0] == START) {
                    if (length > 0) {
                        throw FailureReport.parse(new String(payload, StandardCharsets.UTF_8));
                    }
                    return;
                }
            }
        }
    }

    /**
     * A connection that only waits for the monitor to end: after watch it receives nothing, and reads end of stream
     * once the monitor has ended, its exit file written. So the Engine learns of an exit when it happens, with no
     * polling. Fails when the monitor cannot be reached (its socket is gone as it ends).
     */
    static Watch watch(Path socket) throws IOException {
        AttachClient client = connect(socket);
        try {
            client.send(WATCH, new byte[0], 0, 0);
            client.channel.configureBlocking(false);
            return new Watch(client.channel, Selector.open());
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** See {@link #watch}. */
    static final class Watch implements Closeable {

        private final SocketChannel channel;
        private final Selector selector;

        private Watch(SocketChannel channel, Selector selector) throws IOException {
            this.channel = channel;
            this.selector = selector;
            channel.register(selector, SelectionKey.OP_READ);
        }

        /** Waits at most {@code timeout} for the monitor to end; whether it did. */
        boolean awaitEnd(Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            ByteBuffer discard = ByteBuffer.allocate(8192);
            while (true) {
                discard.clear();
                int read;
                try {
                    read = channel.read(discard);
                } catch (IOException reset) { // the monitor's end may reset rather than close the connection
                    return true;
                }
                if (read < 0) {
                    return true;
                }
                if (read > 0) {
                    continue; // a monitor older than watch sends output: it is not ours to read
                }
                long remainingMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                if (deadline - System.nanoTime() <= 0) {
                    return false;
                }
                selector.select(remainingMillis);
                selector.selectedKeys().clear();
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting for a berth-init monitor to end");
                }
            }
        }

        @Override
        public void close() throws IOException {
            try {
                selector.close();
            } finally {
                channel.close();
            }
        }
    }

    @Override
    public InputStream output() {
        return output;
    }

    @Override
    public void writeStdin(byte[] data, int offset, int length) throws IOException {
        send(STDIN, data, offset, length);
    }

    /**
     * A process that read what it wanted and ended may take its monitor with it before the close arrives: its stdin
     * is then closed already, and the monitor's side of the connection gone, which is not an error.
     */
    @Override
    public void closeStdin() throws IOException {
        try {
            send(CLOSE_STDIN, new byte[0], 0, 0);
        } catch (IOException e) {
            if (!monitorGone(e)) {
                throw e;
            }
        }
    }

    private static boolean monitorGone(IOException e) {
        return e instanceof java.nio.channels.ClosedChannelException
                || (e.getMessage() != null && (e.getMessage().contains("Broken pipe")
                        || e.getMessage().contains("Connection reset")));
    }

    @Override
    public void resize(int rows, int columns) throws IOException {
        byte[] size = {(byte) (rows >> 8), (byte) rows, (byte) (columns >> 8), (byte) columns};
        send(RESIZE, size, 0, 4);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private synchronized void send(int type, byte[] data, int offset, int length) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(8 + length);
        frame.put((byte) type).put(new byte[3]).putInt(length).put(data, offset, length).flip();
        while (frame.hasRemaining()) {
            channel.write(frame);
        }
    }

    /** Exactly {@code length} bytes, or null at end of stream before the first. */
    private byte[] readFully(int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                if (buffer.position() == 0) {
                    return null;
                }
                throw new IOException("the monitor closed the connection within a frame");
            }
        }
        return buffer.array();
    }

    /**
     * Connects to {@code socket} even when its path is longer than sun_path allows: then through
     * {@code /proc/self/fd/<its directory>}, which leaves nothing behind and names nothing anyone else could plant.
     */
    private static void connect(SocketChannel channel, Path socket) throws IOException {
        Path absolute = socket.toAbsolutePath();
        if (fits(absolute)) {
            channel.connect(UnixDomainSocketAddress.of(absolute));
            return;
        }
        int directory = MonitorFiles.POSIX.open(absolute.getParent().toString(), O_RDONLY, 0);
        if (directory < 0) {
            throw new IOException("cannot open " + absolute.getParent() + ": "
                    + Errno.valueOf(MonitorFiles.POSIX.errno()).description());
        }
        try {
            channel.connect(UnixDomainSocketAddress.of("/proc/self/fd/" + directory + "/" + absolute.getFileName()));
        } finally {
            MonitorFiles.POSIX.close(directory);
        }
    }

    /**
     * {@code socket}, or a path to it short enough for sun_path, for another program to connect to (runc's console
     * socket): a symlink to its directory in a directory only root may use, which this checks rather than trusts.
     */
    static Path reachable(Path socket) throws IOException {
        Path absolute = socket.toAbsolutePath();
        if (fits(absolute)) {
            return absolute;
        }
        Path links = Path.of(System.getProperty("java.io.tmpdir"), "berth-attach");
        if (!Files.isDirectory(links, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(links,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        PosixFileAttributes attributes = Files.readAttributes(links, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        // In a world-writable /tmp someone else could have made it first, and would then choose where we connect.
        if (!attributes.isDirectory() || !attributes.owner().getName().equals("root")
                || !attributes.permissions().equals(PosixFilePermissions.fromString("rwx------"))) {
            throw new IOException(links + " must be a directory owned by root with mode 0700");
        }
        String name = BerthInitBinary.sha256(absolute.getParent().toString().getBytes(StandardCharsets.UTF_8))
                .substring(0, 16);
        Path link = links.resolve(name);
        if (!Files.isSymbolicLink(link)) {
            try {
                Files.createSymbolicLink(link, absolute.getParent());
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another thread made the same link
            }
        }
        return link.resolve(absolute.getFileName());
    }

    private static boolean fits(Path absolute) {
        return absolute.toString().getBytes(StandardCharsets.UTF_8).length <= SUN_PATH_MAX;
    }
}
