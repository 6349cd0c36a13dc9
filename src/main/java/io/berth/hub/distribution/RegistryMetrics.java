package io.berth.hub.distribution;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/** What operators chart about the registry: pushes, pulls and bytes in each direction. */
@Component
class RegistryMetrics {

    private final Counter pushes;
    private final Counter pulls;
    private final Counter bytesReceived;
    private final Counter bytesSent;

    RegistryMetrics(MeterRegistry registry) {
        this.pushes = Counter.builder("berth.hub.pushes").description("Manifests pushed").register(registry);
        this.pulls = Counter.builder("berth.hub.pulls").description("Manifests pulled (GET)").register(registry);
        this.bytesReceived = Counter.builder("berth.hub.bytes.received").baseUnit("bytes")
                .description("Blob bytes received in uploads").register(registry);
        this.bytesSent = Counter.builder("berth.hub.bytes.sent").baseUnit("bytes")
                .description("Blob bytes served").register(registry);
    }

    void push() {
        pushes.increment();
    }

    void pull() {
        pulls.increment();
    }

    void bytesReceived(long bytes) {
        bytesReceived.increment(bytes);
    }

    void bytesSent(long bytes) {
        bytesSent.increment(bytes);
    }
}
