package io.berth.engine.network;

import java.util.Map;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorStatus;

/**
 * {@link BerthException}s of {@link NetworksController} as dockerd answers: {@code {"message": ...}} with the status of
 * the failure's kind. The Engine-wide handler takes this over once it answers {@link BerthException}s itself.
 */
@RestControllerAdvice(assignableTypes = NetworksController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class NetworkExceptionHandler {

    @ExceptionHandler(BerthException.class)
    ResponseEntity<Map<String, String>> refused(BerthException e) {
        return ResponseEntity.status(ErrorStatus.of(e.kind())).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("message", e.getMessage()));
    }
}
