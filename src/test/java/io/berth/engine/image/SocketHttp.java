package io.berth.engine.image;

import java.io.ByteArrayOutputStream;
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
 * One HTTP/1.1 exchange over the Engine's unix socket, as the docker CLI makes it (the JDK's HttpClient cannot use
 * unix sockets). Reads the whole answer ({@code Connection: close}) and undoes chunked transfer coding.
 */
final class SocketHttp {

    record Response(int status, Map<String, String> headers, String body) {
    }

    private SocketHttp() {
    }

    static Response exchange(Path socket, String method, String path, String... headers) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n"
                    + "Host: api.moby.localhost\r\nUser-Agent: Docker-Client/28.2.2 (linux)\r\n"
                    + "Connection: close\r\n");
            if (!method.equals("GET") && !method.equals("HEAD")) {
                request.append("Content-Length: 0\r\n");
            }
            for (int i = 0; i < headers.length; i += 2) {
                request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            request.append("\r\n");
            Channels.newOutputStream(channel).write(request.toString().getBytes(StandardCharsets.US_ASCII));
            InputStream in = Channels.newInputStream(channel);
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> responseHeaders = new LinkedHashMap<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                responseHeaders.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
            byte[] body;
            if ("chunked".equalsIgnoreCase(responseHeaders.get("transfer-encoding"))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int size = Integer.parseInt(line(in).trim(), 16); size > 0;
                        size = Integer.parseInt(line(in).trim(), 16)) {
                    out.write(in.readNBytes(size));
                    line(in);
                }
                body = out.toByteArray();
            } else if (responseHeaders.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(responseHeaders.get("content-length")));
            } else {
                body = in.readAllBytes();
            }
            return new Response(status, responseHeaders, new String(body, StandardCharsets.UTF_8));
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed in the middle of a line");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
