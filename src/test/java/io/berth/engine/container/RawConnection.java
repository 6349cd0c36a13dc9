package io.berth.engine.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One HTTP/1.1 exchange over the Engine's socket, byte by byte: for heads that must come before their bodies. */
final class RawConnection implements AutoCloseable {

    private final SocketChannel channel;
    private final InputStream in;

    private RawConnection(SocketChannel channel) {
        this.channel = channel;
        this.in = Channels.newInputStream(channel);
    }

    static RawConnection open(Path socket, String request) throws IOException {
        return open(socket, request, new byte[0]);
    }

    /** Sends {@code head} (its request line and headers, up to the blank line) and then {@code body}. */
    static RawConnection open(Path socket, String head, byte[] body) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        channel.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
        ByteBuffer rest = ByteBuffer.wrap(body);
        while (rest.hasRemaining()) {
            channel.write(rest);
        }
        return new RawConnection(channel);
    }

    /** The response head, up to its blank line. */
    String head() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    void halfClose() throws IOException {
        channel.shutdownOutput();
    }

    /** Everything until the server closes (or, for a chunked body, until its last chunk). */
    String readToEnd() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            body.write(buffer, 0, n);
            if (body.toString(StandardCharsets.US_ASCII).endsWith("0\r\n\r\n")) {
                break;
            }
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
