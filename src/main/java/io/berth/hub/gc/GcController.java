package io.berth.hub.gc;

import java.io.IOException;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/admin/gc}: run a collection now and see what it freed, or what the last one did.
 * (Access is restricted to administrators once accounts exist.)
 */
@RestController
class GcController {

    private final GarbageCollector collector;

    GcController(GarbageCollector collector) {
        this.collector = collector;
    }

    @PostMapping("/api/v1/admin/gc")
    GcResult collect() throws IOException {
        return collector.collect("admin");
    }

    @GetMapping("/api/v1/admin/gc")
    ResponseEntity<GcResult> last() {
        return collector.lastResult().map(ResponseEntity::ok).orElseGet(() -> ResponseEntity.noContent().build());
    }
}
