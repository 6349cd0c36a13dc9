package io.berth.ops;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

import io.berth.engine.OnEngine;

/** {@code /actuator/engine}: the node's containers, images and runtime, read-only, on the management port. */
@Component
@Endpoint(id = "engine")
@OnEngine
class EngineEndpoint {

    private final EngineFigures figures;

    EngineEndpoint(EngineFigures figures) {
        this.figures = figures;
    }

    @ReadOperation
    EngineReport engine() {
        return figures.report();
    }
}
