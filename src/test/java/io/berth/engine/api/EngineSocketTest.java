package io.berth.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineSocketTest {

    @TempDir
    Path dir;

    @Test
    void missingDirectoryIsCreatedReadableByAll() throws IOException {
        Path socket = dir.resolve("run").resolve("engine.sock");
        EngineSocket.prepare(socket);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent()))).isEqualTo("rwxr-xr-x");
        assertThat(socket).doesNotExist();
    }

    @Test
    void staleSocketIsRemoved() throws IOException {
        Path socket = dir.resolve("s.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        server.close(); // as after a SIGKILL: the file stays, nobody listens
        assertThat(socket).exists();

        EngineSocket.prepare(socket);

        assertThat(socket).doesNotExist();
    }

    @Test
    void liveSocketIsNeverTaken() throws IOException {
        Path socket = dir.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            assertThatThrownBy(() -> EngineSocket.prepare(socket)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another daemon is already listening on " + socket);
            assertThat(socket).exists();
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    @Test
    void aFileThatIsNoSocketIsLeftAlone() throws IOException {
        Path file = Files.writeString(dir.resolve("engine.sock"), "data");
        assertThatThrownBy(() -> EngineSocket.prepare(file)).hasMessageContaining("exists and is not a socket");
        assertThat(file).hasContent("data");
    }
}
