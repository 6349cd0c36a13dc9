package io.berth.hub.distribution;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import io.berth.common.InvalidDigestException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every error under {@code /v2/} leaves as the Distribution API's JSON error document; malformed requests get a
 * 4xx, never a 5xx. Elsewhere errors are {@code {"message": ...}}.
 */
@RestControllerAdvice
// Just after the Engine's advice, which is limited to its own controllers and must win for them.
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class DistributionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DistributionExceptionHandler.class);

    private final JsonMapper json;

    DistributionExceptionHandler(JsonMapper json) {
        this.json = json;
    }

    @ExceptionHandler(RegistryException.class)
    ResponseEntity<byte[]> registry(RegistryException e, HttpServletRequest request) {
        return respond(request, e.status(), e.error(), e.getMessage(), e.detail(), e.headers());
    }

    @ExceptionHandler(InvalidDigestException.class)
    ResponseEntity<byte[]> invalidDigest(InvalidDigestException e, HttpServletRequest request) {
        return respond(request, HttpStatus.BAD_REQUEST, RegistryError.DIGEST_INVALID, "invalid digest: " + e.value(),
                Map.of("Digest", e.value()), HttpHeaders.EMPTY);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<byte[]> methodNotAllowed(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        if (e.getSupportedHttpMethods() != null) {
            headers.setAllow(e.getSupportedHttpMethods());
        }
        return respond(request, HttpStatus.METHOD_NOT_ALLOWED, RegistryError.UNSUPPORTED,
                request.getMethod() + " is not supported here", null, headers);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    Object notFound(NoResourceFoundException e, HttpServletRequest request) {
        if (isBrowserPage(request)) {
            // A person following a stale link to the web UI gets the UI's "Not found" page, not an API error.
            return new ModelAndView("error", Map.of("status", 404), HttpStatus.NOT_FOUND);
        }
        return respond(request, HttpStatus.NOT_FOUND, RegistryError.NOT_FOUND, "no such endpoint: " + request.getRequestURI(),
                null, HttpHeaders.EMPTY);
    }

    private static boolean isBrowserPage(HttpServletRequest request) {
        String path = request.getRequestURI();
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return "GET".equals(request.getMethod()) && accept != null && accept.contains("text/html")
                && !path.startsWith("/v2") && !path.startsWith("/api/") && !path.equals("/token");
    }

    @ExceptionHandler({ServletRequestBindingException.class, MethodArgumentTypeMismatchException.class,
            HttpMediaTypeException.class})
    ResponseEntity<byte[]> badRequest(Exception e, HttpServletRequest request) {
        return respond(request, HttpStatus.BAD_REQUEST, RegistryError.UNSUPPORTED, e.getMessage(), null, HttpHeaders.EMPTY);
    }

    @ExceptionHandler(IOException.class)
    ResponseEntity<byte[]> io(IOException e, HttpServletRequest request) {
        if (isClientGone(e)) {
            log.debug("client went away during {} {}", request.getMethod(), request.getRequestURI());
            return null;
        }
        log.error("I/O error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return respond(request, HttpStatus.INTERNAL_SERVER_ERROR, RegistryError.UNKNOWN, "storage error", null,
                HttpHeaders.EMPTY);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<byte[]> unexpected(Exception e, HttpServletRequest request) {
        log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return respond(request, HttpStatus.INTERNAL_SERVER_ERROR, RegistryError.UNKNOWN, "unknown error", null,
                HttpHeaders.EMPTY);
    }

    private static boolean isClientGone(IOException e) {
        String name = e.getClass().getSimpleName();
        return name.equals("ClientAbortException") || name.equals("EOFException")
                || (e.getMessage() != null && e.getMessage().contains("Broken pipe"));
    }

    /** Written as bytes, so that every error carries its exact Content-Length (HEAD and 416 responses too). */
    private ResponseEntity<byte[]> respond(HttpServletRequest request, HttpStatus status, RegistryError error,
            String message, Object detail, HttpHeaders headers) {
        Object body = request.getRequestURI().startsWith("/v2")
                ? ErrorBody.of(error, message, detail)
                : Map.of("message", message);
        byte[] bytes = json.writeValueAsBytes(body);
        return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_JSON)
                .contentLength(bytes.length).body(bytes);
    }
}
