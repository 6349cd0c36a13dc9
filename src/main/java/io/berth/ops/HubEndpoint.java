package io.berth.ops;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/** {@code /actuator/hub}: the registry's content and last garbage collection, read-only, on the management port. */
@Component
@Endpoint(id = "hub")
@OnHub
class HubEndpoint {

    private final HubFigures figures;

    HubEndpoint(HubFigures figures) {
        this.figures = figures;
    }

    @ReadOperation
    HubReport hub() {
        return figures.report();
    }
}
