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
import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.common.error.ErrorStatus;
import io.berth.common.error.OutOfSpace;
import io.berth.hub.metadata.DatabaseFailures;
import io.berth.hub.storage.StorageReserve;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every error under {@code /v2/} leaves as the Distribution API's JSON error document; malformed requests get a
 * 4xx, never a 5xx. Elsewhere errors are {@code {"message": ...}}.
 *
 * <p>A full disk is a 507 Insufficient Storage saying so, whether the storage reserve refused the write or the
 * operating system did (in the blob store or in the database); a database that is reopening after such a failure is a
 * 503. Both are conditions an administrator fixes, not faults of the request.
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
        HttpHeaders headers = HttpHeaders.EMPTY;
        if (e instanceof UploadRangeNotSatisfiable upload) {
            // Where the upload stands, so that the client resumes from there.
            headers = UploadController.uploadHeaders(upload.repository(), upload.upload());
        } else if (e instanceof BlobRangeNotSatisfiable blob) {
            headers = new HttpHeaders();
            headers.set(HttpHeaders.CONTENT_RANGE, "bytes */" + blob.size());
        }
        return respond(request, HttpStatus.valueOf(ErrorStatus.of(e.kind())), e.error(), e.getMessage(), e.detail(),
                headers);
    }

    @ExceptionHandler(BerthException.class)
    ResponseEntity<byte[]> berth(BerthException e, HttpServletRequest request) {
        return respond(request, HttpStatus.valueOf(ErrorStatus.of(e.kind())), registryError(e.kind()), e.getMessage(),
                null, HttpHeaders.EMPTY);
    }

    /** The Distribution API's code for each kind; the spec has none for storage or availability, so those are UNKNOWN. */
    private static RegistryError registryError(ErrorKind kind) {
        return switch (kind) {
            case INVALID, UNSUPPORTED -> RegistryError.UNSUPPORTED;
            case UNAUTHORIZED -> RegistryError.UNAUTHORIZED;
            case DENIED, CONFLICT -> RegistryError.DENIED;
            case NOT_FOUND -> RegistryError.NOT_FOUND;
            case TOO_LARGE -> RegistryError.SIZE_INVALID;
            case RANGE_NOT_SATISFIABLE -> RegistryError.BLOB_UPLOAD_INVALID;
            case TOO_MANY_REQUESTS -> RegistryError.TOOMANYREQUESTS;
            case INSUFFICIENT_STORAGE, UNAVAILABLE, FAILED -> RegistryError.UNKNOWN;
        };
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
        if (OutOfSpace.isCause(e) || DatabaseFailures.isUnavailable(e)) {
            return storageCondition(e, request);
        }
        log.error("I/O error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return respond(request, HttpStatus.INTERNAL_SERVER_ERROR, RegistryError.UNKNOWN, "storage error", null,
                HttpHeaders.EMPTY);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<byte[]> unexpected(Exception e, HttpServletRequest request) {
        if (OutOfSpace.isCause(e) || DatabaseFailures.isUnavailable(e)) {
            return storageCondition(e, request);
        }
        log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return respond(request, HttpStatus.INTERNAL_SERVER_ERROR, RegistryError.UNKNOWN, "unknown error", null,
                HttpHeaders.EMPTY);
    }

    /** A full disk or a database that is away: one line in the log, an answer that says what is wrong. */
    private ResponseEntity<byte[]> storageCondition(Exception e, HttpServletRequest request) {
        if (OutOfSpace.isCause(e)) {
            log.warn("{} {} refused: the disk is full ({})", request.getMethod(), request.getRequestURI(), e.toString());
            return berth(StorageReserve.full(), request);
        }
        log.warn("{} {} failed: the database is unavailable ({})", request.getMethod(), request.getRequestURI(),
                e.toString());
        return berth(new BerthException(ErrorKind.UNAVAILABLE,
                "the registry's database is unavailable for the moment; try again shortly"), request);
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
