package io.berth.hub.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import tools.jackson.core.JacksonException;

import io.berth.common.error.ErrorKind;
import io.berth.common.error.ErrorStatus;
import io.berth.hub.HubException;
import io.berth.hub.access.SignInException;

/**
 * Base of the REST API's controllers: refusals and malformed requests leave as {@code {"message": ...}} with the
 * status the API contract gives them.
 *
 * <p>The handlers sit on the controllers rather than in a {@code @RestControllerAdvice} because the Distribution API's
 * advice handles every exception of every controller at the highest precedence, and between two advices of the same
 * order the one registered first wins; a controller's own handlers always come before any advice.
 */
public abstract class ApiController {

    @ExceptionHandler(HubException.class)
    public ResponseEntity<ApiMessage> refused(HubException e) {
        if (e.kind() == ErrorKind.UNAUTHORIZED) {
            // Every 401 carries a challenge (RFC 9110); Bearer, as browsers would meet Basic with a password dialog.
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"berth\"")
                    .body(new ApiMessage(e.getMessage()));
        }
        return message(HttpStatus.valueOf(ErrorStatus.of(e.kind())), e.getMessage());
    }

    /** A password checked again (the current one, before a change) that was tried too often lately. */
    @ExceptionHandler(SignInException.class)
    public ResponseEntity<ApiMessage> signInRefused(SignInException e) {
        if (e.throttled()) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                    .body(new ApiMessage(e.getMessage()));
        }
        return message(HttpStatus.FORBIDDEN, e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<ApiMessage> unreadable(HttpMessageNotReadableException e) {
        // Jackson's own words name the field and the value; Spring's wrapper adds class names the caller cannot use.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException jackson) {
                return message(HttpStatus.BAD_REQUEST, "invalid request body: " + jackson.getOriginalMessage());
            }
        }
        return message(HttpStatus.BAD_REQUEST, "a JSON request body is required");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public ResponseEntity<ApiMessage> mismatch(MethodArgumentTypeMismatchException e) {
        return message(HttpStatus.BAD_REQUEST, "invalid " + e.getName() + ": " + e.getValue());
    }

    @ExceptionHandler(ServletRequestBindingException.class)
    public ResponseEntity<ApiMessage> unbound(ServletRequestBindingException e) {
        return message(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<ApiMessage> unsupportedType(HttpMediaTypeNotSupportedException e) {
        return message(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "send the request body as application/json");
    }

    private static ResponseEntity<ApiMessage> message(HttpStatus status, String message) {
        return ResponseEntity.status(status).body(new ApiMessage(message));
    }
}
