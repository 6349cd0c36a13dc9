package io.berth.hub.access;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * JSON answers written by the security filters themselves, before any controller or advice could: a refused
 * request ends in the filter that refused it.
 */
@Component
final class JsonResponses {

    private final JsonMapper json;

    JsonResponses(JsonMapper json) {
        this.json = json;
    }

    /** {@code {"message": ...}}, the REST API's error shape. */
    void message(HttpServletResponse response, int status, String message) throws IOException {
        write(null, response, status, Map.of("message", message));
    }

    /** Any JSON body, with its length; none for a HEAD request, whose answer only says how long it would be. */
    void write(HttpServletRequest request, HttpServletResponse response, int status, Object json) throws IOException {
        byte[] body = this.json.writeValueAsBytes(json);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        if (request == null || !"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }
}
