package io.berth.support;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client over a unix socket, as the docker CLI talks to dockerd: one request per connection,
 * bodies by {@code Content-Length} or chunked. {@link #open} keeps a streaming answer readable line by line.
 */
public final class UnixHttp implements AutoCloseable {

    private final SocketChannel channel;
    private final InputStream in;
    public final int status;
    public final Map<String, String> headers;
    private final boolean chunked;
    private long chunkLeft;
    private boolean ended;

    private UnixHttp(SocketChannel channel, InputStream in, int status, Map<String, String> headers) {
        this.channel = channel;
        this.in = in;
        this.status = status;
        this.headers = headers;
        this.chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
        this.chunkLeft = chunked ? 0 : Long.parseLong(headers.getOrDefault("content-length", "-1"));
    }

    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public static Response request(Path socket, String method, String path) throws IOException {
        try (UnixHttp http = open(socket, method, path)) {
            if (method.equals("HEAD")) {
                return new Response(http.status, http.headers, "");
            }
            return new Response(http.status, http.headers, new String(http.readAll(), StandardCharsets.UTF_8));
        }
    }

    public static UnixHttp open(Path socket, String method, String path) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            String request = method + " " + path + " HTTP/1.1\r\nHost: api.moby.localhost\r\n"
                    + "User-Agent: berth-test\r\nConnection: close\r\n\r\n";
            Channels.newOutputStream(channel).write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = Channels.newInputStream(channel);
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
            }
            return new UnixHttp(channel, in, status, headers);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The next line of the body, or null at its end. */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = readBodyByte()) != -1) {
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    public byte[] readAll() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int b;
        while ((b = readBodyByte()) != -1) {
            body.write(b);
        }
        return body.toByteArray();
    }

    private int readBodyByte() throws IOException {
        if (ended) {
            return -1;
        }
        if (!chunked) {
            if (chunkLeft == 0) {
                ended = true;
                return -1;
            }
            int b = in.read();
            if (b == -1) {
                ended = true;
                return -1;
            }
            chunkLeft--;
            return b;
        }
        if (chunkLeft == 0) {
            String size = line(in).trim();
            if (size.isEmpty()) {
                size = line(in).trim(); // the CRLF after the previous chunk's data
            }
            chunkLeft = Long.parseLong(size.split(";")[0], 16);
            if (chunkLeft == 0) {
                ended = true;
                return -1;
            }
        }
        int b = in.read();
        if (b == -1) {
            throw new EOFException("connection closed inside a chunk");
        }
        chunkLeft--;
        return b;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b == -1 && line.size() == 0) {
            throw new EOFException("connection closed");
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
