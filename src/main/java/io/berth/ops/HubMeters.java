package io.berth.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

/**
 * {@code berth.hub.storage.bytes} and {@code berth.hub.repositories}, from {@link HubFigures}' kept totals. (Pushes,
 * pulls and bytes moved are counted where they happen, in the registry's own RegistryMetrics.)
 */
@Component
@OnHub
class HubMeters implements MeterBinder {

    private final HubFigures figures;

    HubMeters(HubFigures figures) {
        this.figures = figures;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("berth.hub.storage.bytes", figures, f -> f.totals().bytesStored())
                .description("Bytes of the blobs stored, each counted once")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("berth.hub.repositories", figures, f -> f.totals().repositories())
                .description("Repositories, private ones included")
                .register(registry);
    }
}
