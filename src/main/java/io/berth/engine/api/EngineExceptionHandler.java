package io.berth.engine.api;

import java.io.IOException;
import java.util.Map;

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
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorStatus;

/**
 * Errors of the Engine's controllers as dockerd words them: {@code {"message": "..."}} with 400, 404, 409 or 500.
 * Applies to the controllers under {@code io.berth.engine} only, and must come before the Hub's global advice,
 * whose catch-all would otherwise answer for them.
 */
@RestControllerAdvice(basePackages = "io.berth.engine")
@Order(Ordered.HIGHEST_PRECEDENCE)
class EngineExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(EngineExceptionHandler.class);

    @ExceptionHandler(EngineException.class)
    ResponseEntity<Map<String, String>> engine(EngineException e) {
        return message(e.status(), e.getMessage());
    }

    /** A service's refusal or failure: the status of its kind, its message as it is. */
    @ExceptionHandler(BerthException.class)
    ResponseEntity<Map<String, String>> berth(BerthException e) {
        return message(ErrorStatus.of(e.kind()), e.getMessage());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Map<String, String>> missingParameter(MissingServletRequestParameterException e) {
        return message(400, "missing parameter: " + e.getParameterName());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, String>> badParameter(MethodArgumentTypeMismatchException e) {
        return message(400, "invalid value for " + e.getName() + ": " + e.getValue());
    }

    @ExceptionHandler({ServletRequestBindingException.class, HttpMessageNotReadableException.class})
    ResponseEntity<Map<String, String>> badRequest(Exception e) {
        return message(400, e.getMessage());
    }

    @ExceptionHandler(IOException.class)
    ResponseEntity<Map<String, String>> io(IOException e, HttpServletRequest request) {
        if (isClientGone(e)) {
            log.debug("client went away during {} {}", request.getMethod(), request.getRequestURI());
            return null;
        }
        log.error("I/O error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return message(500, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    /** dockerd answers 500 with the error's text; the socket is root's, so the text may say what went wrong. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, String>> unexpected(Exception e, HttpServletRequest request) {
        log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return message(500, e.getMessage() == null ? e.getClass().getName() : e.getMessage());
    }

    private static ResponseEntity<Map<String, String>> message(int status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Map.of("message", message));
    }

    private static boolean isClientGone(IOException e) {
        String name = e.getClass().getSimpleName();
        return name.equals("ClientAbortException") || name.equals("EOFException")
                || (e.getMessage() != null && e.getMessage().contains("Broken pipe"));
    }
}
