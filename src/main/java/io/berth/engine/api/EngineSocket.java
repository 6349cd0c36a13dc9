package io.berth.engine.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Gets the unix socket's path ready for Tomcat to bind: its directory exists, no stale socket file is in the way. */
final class EngineSocket {

    private static final Logger log = LoggerFactory.getLogger(EngineSocket.class);

    /** The file type bits of a socket in {@code st_mode}. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private EngineSocket() {
    }

    static void prepare(Path socket) {
        try {
            Path parent = socket.toAbsolutePath().getParent();
            if (!Files.isDirectory(parent)) {
                Files.createDirectories(parent);
                // Set rather than asked for at creation, where the umask could narrow it.
                Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & S_IFMT) != S_IFSOCK) {
                throw new IllegalStateException("berth.engine.socket " + socket
                        + " exists and is not a socket; remove it or choose another path");
            }
            // Tomcat removes the socket on a clean stop; after a crash the file stays and the bind would fail.
            // It goes only when nobody answers on it: a second Berth must never take a live daemon's socket.
            if (isLive(socket)) {
                throw new IllegalStateException("another daemon is already listening on " + socket
                        + " (berth.engine.socket); stop it or choose another path");
            }
            log.info("removing the stale Engine socket {} left by a process that is gone", socket);
            Files.delete(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Engine socket " + socket, e);
        }
    }

    static boolean isLive(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return false;
        }
    }
}
