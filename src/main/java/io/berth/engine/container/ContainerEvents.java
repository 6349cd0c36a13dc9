package io.berth.engine.container;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.berth.engine.OnEngine;
import io.berth.engine.events.EngineEvents;

/**
 * The {@code container} and {@code volume} events of {@code docker events}: a container's carry its labels, image
 * and name besides what the action adds ({@code exitCode}, {@code signal}, ...), as dockerd's do.
 */
@Component
@OnEngine
class ContainerEvents {

    private final EngineEvents events;

    ContainerEvents(EngineEvents events) {
        this.events = events;
    }

    void publish(ContainerRecord container, String action) {
        publish(container, action, Map.of());
    }

    void publish(ContainerRecord container, String action, Map<String, String> extra) {
        Map<String, String> attributes = new LinkedHashMap<>(container.labels());
        attributes.put("image", container.image());
        attributes.put("name", container.name().substring(1));
        attributes.putAll(extra);
        events.publish("container", action, container.id(), attributes);
    }

    /** {@code kill}, with the signal sent. */
    void killed(ContainerRecord container, int signal) {
        publish(container, "kill", Map.of("signal", Integer.toString(signal)));
    }

    void volume(String action, String name) {
        events.publish("volume", action, name, Map.of("driver", "local"));
    }
}
