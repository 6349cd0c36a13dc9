package io.berth.engine.system;

import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import io.berth.engine.OnEngine;
import io.berth.engine.docker.SystemInfo;
import io.berth.engine.docker.SystemVersion;

/** The Engine API's system endpoints: {@code /_ping}, {@code /version}, {@code /info}. */
@RestController
@OnEngine
class SystemController {

    private static final MediaType TEXT_PLAIN_UTF8 = new MediaType("text", "plain", StandardCharsets.UTF_8);

    private final SystemService system;

    SystemController(SystemService system) {
        this.system = system;
    }

    /**
     * Every docker CLI command starts with {@code HEAD /_ping}; its {@code Api-Version} decides the dialect the client
     * speaks. {@code Builder-Version: 1} names the classic builder ({@code POST /build}), not BuildKit's sessions.
     */
    @RequestMapping(path = "/_ping", method = {RequestMethod.GET, RequestMethod.HEAD})
    ResponseEntity<byte[]> ping(HttpServletRequest request) {
        byte[] body = "OK".getBytes(StandardCharsets.US_ASCII);
        ResponseEntity.BodyBuilder response = ResponseEntity.ok()
                .header(HttpHeaders.CACHE_CONTROL, "no-cache, no-store, must-revalidate")
                .header(HttpHeaders.PRAGMA, "no-cache")
                .header("Builder-Version", "1")
                .contentType(TEXT_PLAIN_UTF8);
        if (request.getMethod().equals("HEAD")) {
            return response.contentLength(0).build();
        }
        return response.contentLength(body.length).body(body);
    }

    @GetMapping(path = "/version", produces = MediaType.APPLICATION_JSON_VALUE)
    SystemVersion version() {
        return system.version();
    }

    @GetMapping(path = "/info", produces = MediaType.APPLICATION_JSON_VALUE)
    SystemInfo info() {
        return system.info();
    }
}
