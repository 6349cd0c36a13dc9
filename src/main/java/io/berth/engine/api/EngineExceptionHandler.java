package io.berth.engine.api;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorStatus;
import io.berth.engine.docker.ErrorResponse;

/**
 * Errors of the Engine's controllers as dockerd words them: {@code {"message": "..."}} with the status of the
 * failure's {@link io.berth.common.error.ErrorKind} (400, 404, 409, 500, ...).
 * Applies to the controllers under {@code io.berth.engine} only, and must come before the Hub's global advice,
 * whose catch-all would otherwise answer for them.
 */
@RestControllerAdvice(basePackages = "io.berth.engine")
@Order(Ordered.HIGHEST_PRECEDENCE)
class EngineExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(EngineExceptionHandler.class);

    @ExceptionHandler(BerthException.class)
    ResponseEntity<ErrorResponse> refused(BerthException e, HttpServletRequest request) {
        if (!e.kind().callerError()) {
            log.error("{} {} failed: {}", request.getMethod(), request.getRequestURI(), e.getMessage(), e);
        }
        return message(ErrorStatus.of(e.kind()), e.getMessage());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ErrorResponse> missingParameter(MissingServletRequestParameterException e) {
        return message(400, "missing parameter: " + e.getParameterName());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ErrorResponse> badParameter(MethodArgumentTypeMismatchException e) {
        return message(400, "invalid value for " + e.getName() + ": " + e.getValue());
    }

    @ExceptionHandler({ServletRequestBindingException.class, HttpMessageNotReadableException.class})
    ResponseEntity<ErrorResponse> badRequest(Exception e) {
        return message(400, e.getMessage());
    }

    @ExceptionHandler(IOException.class)
    ResponseEntity<ErrorResponse> io(IOException e, HttpServletRequest request) {
        if (isClientGone(e)) {
            log.debug("client went away during {} {}", request.getMethod(), request.getRequestURI());
            return null;
        }
        log.error("I/O error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return message(500, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    /** dockerd answers 500 with the error's text; the socket is root's, so the text may say what went wrong. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorResponse> unexpected(Exception e, HttpServletRequest request) {
        log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return message(500, e.getMessage() == null ? e.getClass().getName() : e.getMessage());
    }

    private static ResponseEntity<ErrorResponse> message(int status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(new ErrorResponse(message));
    }

    private static boolean isClientGone(IOException e) {
        String name = e.getClass().getSimpleName();
        return e instanceof AsyncRequestNotUsableException || name.equals("ClientAbortException")
                || name.equals("EOFException")
                || (e.getMessage() != null && e.getMessage().contains("Broken pipe"));
    }
}
