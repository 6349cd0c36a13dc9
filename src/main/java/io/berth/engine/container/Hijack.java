package io.berth.engine.container;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.concurrent.CompletableFuture;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

import org.apache.tomcat.util.net.SocketWrapperBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection taken over from HTTP ({@code Upgrade: tcp}, answered {@code 101}), as dockerd hijacks attach and exec
 * start. Tomcat hands over the connection after the handler method returned; {@link #connection()} completes then.
 * The streams are used blocking, each from a thread of its own (see engine-api-on-tomcat.md: the non-blocking mode
 * spins once the client half-closed its side).
 */
public class Hijack implements HttpUpgradeHandler {

    private static final Logger log = LoggerFactory.getLogger(Hijack.class);

    private final CompletableFuture<WebConnection> connection = new CompletableFuture<>();

    /** Tomcat makes the handler; {@link #upgrade} is how the Engine asks for one. */
    public Hijack() {
    }

    /**
     * Upgrades the request's connection; the 101 goes out when the handler method returns (a 200 at once for a
     * client that sent no {@code Upgrade} header). Content type as dockerd:
     * raw-stream for a TTY, multiplexed-stream otherwise (API 1.42 and later; the CLI frames by the TTY flag anyway).
     */
    static Hijack upgrade(HttpServletRequest request, HttpServletResponse response, boolean tty)
            throws IOException {
        Hijack hijack;
        try {
            hijack = request.upgrade(Hijack.class);
        } catch (ServletException e) {
            throw new IOException("cannot take over the connection: " + e.getMessage(), e);
        }
        response.setContentType(tty ? "application/vnd.docker.raw-stream"
                : "application/vnd.docker.multiplexed-stream");
        if (request.getHeader("Upgrade") != null) {
            response.setStatus(HttpServletResponse.SC_SWITCHING_PROTOCOLS);
            response.setHeader("Connection", "Upgrade");
            response.setHeader("Upgrade", "tcp");
        } else {
            // As Docker: a client that asked for no upgrade (docker-java without stdin) gets 200 and the stream as
            // a body that ends when the connection closes; a 101 has no body for it, so it would read nothing.
            // The head goes out now: left to Tomcat it would say Content-Length: 0. With "Connection: close" Tomcat
            // neither chunks nor counts, so the hijacked socket's bytes are the body.
            response.setStatus(HttpServletResponse.SC_OK);
            response.setHeader("Connection", "close");
            response.flushBuffer();
        }
        return hijack;
    }

    CompletableFuture<WebConnection> connection() {
        return connection;
    }

    /**
     * Closes a hijacked connection for real. Tomcat's {@link WebConnection#close()} only marks its streams closed;
     * the socket closes at the connection's next event, which never comes while the client waits for us to close
     * (a TTY session never half-closes). So the socket itself is closed, through the upgraded input stream's socket
     * wrapper; a thread blocked reading it then ends too.
     */
    static void close(WebConnection web) {
        try {
            web.close();
        } catch (Exception e) {
            log.debug("closing the hijacked streams failed: {}", e.toString());
        }
        try {
            Object in = web.getInputStream();
            Field field = in.getClass().getDeclaredField("socketWrapper");
            field.setAccessible(true);
            if (field.get(in) instanceof SocketWrapperBase<?> socket) {
                socket.close();
            }
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            // another servlet container, or another Tomcat: the socket then closes at its next event
            log.debug("cannot close the hijacked socket itself: {}", e.toString());
        }
    }

    @Override
    public void init(WebConnection webConnection) {
        connection.complete(webConnection);
    }

    @Override
    public void destroy() {
        connection.cancel(false);
    }
}
