package io.berth.engine.api;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import tools.jackson.databind.json.JsonMapper;

import io.berth.common.RoutedRequest;
import io.berth.engine.docker.ErrorResponse;

/**
 * Keeps the Engine API and the Hub apart, and speaks dockerd's dialect on the Engine side.
 *
 * <p>On an Engine connector ({@link EngineConnectorValve}): a {@code /v1.NN} prefix is checked against the versions
 * spoken and stripped, so controllers map bare paths; every answer carries dockerd's headers; anything that is not an
 * Engine path (the Hub's {@code /v2}, {@code /token}, {@code /api}) is "page not found". Everywhere else (the Hub's
 * port; the management port has no such filter and no Engine controllers at all) Engine paths are "page not found":
 * the Engine API is root on this machine and must never be reachable through the Hub's network port.
 *
 * <p>Not conditional on the Engine: where the Engine is off, its paths on the Hub port are refused just the same.
 */
@Component
@Order(EngineRequestFilter.ORDER)
class EngineRequestFilter extends OncePerRequestFilter {

    /**
     * Before Spring Security's filter chain (order -100): security then sees the path without its version prefix, and
     * never sees a Hub path from the socket or an Engine path from the network.
     */
    static final int ORDER = -110;

    /** What {@code docker version} shows as the server and what clients see in {@code Server}. */
    static final String SERVER = "Docker/28.2.2 (linux)";

    /** First segments of the Engine API's paths. */
    private static final List<String> ENGINE_PATHS = List.of("/_ping", "/version", "/info", "/events", "/images",
            "/containers", "/exec", "/networks", "/volumes", "/system", "/auth", "/build", "/commit", "/distribution",
            "/plugins", "/swarm", "/nodes", "/services", "/tasks", "/secrets", "/configs", "/session", "/grpc");

    private final JsonMapper json;

    EngineRequestFilter(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        if (!EngineConnectorValve.isEngineRequest(request)) {
            // Judged on the decoded path too: /%69mages/json is /images/json to the controllers.
            String decoded = decoded(path);
            if (isEnginePath(path) || ApiVersion.ofPrefix(path) != null
                    || isEnginePath(decoded) || ApiVersion.ofPrefix(decoded) != null) {
                message(response, HttpServletResponse.SC_NOT_FOUND, "page not found");
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        addDockerHeaders(response);
        ApiVersion version = ApiVersion.ofPrefix(path);
        if (version != null) {
            String unsupported = version.unsupportedReason();
            if (unsupported != null) {
                message(response, HttpServletResponse.SC_BAD_REQUEST, unsupported);
                return;
            }
            path = ApiVersion.stripPrefix(path);
        }
        if (!isEnginePath(path)) {
            message(response, HttpServletResponse.SC_NOT_FOUND, "page not found");
            return;
        }
        chain.doFilter(version == null ? request : new RoutedRequest(request, path), response);
    }

    /**
     * The headers of every dockerd answer. {@code Api-Version} is the highest version spoken, whatever the client
     * asked: clients negotiate down from it. (An attach 101 carries none of these at dockerd; a controller that wants
     * it exact removes them.)
     */
    static void addDockerHeaders(HttpServletResponse response) {
        response.setHeader("Api-Version", ApiVersion.MAX.toString());
        response.setHeader("Docker-Experimental", "false");
        response.setHeader("Ostype", "linux");
        response.setHeader("Server", SERVER);
    }

    /** The path with its percent escapes decoded ({@code +} stays a plus in a path); the path itself if malformed. */
    private static String decoded(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        try {
            return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return path;
        }
    }

    static boolean isEnginePath(String path) {
        for (String prefix : ENGINE_PATHS) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    private void message(HttpServletResponse response, int status, String message) throws IOException {
        byte[] body = json.writeValueAsString(new ErrorResponse(message)).concat("\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
