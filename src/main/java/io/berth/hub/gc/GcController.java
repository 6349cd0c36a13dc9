package io.berth.hub.gc;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.berth.hub.access.caller.Caller;

/**
 * {@code /api/v1/admin/gc}: run a collection now and see what it freed, or what the last one did.
 * Administrators only (the REST API's security chain); a collection asked for here is in the audit log.
 */
@RestController
class GcController {

    private final GarbageCollector collector;

    GcController(GarbageCollector collector) {
        this.collector = collector;
    }

    @PostMapping("/api/v1/admin/gc")
    GcResult collect(Caller caller, HttpServletRequest request) throws IOException {
        return collector.collectFor(caller.username(), request.getRemoteAddr());
    }

    @GetMapping("/api/v1/admin/gc")
    ResponseEntity<GcResult> last() {
        return collector.lastResult().map(ResponseEntity::ok).orElseGet(() -> ResponseEntity.noContent().build());
    }
}
