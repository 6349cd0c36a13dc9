package io.berth.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

import io.berth.engine.OnEngine;

/**
 * {@code berth.engine.containers} (one gauge per state) and {@code berth.engine.images}. Start latency is timed
 * where starts happen, as {@code berth.engine.container.start} in the Engine's ContainerService.
 */
@Component
@OnEngine
class EngineMeters implements MeterBinder {

    private final EngineFigures figures;

    EngineMeters(EngineFigures figures) {
        this.figures = figures;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String state : EngineFigures.STATES) {
            Gauge.builder("berth.engine.containers", figures, f -> f.containersIn(state))
                    .description("Containers on this node, by state")
                    .tag("state", state)
                    .register(registry);
        }
        Gauge.builder("berth.engine.images", figures, EngineFigures::images)
                .description("Images stored on this node")
                .register(registry);
    }
}
