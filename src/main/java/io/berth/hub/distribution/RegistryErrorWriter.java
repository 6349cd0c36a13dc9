package io.berth.hub.distribution;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the Distribution API's error document straight to a response, for refusals that happen before Spring MVC
 * (the security firewall, Tomcat's own request parsing) and so never reach {@link DistributionExceptionHandler}.
 */
@Component
class RegistryErrorWriter {

    private final JsonMapper json;

    RegistryErrorWriter(JsonMapper json) {
        this.json = json;
    }

    static boolean isRegistryPath(String rawPath) {
        return rawPath != null && (rawPath.equals("/v2") || rawPath.startsWith("/v2/"));
    }

    void write(HttpServletResponse response, HttpStatus status, RegistryError error, String message) throws IOException {
        byte[] body = json.writeValueAsBytes(ErrorBody.of(error, message, null));
        response.resetBuffer();
        response.setStatus(status.value());
        response.setHeader(DistributionFilter.API_VERSION_HEADER, "registry/2.0");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }
}
